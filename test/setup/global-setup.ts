import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../src/persistence/data-source';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Lets a run use a private database (DATABASE_URL=…/persistence_test) so concurrent runs on one
 * server do not reset each other's schema: creates it through the `postgres` database if absent.
 */
async function createDatabaseIfMissing(url: string, name: string): Promise<void> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  try {
    await client.connect();
  } catch {
    return; // no maintenance database to use: the connect below reports the real problem
  }
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/**
 * Once before the integration suites: a clean public schema in the test database, then every
 * migration (the same list the service runs). Refuses any database not named `test` or `*_test`.
 */
export default async function globalSetup(): Promise<void> {
  process.env.TZ = 'UTC';
  const url = process.env.DATABASE_URL || DEFAULT_URL;
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (name !== 'test' && !name.endsWith('_test')) {
    throw new Error(`refusing to reset database "${name}": tests only run against a database named test or *_test`);
  }
  await createDatabaseIfMissing(url, name);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  } finally {
    await client.end();
  }
  const ds = new DataSource({ ...buildDataSourceOptions({ databaseUrl: url, dataDir: './data' }), migrationsRun: true });
  await ds.initialize(); // migrationsRun: applies MIGRATIONS
  await ds.destroy();
}
