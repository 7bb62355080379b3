import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { buildDataSourceOptions } from './data-source';
import {
  AlertRepository,
  ApiKeyRepository,
  AuditLogRepository,
  DrawdownEventRepository,
  DrawdownStateRepository,
  LimitBreachRepository,
  OutboxRepository,
  PortfolioRepository,
  PositionRepository,
  ReturnsRepository,
  RiskLimitRepository,
  TransactionRunner,
  VarResultRepository,
} from './repositories';
import { ReturnSeriesCache } from './return-series.cache';
import {
  SqlApiKeyRepository,
  SqlAuditLogRepository,
  SqlDrawdownEventRepository,
  SqlDrawdownStateRepository,
  SqlOutboxRepository,
} from './typeorm/ops.repository';
import { SqlPortfolioRepository, SqlPositionRepository, SqlReturnsRepository } from './typeorm/portfolio.repository';
import { SqlAlertRepository, SqlLimitBreachRepository, SqlRiskLimitRepository, SqlVarResultRepository } from './typeorm/risk.repository';
import { TypeOrmTransactionRunner } from './typeorm/transaction-runner';

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
