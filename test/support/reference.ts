import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { businessDays } from './api';

/**
 * The one loader of the reference data every test uses: test/fixtures/eustock-smi-cac.json, R's
 * EuStockMarkets SMI and CAC daily closes (1991–1998) with the figures computed from them with
 * numpy/scipy under docs/math.md's conventions (`expected`), plus PerformanceAnalytics' own
 * (`performance_analytics`, pa_*: σ over n, so its parametric figures differ in the 4th digit).
 */
export interface Reference {
  source: string;
  conventions: string;
  series: Record<SeriesName, { prices: number[]; expected: Record<string, any>; performance_analytics: Record<string, number> }>;
}

export const SERIES = ['SMI', 'CAC'] as const;
export type SeriesName = (typeof SERIES)[number];

/** The parsed fixture (a fresh object per call: a test may not change another's data). */
export function loadReference(): Reference {
  return JSON.parse(readFileSync(resolve(__dirname, '../fixtures/eustock-smi-cac.json'), 'utf8')) as Reference;
}

/** Simple returns r_t = P_t / P_{t−1} − 1 of a price series, oldest first. */
export function simpleReturns(prices: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < prices.length; i++) out.push(prices[i] / prices[i - 1] - 1);
  return out;
}

/** |actual − expected| ≤ tol·|expected| */
export function relClose(actual: number, expected: number, tol = 1e-9): boolean {
  return Math.abs(actual - expected) <= tol * Math.max(Math.abs(expected), Number.MIN_VALUE);
}

/** Throws, with both figures and the relative error, unless relClose(actual, expected, tol). */
export function expectRel(actual: number, expected: number, tol = 1e-9): void {
  if (!relClose(actual, expected, tol)) {
    const err = Math.abs(actual - expected) / Math.max(Math.abs(expected), Number.MIN_VALUE);
    throw new Error(`expected ${actual} to equal ${expected} within ${tol} relative (off by ${err})`);
  }
}

/**
 * test/fixtures/quant-reference.json: drawdown episodes and underwater, performance statistics,
 * backtest exception indices, EWMA / filtered historical VaR, stored-portfolio components, what-if,
 * stress P&L and rolling VaR of the same SMI and CAC closes, computed by an independent numpy
 * implementation of docs/math.md (scripts/reference/quant_reference.py, which says how to regenerate it).
 */
export function loadQuantReference(): Record<string, any> {
  return JSON.parse(readFileSync(resolve(__dirname, '../fixtures/quant-reference.json'), 'utf8')) as Record<string, any>;
}

/**
 * The dated SMI and CAC histories of quant-reference.json's stress book: one business day per
 * return from `first_date`; CAC's stored returns miss every 13th date (index i with i % 13 = 5), so
 * the two assets' own dates differ. Also the dates both share and the aligned columns on them.
 */
export function stressHistories(): {
  histories: Array<{ dates: string[]; returns: number[] }>;
  alignedDates: string[];
  aligned: number[][];
} {
  const reference = loadReference();
  const { first_date: first, dropped_cac_every: [every, at] } = loadQuantReference().stress;
  const smi = simpleReturns(reference.series.SMI.prices);
  const cac = simpleReturns(reference.series.CAC.prices);
  const dates = businessDays(smi.length, Date.parse(`${first}T00:00:00Z`));
  const keep = (_: unknown, i: number) => i % every !== at;
  const histories = [
    { dates, returns: smi },
    { dates: dates.filter(keep), returns: cac.filter(keep) },
  ];
  const cacByDate = new Map(histories[1].dates.map((d, i) => [d, histories[1].returns[i]]));
  const shared = dates.map((d, i) => [d, i] as const).filter(([d]) => cacByDate.has(d));
  return {
    histories,
    alignedDates: shared.map(([d]) => d),
    aligned: [shared.map(([, i]) => smi[i]), shared.map(([d]) => cacByDate.get(d)!)],
  };
}

/**
 * The reference SMI and CAC returns stored under asset ids of their own (`SMI-<suffix>`,
 * `CAC-<suffix>`, a fresh suffix), dated from businessDays, through `put` (an api() caller).
 */
export async function storeReferenceReturns(put: (path: string, body: unknown) => PromiseLike<{ status: number }>): Promise<{ smiId: string; cacId: string }> {
  const ref = loadReference();
  const suffix = Math.random().toString(36).slice(2, 10);
  const ids = { smiId: `SMI-${suffix}`, cacId: `CAC-${suffix}` };
  for (const [id, name] of [[ids.smiId, 'SMI'], [ids.cacId, 'CAC']] as const) {
    const returns = simpleReturns(ref.series[name].prices);
    const dates = businessDays(returns.length);
    const res = await put(`/v1/assets/${id}/returns`, returns.map((r, i) => ({ date: dates[i], return_pct: r })));
    if (res.status !== 200) throw new Error(`storing ${id}: ${res.status}`);
  }
  return ids;
}
