import { Client } from 'pg';
import type { DatabaseTimeouts } from './data-source';

const READ_TIMEOUT = 'Query read timeout';

/**
 * pg Client that gives up its connection when a statement's answer does not come within
 * query_timeout. pg reports the timeout but keeps the connection, with the unanswered statement
 * still in front of the next ones (a silent server would hold every later query on it too).
 * Destroying the socket makes the client emit an error: TypeORM then releases it with that
 * error and the pool drops it, so the next request opens a fresh connection (or fails fast).
 */
export class TimeoutGuardedClient extends Client {
  override query(...args: unknown[]): never {
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (result && typeof (result as Promise<unknown>).catch === 'function') {
      (result as Promise<unknown>).catch((err: Error) => {
        if (err?.message === READ_TIMEOUT) (this as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
      });
    }
    return result as never;
  }
}

/**
 * pg pool options bounding every wait on PostgreSQL (api.md "Dependencies down"): opening a
 * connection and waiting for a free one in the pool (connectionTimeoutMillis), one statement on
 * the server (statement_timeout) and the client's wait for its answer (query_timeout, which also
 * catches a server that has gone silent), TCP keep-alive on idle connections.
 */
export function pgPoolOptions(t: DatabaseTimeouts): Record<string, unknown> {
  return {
    max: t.poolSize,
    connectionTimeoutMillis: t.connectTimeoutMs,
    statement_timeout: t.statementTimeoutMs,
    query_timeout: t.statementTimeoutMs,
    keepAlive: true,
    Client: TimeoutGuardedClient,
  };
}
