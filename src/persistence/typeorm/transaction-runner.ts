import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TransactionRunner, Tx } from '../transaction-runner';

@Injectable()
export class TypeOrmTransactionRunner extends TransactionRunner {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }
  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.ds.transaction((manager) => work(manager));
  }
  async ping(): Promise<void> {
    await this.ds.query('SELECT 1');
  }
}
