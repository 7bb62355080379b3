import Big from 'big.js';

export type Level = 'ok' | 'warning' | 'high' | 'critical';

/** One NAV update as published: integer money (no rounding question) and its time. */
export interface NavPoint {
  value: number;
  at: Date;
}

/** A limit version: max_drawdown_percent in force from `from` (the latest `from` ≤ at applies). */
export interface DrawdownLimit {
  from: Date;
  maxDrawdownPercent: number;
}

export interface ExpectedDrawdown {
  peak: number;
  current: number;
  currentAt: Date;
  maxDrawdown: number;
  status: Level;
  /** Every status change, in order: one drawdown event and one risk.drawdown.alert each. */
  changes: Array<{ from: Level; to: Level }>;
  /** ok → above ok: each opens a new DRAWDOWN alert (the previous one was resolved on recovery). */
  alertsOpened: number;
}

/**
 * The drawdown state after applying `points` one by one in the given order, from the definitions in
 * docs/api.md (not from the service's code): an update not newer than the last applied is ignored;
 * peak = highest value so far; drawdown = 1 − value / peak; status from utilization = drawdown % /
 * max_drawdown_percent against the warning / breach / critical thresholds.
 */
export function expectedDrawdown(points: readonly NavPoint[], limits: readonly DrawdownLimit[], t = { warning: 0.8, breach: 1, critical: 1.25 }): ExpectedDrawdown {
  let peak = 0;
  let current = 0;
  let currentAt = new Date(0);
  let maxDrawdown = 0;
  let status: Level = 'ok';
  const changes: ExpectedDrawdown['changes'] = [];
  let alertsOpened = 0;
  for (const p of points) {
    if (peak > 0 && p.at.getTime() <= currentAt.getTime()) continue;
    peak = Math.max(peak, p.value);
    current = p.value;
    currentAt = p.at;
    const drawdown = Number(new Big(1).minus(new Big(p.value).div(peak)));
    maxDrawdown = Math.max(maxDrawdown, drawdown);
    const limit = [...limits].filter((l) => l.from.getTime() <= p.at.getTime()).sort((a, b) => b.from.getTime() - a.from.getTime())[0];
    const u = limit ? (drawdown * 100) / limit.maxDrawdownPercent : 0;
    const next: Level = u >= t.critical ? 'critical' : u >= t.breach ? 'high' : u >= t.warning ? 'warning' : 'ok';
    if (next !== status) {
      changes.push({ from: status, to: next });
      if (status === 'ok') alertsOpened++;
      status = next;
    }
  }
  return { peak, current, currentAt, maxDrawdown, status, changes, alertsOpened };
}

/** A random walk of NAVs around 1,000,000 (integers), deep enough to cross the drawdown thresholds often. */
export function navWalk(n: number, seed: number, t0: number, stepMs = 60_000): NavPoint[] {
  let x = seed >>> 0 || 1;
  const rand = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
  let v = 1_000_000;
  return Array.from({ length: n }, (_, i) => {
    v = Math.max(1000, Math.round(v * (1 + 0.02 * (rand() - 0.5))));
    return { value: v, at: new Date(t0 + i * stepMs) };
  });
}
