import { InitialSchema1732500000000 } from './1732500000000-initial-schema';
import { RiskLimitsIdDefault1732500000001 } from './1732500000001-risk-limits-id-default';
import { IntegrityAndVersioning1732500000002 } from './1732500000002-integrity-and-versioning';
import { RiskRuns1796093228623 } from './1796093228623-risk-runs';

/**
 * Every migration, in order, listed explicitly (no glob) so that the same list serves the app
 * (compiled JS under dist/), the TypeORM CLI and the Jest suites (TypeScript). A new migration
 * (`npm run migration:generate --name=X`) must be added here.
 */
export const MIGRATIONS = [
  InitialSchema1732500000000,
  RiskLimitsIdDefault1732500000001,
  IntegrityAndVersioning1732500000002,
  RiskRuns1796093228623,
];
