import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** shared/reference/eustock-smi-cac.json: real closes (R EuStockMarkets) and figures computed with numpy/scipy. */
export function loadReference() {
  const file = resolve(__dirname, '../../../shared/reference/eustock-smi-cac.json');
  return JSON.parse(readFileSync(file, 'utf8')) as {
    series: Record<'SMI' | 'CAC', { prices: number[]; expected: Record<string, any> }>;
  };
}

export function simpleReturns(prices: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < prices.length; i++) out.push(prices[i] / prices[i - 1] - 1);
  return out;
}

export function relClose(actual: number, expected: number, tol = 1e-9): boolean {
  return Math.abs(actual - expected) <= tol * Math.max(Math.abs(expected), Number.MIN_VALUE);
}
