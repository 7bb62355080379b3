import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { AlertRepository } from './alert.repository';
import { ApiKeyRepository } from './api-key.repository';
import { AuditLogRepository } from './audit-log.repository';
import { BookSnapshotRepository } from './book-snapshot.repository';
import { buildDataSourceOptions } from './data-source';
import { DrawdownEventRepository } from './drawdown-event.repository';
import { DrawdownStateRepository } from './drawdown-state.repository';
import { ExclusiveLease } from './exclusive-lease';
import { LimitBreachRepository } from './limit-breach.repository';
import { OutboxRepository } from './outbox.repository';
import { PortfolioRepository } from './portfolio.repository';
import { PositionRepository } from './position.repository';
import { ReturnSeriesCache } from './return-series.cache';
import { ReturnsRepository } from './returns.repository';
import { RiskLimitRepository } from './risk-limit.repository';
import { RiskRunRepository } from './risk-run.repository';
import { TransactionRunner } from './transaction-runner';
import { TypeOrmAlertRepository } from './typeorm/typeorm-alert.repository';
import { TypeOrmApiKeyRepository } from './typeorm/typeorm-api-key.repository';
import { TypeOrmAuditLogRepository } from './typeorm/typeorm-audit-log.repository';
import { TypeOrmBookSnapshotRepository } from './typeorm/typeorm-book-snapshot.repository';
import { TypeOrmDrawdownEventRepository } from './typeorm/typeorm-drawdown-event.repository';
import { TypeOrmDrawdownStateRepository } from './typeorm/typeorm-drawdown-state.repository';
import { TypeOrmLimitBreachRepository } from './typeorm/typeorm-limit-breach.repository';
import { TypeOrmOutboxRepository } from './typeorm/typeorm-outbox.repository';
import { TypeOrmPortfolioRepository } from './typeorm/typeorm-portfolio.repository';
import { TypeOrmPositionRepository } from './typeorm/typeorm-position.repository';
import { TypeOrmReturnsRepository } from './typeorm/typeorm-returns.repository';
import { TypeOrmRiskLimitRepository } from './typeorm/typeorm-risk-limit.repository';
import { TypeOrmRiskRunRepository } from './typeorm/typeorm-risk-run.repository';
import { TypeOrmExclusiveLease } from './typeorm/typeorm-exclusive-lease';
import { TypeOrmTransactionRunner } from './typeorm/typeorm-transaction-runner';
import { TypeOrmVarResultRepository } from './typeorm/typeorm-var-result.repository';
import { VarResultRepository } from './var-result.repository';

const bindings = [
  { provide: TransactionRunner, useClass: TypeOrmTransactionRunner },
  { provide: PortfolioRepository, useClass: TypeOrmPortfolioRepository },
  { provide: PositionRepository, useClass: TypeOrmPositionRepository },
  { provide: ReturnsRepository, useClass: TypeOrmReturnsRepository },
  { provide: VarResultRepository, useClass: TypeOrmVarResultRepository },
  { provide: RiskLimitRepository, useClass: TypeOrmRiskLimitRepository },
  { provide: LimitBreachRepository, useClass: TypeOrmLimitBreachRepository },
  { provide: AlertRepository, useClass: TypeOrmAlertRepository },
  { provide: DrawdownStateRepository, useClass: TypeOrmDrawdownStateRepository },
  { provide: DrawdownEventRepository, useClass: TypeOrmDrawdownEventRepository },
  { provide: OutboxRepository, useClass: TypeOrmOutboxRepository },
  { provide: ApiKeyRepository, useClass: TypeOrmApiKeyRepository },
  { provide: AuditLogRepository, useClass: TypeOrmAuditLogRepository },
  { provide: RiskRunRepository, useClass: TypeOrmRiskRunRepository },
  { provide: BookSnapshotRepository, useClass: TypeOrmBookSnapshotRepository },
  { provide: ExclusiveLease, useClass: TypeOrmExclusiveLease },
];

/**
 * The database (PostgreSQL, or embedded PGlite) and the repositories other modules depend on,
 * by their abstract classes; entities never leave this folder. Migrations run at start;
 * synchronize is off. Global: import it once, in AppModule.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forRootAsync({ inject: [AppConfig], useFactory: (c: AppConfig) => buildDataSourceOptions(c) })],
  providers: [...bindings, ReturnSeriesCache],
  exports: [...bindings.map((b) => b.provide), ReturnSeriesCache],
})
export class PersistenceModule {}
