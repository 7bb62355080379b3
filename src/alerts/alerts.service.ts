import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { currentActor } from '../common/actor';
import { currentCorrelationId } from '../common/correlation-id';
import { ConflictError, NotFoundError } from '../common/errors';
import { rankOf, Severity } from '../common/severity';
import { Alert, AlertStatus, BreachType } from '../persistence/models';
import { canSeePortfolio, portfolioScope } from '../common/portfolio-scope';
import { AlertRepository, AuditLogRepository, TransactionRunner, Tx } from '../persistence/repositories';
import { AlertResponseDto } from './dto/alert-response.dto';

export interface RaiseOutcome {
  alert: Alert;
  opened: boolean;
  escalated: boolean;
}

/**
 * Alert lifecycle: one open alert per (portfolio, type). "Open" is active or acknowledged: a
 * repeat raises `occurrences` (and may escalate severity, which re-activates an acknowledged
 * alert) rather than opening a second alert. Resolve closes it; the next raise opens a new one.
 */
@Injectable()
export class AlertsService {
  constructor(
    private readonly alerts: AlertRepository,
    private readonly audit: AuditLogRepository,
    private readonly tx: TransactionRunner,
  ) {}

  /** Inside the caller's transaction: opens, repeats or escalates the open alert. */
  async raise(p: { portfolioId: string; type: BreachType; severity: Severity; message: string; thresholdPercent: number; currentPercent: number; at: Date }, tx: Tx): Promise<RaiseOutcome> {
    const open = await this.alerts.findOpen(p.portfolioId, p.type, tx);
    if (!open) {
      const alert: Alert = {
        id: randomUUID(),
        portfolioId: p.portfolioId,
        type: p.type,
        severity: p.severity,
        message: p.message,
        thresholdPercent: p.thresholdPercent,
        currentPercent: p.currentPercent,
        triggeredAt: p.at,
        lastTriggeredAt: p.at,
        status: 'active',
        occurrences: 1,
        acknowledgedBy: null,
        acknowledgedAt: null,
        acknowledgeNote: null,
        resolvedAt: null,
        resolvedBy: null,
      };
      await this.alerts.insert(alert, tx);
      return { alert, opened: true, escalated: false };
    }
    const escalated = rankOf(p.severity) > rankOf(open.severity);
    const updated: Alert = {
      ...open,
      severity: escalated ? p.severity : open.severity,
      message: escalated ? p.message : open.message,
      thresholdPercent: p.thresholdPercent,
      currentPercent: p.currentPercent,
      lastTriggeredAt: p.at,
      occurrences: open.occurrences + 1,
      status: escalated ? 'active' : open.status,
    };
    await this.alerts.update(updated, tx);
    return { alert: updated, opened: false, escalated };
  }

  /** Inside the caller's transaction: resolves the open alert on recovery. */
  async resolveOnRecovery(portfolioId: string, type: BreachType, at: Date, tx: Tx): Promise<Alert | null> {
    const open = await this.alerts.findOpen(portfolioId, type, tx);
    if (!open) return null;
    const resolved: Alert = { ...open, status: 'resolved', resolvedAt: at, resolvedBy: 'system (recovered)' };
    await this.alerts.update(resolved, tx);
    return resolved;
  }

  async acknowledge(id: string, note: string | undefined): Promise<AlertResponseDto> {
    const acknowledged = await this.tx.run(async (t) => {
      const a = await this.alerts.findById(id, t, true);
      if (!a || !canSeePortfolio(a.portfolioId)) throw new NotFoundError(`alert ${id} not found`);
      if (a.status === 'resolved') throw new ConflictError(`alert ${id} is resolved and cannot be acknowledged`);
      // The first acknowledgement stands (an escalation makes the alert active again, to be acknowledged anew).
      if (a.status === 'acknowledged') {
        throw new ConflictError(`alert ${id} was already acknowledged by ${a.acknowledgedBy} at ${a.acknowledgedAt?.toISOString()}`);
      }
      const updated: Alert = { ...a, status: 'acknowledged', acknowledgedBy: currentActor(), acknowledgedAt: new Date(), acknowledgeNote: note ?? null };
      await this.alerts.update(updated, t);
      await this.audit.append({ actor: currentActor(), action: 'alert.acknowledge', entity: 'alert', entityId: id, details: { note }, correlationId: currentCorrelationId() }, t);
      return updated;
    });
    return toResponse(acknowledged);
  }

  async resolve(id: string, note?: string): Promise<AlertResponseDto> {
    const resolved = await this.tx.run(async (t) => {
      const a = await this.alerts.findById(id, t, true);
      if (!a || !canSeePortfolio(a.portfolioId)) throw new NotFoundError(`alert ${id} not found`);
      if (a.status === 'resolved') throw new ConflictError(`alert ${id} is already resolved`);
      const updated: Alert = { ...a, status: 'resolved', resolvedAt: new Date(), resolvedBy: currentActor() };
      await this.alerts.update(updated, t);
      await this.audit.append({ actor: currentActor(), action: 'alert.resolve', entity: 'alert', entityId: id, details: { note }, correlationId: currentCorrelationId() }, t);
      return updated;
    });
    return toResponse(resolved);
  }

  /** Alerts of the portfolios the caller's key may see. */
  async list(filter: { portfolioId?: string; status?: AlertStatus }): Promise<AlertResponseDto[]> {
    const scope = portfolioScope();
    if (scope !== null && filter.portfolioId !== undefined && !scope.has(filter.portfolioId)) return [];
    const rows = await this.alerts.list(scope === null ? filter : { ...filter, portfolioIds: [...scope] });
    return rows.map(toResponse);
  }
}

function toResponse(a: Alert): AlertResponseDto {
  return {
    id: a.id,
    portfolio_id: a.portfolioId,
    type: a.type,
    severity: a.severity,
    message: a.message,
    threshold_percent: a.thresholdPercent,
    current_percent: a.currentPercent,
    triggered_at: a.triggeredAt.toISOString(),
    last_triggered_at: a.lastTriggeredAt.toISOString(),
    status: a.status,
    occurrences: a.occurrences,
    acknowledged_by: a.acknowledgedBy,
    acknowledged_at: a.acknowledgedAt?.toISOString() ?? null,
    acknowledge_note: a.acknowledgeNote,
    resolved_at: a.resolvedAt?.toISOString() ?? null,
    resolved_by: a.resolvedBy,
  };
}
