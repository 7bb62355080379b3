import type { Severity } from '../common/severity';
import { BreachType } from './limit-breach.repository';
import { Tx } from './transaction-runner';

export const ALERT_STATUSES = ['active', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export interface Alert {
  id: string;
  portfolioId: string;
  type: BreachType;
  severity: Severity;
  message: string;
  /** The limit the figure was compared with, percent of value. */
  thresholdPercent: number;
  /** The measured figure at the latest trigger, percent of value. */
  currentPercent: number;
  triggeredAt: Date;
  lastTriggeredAt: Date;
  status: AlertStatus;
  occurrences: number;
  acknowledgedBy: string | null;
  acknowledgedAt: Date | null;
  acknowledgeNote: string | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
}

/**
 * One OPEN alert per (portfolio, type), open = active or acknowledged: an acknowledged alert is
 * still open, so a repeat updates it (occurrences + 1, maybe a higher severity) instead of opening
 * a second one; only a resolved alert lets the next raise open a new one. The partial unique
 * index alerts_one_open (portfolio_id, type) WHERE status <> 'resolved' enforces it.
 */
export abstract class AlertRepository {
  /** The open (active or acknowledged) alert of that type; with a tx, locked FOR UPDATE until it ends. */
  abstract findOpen(portfolioId: string, type: BreachType, tx?: Tx): Promise<Alert | null>;
  /** Throws DuplicateKeyError when the (portfolio, type) already has an open alert. */
  abstract insert(a: Alert, tx?: Tx): Promise<void>;
  /** Writes every mutable field (all but id, portfolioId, type, triggeredAt). */
  abstract update(a: Alert, tx?: Tx): Promise<void>;
  /** forUpdate (with a tx) locks the row until the transaction ends. */
  abstract findById(id: string, tx?: Tx, forUpdate?: boolean): Promise<Alert | null>;
  /** last_triggered_at DESC, at most `limit` (500). */
  /** `portfolioIds` limits the list to those portfolios (a scoped API key); `portfolioId` to one. */
  abstract list(filter: { portfolioId?: string; portfolioIds?: string[]; status?: AlertStatus; limit?: number }, tx?: Tx): Promise<Alert[]>;
}
