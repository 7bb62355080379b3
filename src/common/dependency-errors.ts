/**
 * Recognises a failure to reach the database (refused, reset, timed out, shutting down) in whatever
 * shape it arrives: pg's and Node's errors directly, or wrapped by TypeORM (QueryFailedError's
 * driverError). Such a request answers 503 DEPENDENCY_UNAVAILABLE with Retry-After, not 500; a NAV
 * message failing so is retried. Duck-typed: no import of the database layer here.
 */
const CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED',
  // PostgreSQL SQLSTATE: connection exceptions, too many connections, shutdown / starting up, statement timeout
  '08000', '08001', '08003', '08004', '08006', '53300', '57P01', '57P02', '57P03', '57014',
]);
const MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|Query read timeout|Client has encountered a connection error|Client was closed and is not queryable|Cannot use a pool after calling end|terminating connection due to administrator command|the database system is (starting up|shutting down)/i;

/** Seconds a client is asked to wait (Retry-After) before trying again after a dependency failure. */
export const DEPENDENCY_RETRY_AFTER_SECONDS = 2;

export function isDependencyUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 3) return false;
  const e = err as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && CODES.has(e.code)) return true;
  if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isDependencyUnavailable(x, depth + 1))) return true; // AggregateError (IPv4 + IPv6 connect)
  return isDependencyUnavailable(e.driverError, depth + 1) || isDependencyUnavailable(e.cause, depth + 1);
}
