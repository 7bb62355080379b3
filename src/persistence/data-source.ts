import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { types as PgliteTypes } from '@electric-sql/pglite';
import { types as pgTypes } from 'pg';
import { DataSourceOptions } from 'typeorm';
import { PGliteDriver } from 'typeorm-pglite';
import { PGlitePool } from 'typeorm-pglite/dist/pglite-pool';
import { MIGRATIONS } from '../../migrations';

const DATE_OID = 1082;
// A calendar date stays 'YYYY-MM-DD' (pg would make it a Date at local midnight).
pgTypes.setTypeParser(DATE_OID, (v: string) => v);

/**
 * typeorm-pglite hands every query runner the same PGlite session, so two transactions would
 * interleave and a rollback could undo the other's rows. This pool lends the session to one
 * query runner at a time: connect() waits until the previous holder releases it.
 */
class SerialPGlitePool extends PGlitePool {
  private tail: Promise<void> = Promise.resolve();

  override connect(callback: Parameters<PGlitePool['connect']>[0]): Promise<void> {
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const previous = this.tail;
    this.tail = previous.then(() => mine);
    return previous.then(() => {
      let released = false;
      const done = () => {
        if (!released) {
          released = true;
          release();
        }
      };
      return super.connect((err, client) => {
        if (err) done(); // TypeORM does not release a client it failed to get
        callback(err, client, done as never);
      });
    });
  }
}

export interface DatabaseConfig {
  databaseUrl?: string;
  dataDir: string;
}

/** PostgreSQL when DATABASE_URL is set, else an embedded PGlite database persisted under DATA_DIR. */
export function buildDataSourceOptions(config: DatabaseConfig): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    synchronize: false,
    migrationsRun: true,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'each' as const,
    entities: [],
    logging: false,
  };
  if (config.databaseUrl) {
    return { ...common, url: config.databaseUrl, extra: { max: 10, connectionTimeoutMillis: 5000 } };
  }
  const dir = resolve(config.dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  const identity = (v: string) => v;
  const driver = new PGliteDriver({
    dataDir: dir,
    parsers: { [PgliteTypes.INT8]: identity, [PgliteTypes.NUMERIC]: identity, [DATE_OID]: identity },
  }).driver as unknown as { Pool: unknown };
  driver.Pool = SerialPGlitePool;
  return { ...common, driver };
}

export function isEmbedded(config: DatabaseConfig): boolean {
  return !config.databaseUrl;
}
