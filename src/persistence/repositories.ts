/**
 * The persistence ports (abstract classes, used as Nest DI tokens), one per file
 * (`<name>.repository.ts`), implemented in `typeorm/typeorm-<name>.repository.ts` on the entities of
 * `entities/`. This barrel keeps one import path for the other modules.
 */
export { AlertRepository } from './alert.repository';
export { ApiKeyRepository } from './api-key.repository';
export { AuditLogRepository } from './audit-log.repository';
export { BookSnapshotRepository } from './book-snapshot.repository';
export { DrawdownEventRepository } from './drawdown-event.repository';
export { DrawdownStateRepository } from './drawdown-state.repository';
export { DuplicateKeyError, StaleVersionError } from './errors';
export { LimitBreachRepository } from './limit-breach.repository';
export { OutboxRepository } from './outbox.repository';
export { PortfolioRepository } from './portfolio.repository';
export { PositionRepository } from './position.repository';
export { ReturnsRepository } from './returns.repository';
export { RiskLimitRepository } from './risk-limit.repository';
export { RiskRunRepository } from './risk-run.repository';
export { TransactionRunner } from './transaction-runner';
export type { Tx } from './transaction-runner';
export { ExclusiveLease } from './exclusive-lease';
export { VarResultRepository } from './var-result.repository';
