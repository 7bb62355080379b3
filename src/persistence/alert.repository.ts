import { BreachType, Severity } from './limit-breach.repository';
import { Tx } from './transaction-runner';

export type AlertStatus = 'active' | 'acknowledged' | 'resolved';

export interface Alert {
  id: string;
  portfolioId: string;
  type: BreachType;
  severity: Severity;
  message: string;
  threshold: number;
  currentValue: number;
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

export abstract class AlertRepository {
  /** The open (active or acknowledged) alert of that type, locked FOR UPDATE (pass a tx for the lock to last). */
  abstract findOpen(portfolioId: string, type: BreachType, tx?: Tx): Promise<Alert | null>;
  /** A second open alert for the same (portfolio, type) violates alerts_one_open (unique_violation 23505). */
  abstract insert(a: Alert, tx?: Tx): Promise<void>;
  abstract update(a: Alert, tx?: Tx): Promise<void>;
  abstract findById(id: string, tx?: Tx, forUpdate?: boolean): Promise<Alert | null>;
  /** last_triggered_at DESC, at most `limit` (500). */
  abstract list(filter: { portfolioId?: string; status?: AlertStatus; limit?: number }, tx?: Tx): Promise<Alert[]>;
}
