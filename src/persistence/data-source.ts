import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { types as pgTypes } from 'pg';
import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { ENTITIES } from './entities';
import { pgPoolOptions } from './pg-timeouts';

export const DATE_OID = 1082;
// A calendar date stays 'YYYY-MM-DD' (pg would make it a Date at local midnight). numeric (1700)
// and int8 (20) already come back from pg as text: exact, never a float.
pgTypes.setTypeParser(DATE_OID, (v: string) => v);

export interface DatabaseTimeouts {
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  poolSize: number;
}

export interface DatabaseConfig {
  databaseUrl?: string;
  dataDir: string;
  /** PostgreSQL only (see pgPoolOptions); defaults as in AppConfig. */
  database?: DatabaseTimeouts;
}

const DEFAULT_TIMEOUTS: DatabaseTimeouts = { connectTimeoutMs: 2000, statementTimeoutMs: 2500, poolSize: 10 };

/**
 * PostgreSQL when DATABASE_URL is set, else an embedded PGlite database persisted under
 * DATA_DIR/pglite (created if missing; a restart keeps the data). Either way: the same explicit
 * entity and migration lists, synchronize off, migrations run at start.
 *
 * PGlite (typeorm-pglite) is one database per process; its session is lent to one query runner
 * at a time (SerialPGlitePool), which makes TransactionRunner.run truly isolated there too. A new
 * data directory is initialised in a child process, and the buffer pool is smaller than PGlite's
 * default (pglite/embedded-data-dir.ts: resident memory).
 */
export function buildDataSourceOptions(config: DatabaseConfig): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    synchronize: false,
    migrationsRun: true,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'each' as const,
    entities: ENTITIES,
    // uuid keys default to gen_random_uuid() (core since PostgreSQL 13, and in PGlite): no extension to install.
    uuidExtension: 'pgcrypto' as const,
    installExtensions: false,
    logging: false,
  };
  if (config.databaseUrl) {
    return { ...common, url: config.databaseUrl, extra: pgPoolOptions(config.database ?? DEFAULT_TIMEOUTS) };
  }
  mkdirSync(config.dataDir, { recursive: true });
  // Loaded only here: a service on PostgreSQL never loads PGlite (≈ 0.25 s of its start).
  const { embeddedDriver } = require('./pglite/embedded-data-dir') as typeof import('./pglite/embedded-data-dir');
  const driver = embeddedDriver(resolve(config.dataDir, 'pglite'));
  return { ...common, driver };
}
