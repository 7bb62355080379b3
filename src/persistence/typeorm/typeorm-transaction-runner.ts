import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import { ConflictError } from '../../common/errors';
import { TransactionRunner, Tx } from '../transaction-runner';
import { transactionScope } from './transaction-scope';
import { TypeOrmTx } from './typeorm-tx';

/** PostgreSQL's serialization_failure and deadlock_detected: the transaction may simply be run again. */
const RETRYABLE = new Set(['40001', '40P01']);
const ATTEMPTS = 5;

function isRetryable(err: unknown): boolean {
  return err instanceof QueryFailedError && RETRYABLE.has((err.driverError as { code?: string })?.code ?? '');
}

@Injectable()
export class TypeOrmTransactionRunner extends TransactionRunner {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }

  /**
   * A transaction that PostgreSQL aborts as a serialization failure or a deadlock victim is run
   * again (up to 5 attempts, with a short random backoff), each attempt with a fresh Tx, so the
   * after-commit hooks of a failed attempt never run; `work` must therefore keep its effects
   * inside the transaction. When every attempt fails, 409 CONFLICT.
   */
  async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(work);
      } catch (err) {
        if (!isRetryable(err)) throw err;
        if (attempt >= ATTEMPTS) {
          throw new ConflictError(`the data changed concurrently ${ATTEMPTS} times while this request was written: send it again`);
        }
        await new Promise((r) => setTimeout(r, Math.random() * 10 * 2 ** attempt));
      }
    }
  }

  private async once<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    let tx: (TypeOrmTx & Tx) | undefined;
    const result = await this.ds.transaction(async (manager) => {
      tx = TypeOrmTx.open(manager);
      const scope = { open: true };
      try {
        return await transactionScope.run(scope, () => work(tx!));
      } finally {
        scope.open = false; // work it started that outlives the transaction is not "inside" it
      }
    });
    tx?.committed();
    return result;
  }

  async ping(): Promise<void> {
    await this.ds.query('SELECT 1');
  }
}
