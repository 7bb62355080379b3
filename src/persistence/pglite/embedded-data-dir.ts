import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import v8 from 'node:v8';
import { PGlite, types as PgliteTypes } from '@electric-sql/pglite';
import { PGliteDriver } from 'typeorm-pglite';
import { DATE_OID } from '../data-source';
import { SerialPGlitePool } from './serial-pglite-pool';

/**
 * shared_buffers of the embedded database. PGlite's default (160 MB, in the WASM heap) was most of
 * the resident size of the process; the service's working set is a few tables of returns, which
 * the OS page cache holds anyway. Figures: scripts/measure-startup.ts (README).
 */
export const PGLITE_SHARED_BUFFERS = '16MB';

/**
 * Start parameters of the embedded database (PGlite's own plus the smaller buffer pool), and the
 * WebAssembly compiler it runs under: V8's baseline compiler only (Liftoff), because the
 * optimising tier kept a second, larger copy of postgres' machine code (about 40 MB) for no
 * measurable gain on the service's queries. Only called when the embedded database is used, before
 * PGlite compiles its module; the service itself runs no other WebAssembly.
 */
export function pgliteStartParams(): string[] {
  v8.setFlagsFromString('--liftoff-only');
  return [...PGlite.defaultStartParams, '-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`];
}

/**
 * Makes `dir` an initialised PGlite data directory, running initdb in a child process when it is
 * not one yet. initdb leaves the WASM heap of the process that ran it at about 800 MB, which
 * WebAssembly never gives back; in a child, that memory goes when the child exits, and the service
 * then opens the directory like any later start (about 200 MB less). initdb writes into a
 * sibling directory that is renamed into place when complete, so an interrupted first start
 * leaves no half-initialised database behind. Synchronous: it runs once, before anything serves.
 */
export function ensureEmbeddedDataDir(dir: string): void {
  if (existsSync(join(dir, 'PG_VERSION'))) return;
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new Error(`DATA_DIR: ${dir} is neither empty nor a PGlite database (no PG_VERSION)`);
  }
  const staging = `${dir}.initdb`;
  rmSync(staging, { recursive: true, force: true });
  const script =
    `const { PGlite } = require(${JSON.stringify(require.resolve('@electric-sql/pglite'))});` +
    `(async () => { const db = new PGlite(${JSON.stringify(staging)}); await db.waitReady; await db.close(); })()` +
    `.catch((e) => { process.stderr.write(String(e && e.stack || e) + '\\n'); process.exit(1); });`;
  // NODE_OPTIONS of a test runner (--experimental-vm-modules…) are not needed by plain require.
  execFileSync(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NODE_OPTIONS: '' } });
  if (existsSync(dir)) rmdirSync(dir); // empty, checked above
  renameSync(staging, dir);
}

/**
 * The TypeORM driver of the embedded database in `dir` (initialised first when new): int8, numeric
 * and date come back as text, as with pg; the session is lent to one query runner at a time.
 */
export function embeddedDriver(dir: string): unknown {
  ensureEmbeddedDataDir(dir);
  const asText = (v: string) => v;
  const driver = new PGliteDriver({
    dataDir: dir,
    startParams: pgliteStartParams(),
    parsers: { [PgliteTypes.INT8]: asText, [PgliteTypes.NUMERIC]: asText, [DATE_OID]: asText },
  }).driver as unknown as { Pool: unknown };
  driver.Pool = SerialPGlitePool;
  return driver;
}
