import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TransactionRunner, Tx } from '../transaction-runner';
import { transactionScope } from './transaction-scope';

@Injectable()
export class TypeOrmTransactionRunner extends TransactionRunner {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.ds.transaction(async (manager) => {
      const scope = { open: true };
      try {
        return await transactionScope.run(scope, () => work(manager));
      } finally {
        scope.open = false; // work it started that outlives the transaction is not "inside" it
      }
    });
  }

  async ping(): Promise<void> {
    await this.ds.query('SELECT 1');
  }
}
