import { InitialSchema1732500000000 } from './1732500000000-initial-schema';
import { RiskLimitsIdDefault1732500000001 } from './1732500000001-risk-limits-id-default';
import { IntegrityAndVersioning1732500000002 } from './1732500000002-integrity-and-versioning';
import { AssetSeriesVersions1732500000003 } from './1732500000003-asset-series-versions';
import { ApiKeyScope1732500000004 } from './1732500000004-api-key-scope';
import { OutboxTraceparent1732500000010 } from './1732500000010-outbox-traceparent';
import { RiskRuns1796093228623 } from './1796093228623-risk-runs';
import { AnalystVocabulary1796093502260 } from './1796093502260-analyst-vocabulary';
import { VolatilityModelResults1796100986138 } from './1796100986138-volatility-model-results';
import { OutboxUnsentIndex1796200000000 } from './1796200000000-outbox-unsent-index';

/**
 * Every migration, in order, listed explicitly (no glob) so that the same list serves the app
 * (compiled JS under dist/), the TypeORM CLI and the Jest suites (TypeScript). A new migration
 * (`npm run migration:generate --name=X`) must be added here.
 */
export const MIGRATIONS = [
  InitialSchema1732500000000,
  RiskLimitsIdDefault1732500000001,
  IntegrityAndVersioning1732500000002,
  AssetSeriesVersions1732500000003,
  ApiKeyScope1732500000004,
  OutboxTraceparent1732500000010,
  RiskRuns1796093228623,
  AnalystVocabulary1796093502260,
  VolatilityModelResults1796100986138,
  OutboxUnsentIndex1796200000000,
];
