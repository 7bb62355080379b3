import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TransactionRunner, Tx } from '../transaction-runner';
import { transactionScope } from './transaction-scope';
import { TypeOrmTx } from './typeorm-tx';

@Injectable()
export class TypeOrmTransactionRunner extends TransactionRunner {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }

  async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
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
