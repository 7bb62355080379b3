import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { buildDataSourceOptions } from './data-source';
import { AlertRepository } from './alert.repository';
import { ApiKeyRepository } from './api-key.repository';
import { AuditLogRepository } from './audit-log.repository';
import { DrawdownEventRepository } from './drawdown-event.repository';
import { DrawdownStateRepository } from './drawdown-state.repository';
import { LimitBreachRepository } from './limit-breach.repository';
import { OutboxRepository } from './outbox.repository';
import { PortfolioRepository } from './portfolio.repository';
import { PositionRepository } from './position.repository';
import { ReturnSeriesCache } from './return-series.cache';
import { ReturnsRepository } from './returns.repository';
import { RiskLimitRepository } from './risk-limit.repository';
import { TransactionRunner } from './transaction-runner';
import { SqlAlertRepository } from './typeorm/alert.repository';
import { SqlApiKeyRepository } from './typeorm/api-key.repository';
import { SqlAuditLogRepository } from './typeorm/audit-log.repository';
import { SqlDrawdownEventRepository } from './typeorm/drawdown-event.repository';
import { SqlDrawdownStateRepository } from './typeorm/drawdown-state.repository';
import { SqlLimitBreachRepository } from './typeorm/limit-breach.repository';
import { SqlOutboxRepository } from './typeorm/outbox.repository';
import { SqlPortfolioRepository } from './typeorm/portfolio.repository';
import { SqlPositionRepository } from './typeorm/position.repository';
import { SqlReturnsRepository } from './typeorm/returns.repository';
import { SqlRiskLimitRepository } from './typeorm/risk-limit.repository';
import { TypeOrmTransactionRunner } from './typeorm/transaction-runner';
import { SqlVarResultRepository } from './typeorm/var-result.repository';
import { VarResultRepository } from './var-result.repository';

const bindings = [
  { provide: TransactionRunner, useClass: TypeOrmTransactionRunner },
  { provide: PortfolioRepository, useClass: SqlPortfolioRepository },
  { provide: PositionRepository, useClass: SqlPositionRepository },
  { provide: ReturnsRepository, useClass: SqlReturnsRepository },
  { provide: VarResultRepository, useClass: SqlVarResultRepository },
  { provide: RiskLimitRepository, useClass: SqlRiskLimitRepository },
  { provide: LimitBreachRepository, useClass: SqlLimitBreachRepository },
  { provide: AlertRepository, useClass: SqlAlertRepository },
  { provide: DrawdownStateRepository, useClass: SqlDrawdownStateRepository },
  { provide: DrawdownEventRepository, useClass: SqlDrawdownEventRepository },
  { provide: OutboxRepository, useClass: SqlOutboxRepository },
  { provide: ApiKeyRepository, useClass: SqlApiKeyRepository },
  { provide: AuditLogRepository, useClass: SqlAuditLogRepository },
];

/**
 * The database (PostgreSQL, or embedded PGlite) and the repositories other modules depend on,
 * by their abstract classes. Migrations run at start; synchronize is off.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forRootAsync({ inject: [AppConfig], useFactory: (c: AppConfig) => buildDataSourceOptions(c) })],
  providers: [...bindings, ReturnSeriesCache],
  exports: [...bindings.map((b) => b.provide), ReturnSeriesCache],
})
export class PersistenceModule {}
