import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './data-source';

/** For the TypeORM CLI (npm run migration:run / revert / generate): DATABASE_URL, else PGlite under DATA_DIR. */
export default new DataSource({
  ...buildDataSourceOptions({ databaseUrl: process.env.DATABASE_URL, dataDir: process.env.DATA_DIR ?? './data' }),
  migrationsRun: false,
});
