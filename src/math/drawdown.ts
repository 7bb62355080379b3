import { InvalidInputError } from './errors';
import { assertReturns } from './validation';

/** Drawdown statistics of an equity curve V_0..V_n (math.md "Drawdown"); depths are positive. */
export interface DrawdownStats {
  /** max_t DD_t, DD_t = 1 − V_t / max_{s≤t} V_s. */
  maxDrawdown: number;
  /** First index of the highest V_s, s ≤ trough. */
  peakIndex: number;
  /** First t where the maximum drawdown is reached. */
  troughIndex: number;
  /** First t after the trough with V_t ≥ the peak value; null if never. */
  recoveryIndex: number | null;
  currentDrawdown: number;
  /** n − the first index at which the running maximum reached its final value. */
  currentDrawdownPeriods: number;
  /** Longest run of consecutive t with DD_t > 0. */
  longestDrawdownPeriods: number;
  /** √(mean DD_t²) over the whole curve. */
  ulcerIndex: number;
  /** Points of the curve (n + 1). */
  count: number;
}

/**
 * Drawdown statistics of an equity curve (values finite and > 0). For a curve that never
 * falls every index and depth is 0 (recovery_index too, as math.md says "all 0").
 */
export function drawdownStats(values: ArrayLike<number>): DrawdownStats {
  const n = values.length;
  if (n === 0) throw new InvalidInputError('values must contain at least 1 value', 'values');
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isFinite(v) || !(v > 0)) throw new InvalidInputError(`values[${i}] must be a finite number greater than 0`, `values[${i}]`);
  }
  return curveStats(n, (t) => values[t]);
}

/** Drawdown statistics of the curve V_0 = 1, V_t = V_{t−1}(1 + r_t) built from simple returns. */
export function drawdownFromReturns(returns: ArrayLike<number>): DrawdownStats {
  assertReturns(returns);
  const curve = new Float64Array(returns.length + 1);
  curve[0] = 1;
  for (let t = 1; t < curve.length; t++) curve[t] = curve[t - 1] * (1 + returns[t - 1]);
  return curveStats(curve.length, (t) => curve[t]);
}

function curveStats(count: number, at: (t: number) => number): DrawdownStats {
  let peak = at(0);
  let peakIdx = 0;
  let maxDd = 0;
  let trough = 0;
  let ddPeak = 0;
  let run = 0;
  let longest = 0;
  let sumSq = 0;
  let dd = 0;
  for (let t = 0; t < count; t++) {
    const v = at(t);
    if (v > peak) {
      peak = v;
      peakIdx = t;
    }
    dd = 1 - v / peak;
    sumSq += dd * dd;
    if (dd > maxDd) {
      maxDd = dd;
      trough = t;
      ddPeak = peakIdx;
    }
    if (dd > 0) {
      run++;
      if (run > longest) longest = run;
    } else run = 0;
  }
  let recovery: number | null = null;
  if (maxDd > 0) {
    const target = at(ddPeak);
    for (let t = trough + 1; t < count; t++) {
      if (at(t) >= target) {
        recovery = t;
        break;
      }
    }
  } else {
    recovery = 0;
  }
  return {
    maxDrawdown: maxDd,
    peakIndex: ddPeak,
    troughIndex: trough,
    recoveryIndex: recovery,
    currentDrawdown: dd,
    currentDrawdownPeriods: count - 1 - peakIdx,
    longestDrawdownPeriods: longest,
    ulcerIndex: Math.sqrt(sumSq / count),
    count,
  };
}
