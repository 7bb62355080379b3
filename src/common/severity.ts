/**
 * The one severity scale of the service, lowest first: limit evaluations, alerts, breaches and
 * drawdown states all read it from here (and so do the database CHECK constraints).
 *
 * - `ok`: under the warning threshold (no alert);
 * - `warning`: at or over the warning threshold, under the limit (an alert, no breach);
 * - `high`: at or over the limit (a breach);
 * - `critical`: at or over the critical threshold (a breach).
 */
export const LEVELS = ['ok', 'warning', 'high', 'critical'] as const;
export type Level = (typeof LEVELS)[number];

/** An alert's severity: any level above ok. */
export const SEVERITIES = ['warning', 'high', 'critical'] as const satisfies readonly Level[];
export type Severity = (typeof SEVERITIES)[number];

/** A breach's severity: the levels at or over the limit. */
export const BREACH_SEVERITIES = ['high', 'critical'] as const satisfies readonly Severity[];
export type BreachSeverity = (typeof BREACH_SEVERITIES)[number];

/** A breach is high or critical. */
export function isBreach(level: Level): level is BreachSeverity {
  return (BREACH_SEVERITIES as readonly Level[]).includes(level);
}

/** Position on the scale: ok 0, warning 1, high 2, critical 3. */
export function rankOf(level: Level): number {
  return LEVELS.indexOf(level);
}

/** `'a', 'b'`: a list of levels for an SQL `IN (…)` check. */
export function sqlList(levels: readonly Level[]): string {
  return levels.map((l) => `'${l}'`).join(', ');
}
