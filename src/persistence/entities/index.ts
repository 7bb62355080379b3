import { AlertEntity } from './alert.entity';
import { AssetSeriesVersionEntity } from './asset-series-version.entity';
import { ApiKeyEntity } from './api-key.entity';
import { AuditLogEntity } from './audit-log.entity';
import { DailyReturnEntity } from './daily-return.entity';
import { DrawdownEventEntity } from './drawdown-event.entity';
import { DrawdownStateEntity } from './drawdown-state.entity';
import { LimitBreachEntity } from './limit-breach.entity';
import { OutboxEventEntity } from './outbox-event.entity';
import { PortfolioEntity } from './portfolio.entity';
import { PositionEntity } from './position.entity';
import { RiskLimitEntity } from './risk-limit.entity';
import { RiskRunEntity } from './risk-run.entity';
import { RiskRunTaskEntity } from './risk-run-task.entity';
import { VarResultEntity } from './var-result.entity';

export {
  AlertEntity,
  AssetSeriesVersionEntity,
  ApiKeyEntity,
  AuditLogEntity,
  DailyReturnEntity,
  DrawdownEventEntity,
  DrawdownStateEntity,
  LimitBreachEntity,
  OutboxEventEntity,
  PortfolioEntity,
  PositionEntity,
  RiskLimitEntity,
  RiskRunEntity,
  RiskRunTaskEntity,
  VarResultEntity,
};

/** Every entity, listed explicitly (no glob): the same list for the app, the CLI and the tests. */
export const ENTITIES = [
  PortfolioEntity,
  PositionEntity,
  DailyReturnEntity,
  AssetSeriesVersionEntity,
  RiskLimitEntity,
  VarResultEntity,
  DrawdownStateEntity,
  DrawdownEventEntity,
  LimitBreachEntity,
  AlertEntity,
  OutboxEventEntity,
  ApiKeyEntity,
  AuditLogEntity,
  RiskRunEntity,
  RiskRunTaskEntity,
];
