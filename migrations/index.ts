import { InitialSchema1732500000000 } from './1732500000000-initial-schema';
import { RiskLimitsIdDefault1732500000001 } from './1732500000001-risk-limits-id-default';

/** Every migration, in order: listed explicitly so the same list serves the app, the CLI and the tests. */
export const MIGRATIONS = [InitialSchema1732500000000, RiskLimitsIdDefault1732500000001];
