declare const TX_BRAND: unique symbol;

/**
 * Transaction handle, made only by a TransactionRunner (the brand keeps an arbitrary object from
 * type-checking as one; the TypeORM repositories also refuse at run time anything their runner did
 * not make). Every repository method takes it as its optional last argument: given, the call joins
 * that transaction; absent, it runs on its own (in its own transaction when it writes more than
 * one statement).
 */
export interface Tx {
  readonly [TX_BRAND]: true;
  /**
   * Runs `hook` once the transaction has committed, never after a rollback: wake the outbox relay,
   * count a breach, set a gauge. Hooks run in the order they were added; one that throws is logged
   * and does not undo the commit or stop the others.
   */
  afterCommit(hook: () => void): void;
}

/**
 * Runs work in one database transaction: commit when the promise resolves, rollback when it rejects.
 * Isolated on both databases: on embedded PGlite transactions are serialised (one session lent to
 * one transaction at a time). Inside `work`, pass `tx` to every repository call: on PostgreSQL a
 * call without it runs outside the transaction; on PGlite it fails at once (it would otherwise
 * wait forever for the session the transaction holds). The after-commit hooks registered on `tx`
 * run when the commit is done, before `run` resolves.
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
