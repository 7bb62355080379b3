import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * shared/reference/eustock-smi-cac.json (beside the repository): R's EuStockMarkets SMI and CAC
 * closes and the figures computed from them with numpy/scipy under math.md's conventions,
 * plus PerformanceAnalytics' own (pa_*).
 */
export const reference = JSON.parse(readFileSync(resolve(__dirname, '../../../../shared/reference/eustock-smi-cac.json'), 'utf8')) as {
  series: Record<'SMI' | 'CAC', { prices: number[]; expected: Record<string, any>; performance_analytics: Record<string, number> }>;
};

export const SERIES = ['SMI', 'CAC'] as const;

/** Simple returns r_t = P_t / P_{t−1} − 1 of a price series. */
export function returnsOf(prices: readonly number[]): number[] {
  const r: number[] = [];
  for (let i = 1; i < prices.length; i++) r.push(prices[i] / prices[i - 1] - 1);
  return r;
}

/** |a − e| ≤ tol·|e| */
export function expectRel(actual: number, expected: number, tol = 1e-9): void {
  const err = Math.abs(actual - expected) / Math.max(Math.abs(expected), Number.MIN_VALUE);
  if (!(err <= tol)) throw new Error(`expected ${actual} to equal ${expected} within ${tol} relative (off by ${err})`);
}
