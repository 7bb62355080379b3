import { InsufficientDataError, InvalidInputError } from './errors';
import { Series } from './types';
import { assertReturns } from './validation';

/** Drawdown statistics of an equity curve V_0..V_n (docs/math.md "Drawdown"); depths are positive fractions. */
export interface DrawdownStats {
  /** max_t DD_t, DD_t = 1 − V_t / max_{s≤t} V_s (0.22 = 22 % below the peak). */
  maxDrawdown: number;
  /** First index of the highest V_s, s ≤ troughIndex. */
  peakIndex: number;
  /** First t at which maxDrawdown is reached. */
  troughIndex: number;
  /** First t > troughIndex with V_t ≥ V_peak; null when the curve has not recovered (0 when it never falls). */
  recoveryIndex: number | null;
  /** DD_n. */
  currentDrawdown: number;
  /** n − the first index at which the running maximum reached its final value. */
  currentDrawdownPeriods: number;
  /** The longest run of consecutive t with DD_t > 0. */
  longestDrawdownPeriods: number;
  /** Number of curve values, n + 1. */
  count: number;
  /** Ulcer index √(mean_t DD_t²) over t = 0..n (Martin & McCann 1989). */
  ulcerIndex: number;
}

/**
 * Running bookkeeping of the drawdown statistics, fed one DD_t at a time (t = 1..n; DD_0 = 0).
 * Recovery is the first t after the trough with DD_t = 0, i.e. V_t ≥ the running maximum, which
 * within the max-drawdown episode is the peak value (docs/math.md: "first t after the trough with
 * V_t ≥ the peak value").
 */
class DrawdownAccumulator {
  maxDd = 0;
  trough = 0;
  peak = 0;
  recovery: number | null = null;
  runMaxIndex = 0;
  run = 0;
  longest = 0;
  sumSq = 0;
  dd = 0;

  step(t: number, dd: number, newMax: boolean): void {
    if (newMax) this.runMaxIndex = t;
    this.dd = dd;
    if (dd > 0) {
      this.run++;
      if (this.run > this.longest) this.longest = this.run;
      this.sumSq += dd * dd;
      if (dd > this.maxDd) {
        this.maxDd = dd;
        this.trough = t;
        this.peak = this.runMaxIndex;
        this.recovery = null;
      }
    } else {
      this.run = 0;
      if (this.recovery === null && this.maxDd > 0) this.recovery = t;
    }
  }

  /**
   * A curve that never falls answers every field 0 (recoveryIndex 0 too: docs/math.md "All 0 for a
   * curve that never falls"); null is kept for "fell and has not recovered".
   */
  result(count: number): DrawdownStats {
    return {
      maxDrawdown: this.maxDd,
      peakIndex: this.peak,
      troughIndex: this.trough,
      recoveryIndex: this.maxDd === 0 ? 0 : this.recovery,
      currentDrawdown: this.dd,
      currentDrawdownPeriods: count - 1 - this.runMaxIndex,
      longestDrawdownPeriods: this.longest,
      count,
      ulcerIndex: Math.sqrt(this.sumSq / count),
    };
  }
}

/**
 * Receives DD_t for t = 1..n (DD_0 = 0 is implied); `newMax` says that V_t set a new running
 * maximum (V_t > max_{s<t} V_s; a return to exactly the maximum is not a new maximum).
 */
export type DrawdownVisitor = (t: number, dd: number, newMax: boolean) => void;

/**
 * Walks an equity curve V_0..V_n (validated: at least 1 value, each finite and > 0), handing
 * DD_t = 1 − V_t / max_{s≤t} V_s to `visit` for t = 1..n. Returns the number of curve points n + 1.
 * The walk every drawdown figure shares, so that they agree to the bit (a DD_t > 0 exactly when V_t
 * is below its running maximum).
 */
export function walkEquityCurve(values: Series, visit: DrawdownVisitor): number {
  const n = values.length;
  if (n < 1) throw new InsufficientDataError('Cannot compute drawdown from 0 values: need at least 1 value', 'values');
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!(v > 0 && v < Infinity) || typeof v !== 'number') {
      throw new InvalidInputError(`values[${i}] must be a finite number greater than 0`, `values[${i}]`);
    }
  }
  let runMax = values[0];
  for (let t = 1; t < n; t++) {
    const v = values[t];
    if (v > runMax) {
      runMax = v;
      visit(t, 0, true);
    } else {
      visit(t, v < runMax ? 1 - v / runMax : 0, false);
    }
  }
  return n;
}

/**
 * Walks the curve V_0 = 1, V_t = V_{t−1}(1 + r_t) of simple returns (validated: at least 1, each
 * finite and > −1), handing DD_t to `visit` for t = 1..n; returns n + 1. The curve is tracked
 * relative to its running maximum (ρ_t = V_t / max_{s≤t} V_s, DD_t = 1 − ρ_t), which cannot
 * overflow however long the series; figures agree with the cumulative product to rounding.
 */
export function walkReturnsCurve(returns: Series, visit: DrawdownVisitor): number {
  assertReturns(returns);
  const n = returns.length;
  if (n < 1) throw new InsufficientDataError('Cannot compute drawdown from 0 returns: need at least 1 return', 'returns');
  let rel = 1;
  for (let t = 1; t <= n; t++) {
    rel *= 1 + returns[t - 1];
    if (rel > 1) {
      rel = 1;
      visit(t, 0, true);
    } else {
      visit(t, rel < 1 ? 1 - rel : 0, false);
    }
  }
  return n + 1;
}

/**
 * Drawdown statistics of an equity curve V_0..V_n (docs/math.md "Drawdown"): max drawdown with its
 * peak, trough and recovery indices, current drawdown and its length, longest drawdown, ulcer
 * index. Depths are positive (0.229 = 22.9 % below the peak).
 *
 * @param values at least 1 value, each finite and > 0 (not mutated)
 */
export function drawdownStats(values: Series): DrawdownStats {
  const acc = new DrawdownAccumulator();
  return acc.result(walkEquityCurve(values, (t, dd, newMax) => acc.step(t, dd, newMax)));
}

/**
 * Drawdown statistics of the curve V_0 = 1, V_t = V_{t−1}(1 + r_t) built from simple returns
 * (docs/math.md "Drawdown"): count = n + 1 and index t is after the t-th return (see walkReturnsCurve).
 *
 * @param returns at least 1 simple return, each finite and > −1 (not mutated)
 */
export function drawdownFromReturns(returns: Series): DrawdownStats {
  const acc = new DrawdownAccumulator();
  return acc.result(walkReturnsCurve(returns, (t, dd, newMax) => acc.step(t, dd, newMax)));
}
