import { Client } from 'pg';
import { DataSource, EntityManager, QueryFailedError, QueryRunner } from 'typeorm';
import { Tx } from '../transaction-runner';
import { TypeOrmTx } from './typeorm-tx';

/** The manager a call runs on: the caller's transaction, or the data source itself. */
export function managerOf(ds: DataSource, tx?: Tx): EntityManager {
  if (tx === undefined) return ds.manager;
  if (!(tx instanceof TypeOrmTx)) throw new TypeError('not a transaction of TransactionRunner.run: pass the tx it gave you');
  return tx.manager;
}

/** Runs multi-statement work atomically: inside the caller's transaction, else in a new one. */
export function atomically<T>(ds: DataSource, tx: Tx | undefined, work: (m: EntityManager) => Promise<T>): Promise<T> {
  return tx ? work(managerOf(ds, tx)) : ds.transaction(work);
}

/** The node-postgres client `runner` holds on PostgreSQL; null on PGlite. */
export async function nodePostgresClient(runner: QueryRunner): Promise<Client | null> {
  const client: unknown = await runner.connect();
  return client instanceof Client ? client : null;
}

/**
 * One statement outside any transaction (the hot paths: the stored VaR's book read and write, the
 * outbox relay) as a named prepared statement on PostgreSQL, so that each connection parses and
 * plans it once; TypeORM's query() sends every statement unnamed, parsed and planned at each call
 * (≈ 0.5 ms of the book read). `name` must be unique to `text`. Errors arrive as QueryFailedError,
 * as from query(). On PGlite (no named statements through typeorm-pglite) it is query().
 */
export function preparedQuery<T>(ds: DataSource, name: string, text: string, values: unknown[]): Promise<T[]> {
  return withRunner(ds, async (runner) => {
    const client = await nodePostgresClient(runner);
    if (!client) return (await runner.query(text, values)) as T[];
    try {
      return (await client.query({ name, text, values })).rows as T[];
    } catch (err) {
      throw new QueryFailedError(text, values, err as Error);
    }
  });
}

/** `work` on a connection of the pool taken for it alone, released whatever happens. */
export async function withRunner<T>(ds: DataSource, work: (runner: QueryRunner) => Promise<T>): Promise<T> {
  const runner = ds.createQueryRunner();
  try {
    return await work(runner);
  } finally {
    await runner.release();
  }
}

/**
 * Maintenance statements that may outlast the pool's statement timeout (an index built, a table
 * vacuumed), one after the other on one connection outside any transaction: on PostgreSQL with
 * statement_timeout and the client's read timeout raised to `timeoutMs` for them (and put back);
 * on PGlite as they are (one in-process session, no timeout). Never inside a transaction.
 */
export async function maintenance(runner: QueryRunner, statements: string[], timeoutMs: number): Promise<void> {
  const client = await nodePostgresClient(runner);
  if (!client) {
    for (const text of statements) await runner.query(text);
    return;
  }
  const run = async (text: string) => {
    try {
      await client.query({ text, query_timeout: timeoutMs + 5000 } as unknown as string);
    } catch (err) {
      throw new QueryFailedError(text, [], err as Error);
    }
  };
  await run(`SET statement_timeout = ${Math.trunc(timeoutMs)}`);
  try {
    for (const text of statements) await run(text);
  } finally {
    await run('RESET statement_timeout').catch(() => undefined);
  }
}

/**
 * A select-list item that commits the statement's own transaction without waiting for its WAL
 * record to reach the disk (synchronous_commit off for that transaction only: set_config's
 * is_local), for bookkeeping whose loss in a database crash repeats work and loses nothing (the
 * outbox relay's lease and sent mark). Saves a disk flush per statement (≈ 0.4–0.6 ms here);
 * visibility and crash consistency are unchanged, and a later durable commit flushes it too.
 * Only evaluated when the statement returns a row: a statement that changed nothing has no
 * commit record to wait for.
 */
export const COMMIT_WITHOUT_FLUSH = `set_config('synchronous_commit', 'off', true) AS commit_without_flush`;

/**
 * `FROM … LIMIT 1` of the risk_limits version in force for `portfolio` at `at` (SQL expressions),
 * as `alias`: the newest effective_date not after `at`, then the newest created_at (the index
 * risk_limits_in_force). The one rule of the statements that read the limit in force.
 */
export function limitInForceFrom(portfolio: string, at: string, alias = 'l'): string {
  return `FROM risk_limits ${alias} WHERE ${alias}.portfolio_id = ${portfolio} AND ${alias}.effective_date <= ${at}
    ORDER BY ${alias}.effective_date DESC, ${alias}.created_at DESC LIMIT 1`;
}

/** Whether `portfolio` has an alert of type `type` not yet resolved (SQL expressions). */
export function openAlertExists(portfolio: string, type: string): string {
  return `EXISTS (SELECT 1 FROM alerts a WHERE a.portfolio_id = ${portfolio} AND a.type = ${type} AND a.status <> 'resolved')`;
}

/** A pessimistic row lock needs a transaction: only taken when the caller passed one. */
export function lockIf(tx: Tx | undefined, wanted = true): { lock?: { mode: 'pessimistic_write' } } {
  return tx && wanted ? { lock: { mode: 'pessimistic_write' } } : {};
}

/** TypeORM answers UPDATE/DELETE … RETURNING as [rows, affectedCount]; INSERT/SELECT as rows. */
export function resultRows<T = Record<string, any>>(raw: unknown): T[] {
  if (Array.isArray(raw) && raw.length === 2 && Array.isArray(raw[0]) && typeof raw[1] === 'number') return raw[0] as T[];
  return raw as T[];
}

export function isUniqueViolation(err: unknown): boolean {
  return err instanceof QueryFailedError && (err.driverError as { code?: string })?.code === '23505';
}
