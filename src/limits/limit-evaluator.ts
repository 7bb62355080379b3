import { BreachSeverity, Level } from '../common/severity';
import { LimitThresholds } from '../config/app-config';

export type LimitStatus = 'ok' | 'warning' | 'breach';

export interface LimitEvaluation {
  /** measured / limit */
  utilization: number;
  status: LimitStatus;
  /** Set when status is breach. */
  severity: BreachSeverity | null;
}

/**
 * Utilization u = measured / limit: u < warning → ok; warning ≤ u < breach → warning (an alert,
 * no breach); breach ≤ u < critical → breach, severity high; u ≥ critical → breach, critical.
 * Defaults 0.8 / 1 / 1.25 (configurable). Both figures are positive (percent of value).
 */
export function evaluateLimit(measured: number, limit: number, t: LimitThresholds): LimitEvaluation {
  if (!(limit > 0)) return { utilization: 0, status: 'ok', severity: null };
  const utilization = Math.abs(measured) / limit;
  if (utilization >= t.critical) return { utilization, status: 'breach', severity: 'critical' };
  if (utilization >= t.breach) return { utilization, status: 'breach', severity: 'high' };
  if (utilization >= t.warning) return { utilization, status: 'warning', severity: null };
  return { utilization, status: 'ok', severity: null };
}

/** The evaluation on the one severity scale (common/severity.ts): ok < warning < high < critical. */
export function levelOf(e: LimitEvaluation): Level {
  return e.status === 'breach' ? e.severity! : e.status;
}
