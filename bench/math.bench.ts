import Big from 'big.js';
import { computeRisk, historicalVar, monteCarloVar, RiskMethod, Xoshiro128 } from '../src/math';
import { BenchRow, measure } from './harness';

/** Seeded fat-tailed daily returns: normal mixed with occasional jumps. */
function syntheticReturns(n: number, seed = 20261125): Float64Array {
  const rng = new Xoshiro128(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = 0.0003 + 0.01 * rng.nextNormal() + (rng.nextDouble() < 0.02 ? 0.04 * rng.nextNormal() : 0);
  return out;
}

/**
 * The first prototype's way: every return as a big.js decimal, a full sort with Big#cmp,
 * then the type-7 interpolation in decimals.
 */
export function naiveHistoricalVar(returns: ArrayLike<number>, confidence: number): number {
  const values: Big[] = [];
  for (let i = 0; i < returns.length; i++) values.push(new Big(returns[i]));
  values.sort((a, b) => a.cmp(b));
  const h = new Big(values.length - 1).times(new Big(1).minus(new Big(confidence).div(100)));
  const k = Math.floor(Number(h));
  const f = h.minus(k);
  const lo = values[k];
  const hi = values[Math.min(k + 1, values.length - 1)];
  return Number(lo.plus(f.times(hi.minus(lo))));
}

export function runMathBench(): { rows: BenchRow[]; speedups: Record<string, number> } {
  const rows: BenchRow[] = [];
  const speedups: Record<string, number> = {};
  for (const n of [1_000, 10_000, 1_000_000]) {
    const r = syntheticReturns(n);
    const budget = n >= 1_000_000 ? 3000 : 1000;
    const maxIterations = n >= 1_000_000 ? 100 : 200_000;
    rows.push(measure('math', 'historical VaR 99 %', n, () => historicalVar(r, 99), { budgetMs: budget, maxIterations, warmup: n >= 1_000_000 ? 5 : 200 }));
    for (const method of ['historical', 'parametric', 'cornish_fisher'] as RiskMethod[]) {
      rows.push(measure('math', `computeRisk ${method} VaR+CVaR`, n, () => computeRisk({ returns: r, confidence: 99, method, wantCvar: true }).varReturn, { budgetMs: budget, maxIterations, warmup: n >= 1_000_000 ? 5 : 200 }));
    }
    if (n <= 10_000) {
      const naive = measure('baseline', 'naive big.js sort historical VaR', n, () => naiveHistoricalVar(r, 99), { budgetMs: 2000, maxIterations: 5000, warmup: 20 });
      rows.push(naive);
      const fast = rows.find((x) => x.name === 'historical VaR 99 %' && x.size === n)!;
      speedups[`historical_var_${n}`] = Math.round((naive.p50_us / fast.p50_us) * 10) / 10;
    }
  }
  const history = syntheticReturns(1_000);
  for (const paths of [10_000, 100_000]) {
    rows.push(measure('math', 'monte_carlo normal VaR+CVaR', paths, () => monteCarloVar({ returns: history, confidence: 99, simulations: paths, seed: 42 }).varReturn, { budgetMs: 2000, maxIterations: 2000, warmup: 10 }));
    rows.push(measure('math', 'monte_carlo bootstrap VaR+CVaR', paths, () => monteCarloVar({ returns: history, confidence: 99, simulations: paths, seed: 42, distribution: 'bootstrap' }).varReturn, { budgetMs: 2000, maxIterations: 2000, warmup: 10 }));
  }
  rows.push(measure('math', 'monte_carlo normal 10-day', 100_000, () => monteCarloVar({ returns: history, confidence: 99, simulations: 100_000, seed: 42, horizonDays: 10 }).varReturn, { budgetMs: 2000, maxIterations: 200, warmup: 3 }));
  return { rows, speedups };
}
