import { Level } from '../common/severity';
import { LimitThresholds } from '../config/app-config';

export interface LimitEvaluation {
  /** measured / limit */
  utilization: number;
  /** On the one scale (common/severity.ts); a breach is high or critical. */
  status: Level;
}

/**
 * Utilization u = measured / limit: u < warning → ok; warning ≤ u < breach → warning (an alert,
 * no breach); breach ≤ u < critical → high (a breach); u ≥ critical → critical (a breach).
 * Defaults 0.8 / 1 / 1.25 (configurable). Both figures are positive (percent of value).
 */
export function evaluateLimit(measured: number, limit: number, t: LimitThresholds): LimitEvaluation {
  if (!(limit > 0)) return { utilization: 0, status: 'ok' };
  const utilization = Math.abs(measured) / limit;
  if (utilization >= t.critical) return { utilization, status: 'critical' };
  if (utilization >= t.breach) return { utilization, status: 'high' };
  if (utilization >= t.warning) return { utilization, status: 'warning' };
  return { utilization, status: 'ok' };
}
