import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { types as PgliteTypes } from '@electric-sql/pglite';
import { types as pgTypes } from 'pg';
import { DataSourceOptions } from 'typeorm';
import { PGliteDriver } from 'typeorm-pglite';
import { MIGRATIONS } from '../../migrations';
import { ENTITIES } from './entities';
import { ensureEmbeddedDataDir, pgliteStartParams } from './pglite/embedded-data-dir';
import { SerialPGlitePool } from './pglite/serial-pglite-pool';

const DATE_OID = 1082;
// A calendar date stays 'YYYY-MM-DD' (pg would make it a Date at local midnight). numeric (1700)
// and int8 (20) already come back from pg as text: exact, never a float.
pgTypes.setTypeParser(DATE_OID, (v: string) => v);

export interface DatabaseConfig {
  databaseUrl?: string;
  dataDir: string;
}

/**
 * PostgreSQL when DATABASE_URL is set, else an embedded PGlite database persisted under
 * DATA_DIR/pglite (created if missing; a restart keeps the data). Either way: the same explicit
 * entity and migration lists, synchronize off, migrations run at start.
 *
 * PGlite (typeorm-pglite) is one database per process; its session is lent to one query runner
 * at a time (SerialPGlitePool), which makes TransactionRunner.run truly isolated there too.
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
    return { ...common, url: config.databaseUrl, extra: { max: 10, connectionTimeoutMillis: 5000 } };
  }
  const dir = resolve(config.dataDir, 'pglite');
  mkdirSync(config.dataDir, { recursive: true });
  ensureEmbeddedDataDir(dir);
  const asText = (v: string) => v; // as pg does: int8, numeric and date stay strings
  const driver = new PGliteDriver({
    dataDir: dir,
    startParams: pgliteStartParams(),
    parsers: { [PgliteTypes.INT8]: asText, [PgliteTypes.NUMERIC]: asText, [DATE_OID]: asText },
  }).driver as unknown as { Pool: unknown };
  driver.Pool = SerialPGlitePool;
  return { ...common, driver };
}
