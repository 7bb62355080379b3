/**
 * Opaque transaction handle (a TypeORM EntityManager bound to one query runner, but callers must
 * not rely on that). Every repository method takes it as its optional last argument: given, the
 * call joins that transaction; absent, it runs on its own (in its own transaction when it writes
 * more than one statement).
 */
export type Tx = { readonly __tx: unique symbol } | object;

/**
 * Runs work in one database transaction: commit when the promise resolves, rollback when it rejects.
 * Isolated on both databases: on embedded PGlite transactions are serialised (one session lent to
 * one transaction at a time). Inside `work`, pass `tx` to every repository call: on PostgreSQL a
 * call without it runs outside the transaction; on PGlite it fails at once (it would otherwise
 * wait forever for the session the transaction holds).
 */
export abstract class TransactionRunner {
  /**
   * A serialization failure or deadlock makes the runner run `work` again (bounded; 409 CONFLICT
   * when every attempt fails): keep its effects inside the transaction.
   */
  abstract run<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /** SELECT 1: the readiness probe. */
  abstract ping(): Promise<void>;
}
