import { Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Tx } from '../transaction-runner';

const logger = new Logger('TransactionRunner');

/** The TypeORM transaction behind a Tx: its EntityManager and the hooks to run after commit. */
export class TypeOrmTx {
  private readonly hooks: Array<() => void> = [];

  private constructor(readonly manager: EntityManager) {}

  /** Only TypeOrmTransactionRunner calls this, with the manager of the transaction it opened. */
  static open(manager: EntityManager): TypeOrmTx & Tx {
    return new TypeOrmTx(manager) as TypeOrmTx & Tx;
  }

  afterCommit(hook: () => void): void {
    this.hooks.push(hook);
  }

  /** After the commit: every hook, in order; a failing hook is logged, the others still run. */
  committed(): void {
    for (const hook of this.hooks.splice(0)) {
      try {
        hook();
      } catch (err) {
        logger.error(`after-commit hook failed: ${(err as Error).message}`);
      }
    }
  }
}
