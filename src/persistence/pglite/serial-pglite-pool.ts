import { PGlitePool } from 'typeorm-pglite/dist/pglite-pool';
import { transactionScope } from '../typeorm/transaction-scope';

/**
 * typeorm-pglite hands every query runner the same PGlite session, so two transactions would
 * interleave and a rollback could undo the other's rows. This pool lends the session to one
 * query runner at a time: connect() waits until the previous holder releases it.
 *
 * A connect() from inside TransactionRunner.run (a repository call that forgot its `tx`) would
 * wait for the session its own transaction holds, forever: it fails at once instead.
 */
export class SerialPGlitePool extends PGlitePool {
  private tail: Promise<void> = Promise.resolve();

  override connect(callback: Parameters<PGlitePool['connect']>[0]): Promise<void> {
    if (transactionScope.getStore()?.open) {
      const err = new Error('embedded PGlite: a database call inside TransactionRunner.run must pass its tx (the transaction holds the only session)');
      callback(err, null, () => undefined);
      return Promise.resolve();
    }
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
        callback(err, client, done);
      });
    });
  }
}
