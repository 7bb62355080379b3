import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../src/persistence/data-source';

/**
 * Once before the integration suites: a clean schema in the test database, migrated.
 * Refuses any database whose name is not `test` or `*_test`.
 */
export default async function globalSetup(): Promise<void> {
  process.env.TZ = 'UTC';
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = new URL(url).pathname.replace(/^\//, '');
  if (name !== 'test' && !name.endsWith('_test')) {
    throw new Error(`refusing to reset database "${name}": tests only run against a database named test or *_test`);
  }
  const ds = new DataSource({ ...buildDataSourceOptions({ databaseUrl: url, dataDir: './data' }), migrationsRun: false });
  await ds.initialize();
  try {
    await ds.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
}
