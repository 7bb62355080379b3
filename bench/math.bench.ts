import Big from 'big.js';
import {
  backtest,
  computeRisk,
  cornishFisherVar,
  historicalCvar,
  historicalVar,
  monteCarloVar,
  parametricVar,
  portfolioRisk,
  rollingHistoricalVar,
  VarMethod,
  Xoshiro128,
} from '../src/math';
import { BenchRow, measure } from './harness';

/** Seeded fat-tailed daily returns: normal mixed with occasional jumps (deterministic). */
function syntheticReturns(n: number, seed = 20261125): Float64Array {
  const rng = new Xoshiro128(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = 0.0003 + 0.01 * rng.nextNormal() + (rng.nextDouble() < 0.02 ? 0.04 * rng.nextNormal() : 0);
  return out;
}

/**
 * The first prototype's way (the baseline): every return as a big.js decimal, a full sort
 * with Big#cmp, then the type-7 interpolation in decimals.
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

const C = 99;

/**
 * In-process benchmark of src/math, per call: each method (historical, parametric and
 * Cornish–Fisher VaR, historical CVaR, the computeRisk facade, Monte Carlo) at 1,000, 10,000 and
 * 1,000,000 returns; Monte Carlo at 10,000 and 100,000 paths (1 and 10 days, normal and bootstrap);
 * stored-portfolio VaR with Euler contributions (20 assets × 252 dates); the rolling historical
 * backtest (window 250, O(n log n)); rolling historical VaR over 100,000 returns at windows 250
 * and 2,520 against re-selecting each window (speed-up and ns per step in `speedups`); and the
 * naive big.js full-sort baseline at 1,000 and 10,000 returns with the speed-up of historicalVar over it.
 */
export function runMathBench(): { rows: BenchRow[]; speedups: Record<string, number> } {
  const rows: BenchRow[] = [];
  const speedups: Record<string, number> = {};
  const add = (row: BenchRow) => (rows.push(row), row);
  for (const n of [1_000, 10_000, 1_000_000]) {
    const r = syntheticReturns(n);
    const big = n >= 1_000_000;
    const opts = { budgetMs: big ? 3000 : 1000, maxIterations: big ? 200 : 200_000, warmup: big ? 5 : 500 };
    const hist = add(measure('math', 'historical VaR 99 %', n, () => historicalVar(r, C), opts));
    add(measure('math', 'parametric VaR 99 %', n, () => parametricVar(r, C), opts));
    add(measure('math', 'cornish_fisher VaR 99 %', n, () => cornishFisherVar(r, C), opts));
    add(measure('math', 'historical CVaR 99 %', n, () => historicalCvar(r, C), opts));
    for (const method of ['historical', 'parametric', 'cornish_fisher'] as VarMethod[]) {
      add(measure('math', `computeRisk ${method} VaR+CVaR+stats`, n, () => computeRisk({ returns: r, confidence: C, method, wantCvar: true }).varReturn, opts));
    }
    add(measure('math', 'monte_carlo normal, 10,000 paths', n, () => monteCarloVar({ returns: r, confidence: C, simulations: 10_000, seed: 42 }).varReturn, { ...opts, warmup: big ? 3 : 20 }));
    add(measure('math', 'backtest rolling historical, window 250', n, () => backtest({ returns: r, confidence: C, window: 250 }).exceptions, { ...opts, maxIterations: big ? 10 : 2000, warmup: big ? 1 : 5 }));
    if (!big) {
      const naive = add(measure('baseline', 'naive big.js full-sort historical VaR', n, () => naiveHistoricalVar(r, C), { budgetMs: 2000, maxIterations: 5000, warmup: 20 }));
      speedups[`historical_var_${n}`] = Math.round((naive.p50_us / hist.p50_us) * 10) / 10;
      speedups[`historical_var_${n}_p99`] = Math.round((naive.p99_us / hist.p99_us) * 10) / 10;
    }
  }
  const long = syntheticReturns(100_000);
  for (const w of [250, 2520]) {
    const steps = long.length - w + 1;
    const opts = { budgetMs: 2000, maxIterations: 200, warmup: 3 };
    const rolling = add(measure('math', `rolling historical VaR 99 %, window ${w}`, long.length, () => rollingHistoricalVar(long, w, C)[0], opts));
    const reselect = add(
      measure('baseline', `historicalVar re-selected per window, window ${w}`, long.length, () => {
        let s = 0;
        for (let j = 0; j < steps; j++) s += historicalVar(long.subarray(j, j + w), C);
        return s;
      }, { budgetMs: 3000, maxIterations: 20, warmup: 1 }),
    );
    speedups[`rolling_var_w${w}_ns_per_step`] = Math.round((rolling.p50_us * 1000) / steps);
    speedups[`reselection_w${w}_ns_per_step`] = Math.round((reselect.p50_us * 1000) / steps);
    speedups[`rolling_var_w${w}_vs_reselection`] = Math.round((reselect.p50_us / rolling.p50_us) * 10) / 10;
  }
  const history = syntheticReturns(1_000);
  for (const paths of [10_000, 100_000]) {
    const opts = { budgetMs: 2000, maxIterations: 5000, warmup: 10 };
    add(measure('math', 'monte_carlo normal VaR+CVaR', paths, () => monteCarloVar({ returns: history, confidence: C, simulations: paths, seed: 42 }).varReturn, opts));
    add(measure('math', 'monte_carlo bootstrap VaR+CVaR', paths, () => monteCarloVar({ returns: history, confidence: C, simulations: paths, seed: 42, distribution: 'bootstrap' }).varReturn, opts));
    add(measure('math', 'monte_carlo normal 10-day', paths, () => monteCarloVar({ returns: history, confidence: C, simulations: paths, seed: 42, horizonDays: 10 }).varReturn, { ...opts, budgetMs: 1500 }));
  }
  const assets = Array.from({ length: 20 }, (_, i) => syntheticReturns(252, 1000 + i));
  const weights = Array.from({ length: 20 }, () => 1 / 20);
  for (const method of ['historical', 'parametric', 'cornish_fisher'] as VarMethod[]) {
    add(measure('math', `portfolioRisk ${method} (20 assets)`, 252, () => portfolioRisk({ weights, assetReturns: assets, confidence: C, method }).varReturn, { budgetMs: 1000, maxIterations: 100_000, warmup: 200 }));
  }
  add(measure('math', 'portfolioRisk monte_carlo 10,000 (20 assets)', 252, () => portfolioRisk({ weights, assetReturns: assets, confidence: C, method: 'monte_carlo', seed: 1 }).varReturn, { budgetMs: 2000, maxIterations: 1000, warmup: 5 }));
  return { rows, speedups };
}
