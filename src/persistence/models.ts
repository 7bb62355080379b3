/**
 * Domain models the repositories answer (never ORM rows). Money as decimal strings; statistics as
 * numbers; calendar dates as 'YYYY-MM-DD'; timestamps as Date. Each is defined beside its
 * repository (`<name>.repository.ts`); this barrel keeps one import path for the other modules.
 */
export type { AlertStatus, Alert } from './alert.repository';
export { ALERT_STATUSES } from './alert.repository';
export type { ApiKey, Role } from './api-key.repository';
export type { AuditEntry } from './audit-log.repository';
export type { DrawdownEvent } from './drawdown-event.repository';
export type { DrawdownState, DrawdownStatus } from './drawdown-state.repository';
export type { BreachType, LimitBreach } from './limit-breach.repository';
export type { BreachSeverity, Level, Severity } from '../common/severity';
export type { NewOutboxEvent, OutboxEvent } from './outbox.repository';
export type { Portfolio } from './portfolio.repository';
export type { Position } from './position.repository';
export type { ReturnRow, ReturnSeries } from './returns.repository';
export type { RiskLimit } from './risk-limit.repository';
export type { RiskRun, RiskRunDispatch, RiskRunParams, RiskRunStatus, RiskRunTaskStatus, TaskOutcome } from './risk-run.repository';
export type { Contribution, CvarContribution, LimitCheck, VarContribution, VarResult } from './var-result.repository';
