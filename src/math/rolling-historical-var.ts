import { InsufficientDataError, InvalidInputError } from './errors';
import { SlidingOrderStatistics } from './sliding-order-statistics';
import { Series } from './types';
import { assertConfidence, assertReturns, minObservationsHistorical, tailProbability } from './validation';

/**
 * Rolling historical VaR (docs/math.md "Rolling historical VaR"): value j (j = 0 … n − w) is the
 * historical VaR of returns[j … j + w − 1], the type-7 α-quantile x(k) + f·(x(k+1) − x(k)) with
 * h = (w − 1)α, k = ⌊h⌋, f = h − k. The two order statistics come from a sliding two-heap structure
 * (SlidingOrderStatistics: O(w log w) once, then O(log w) per step), and the interpolation is the
 * one historicalVar uses, so each value is identical, bit for bit, to historicalVar on its window.
 * Return terms, one period, a loss negative.
 *
 * @param returns at least `window` simple returns, oldest first (not mutated)
 * @param window w, an integer of at least ⌈1/α⌉ (the returns a historical VaR needs)
 * @param confidence a percentage, 50 < c < 100
 * @returns a new array of n − w + 1 values
 */
export function rollingHistoricalVar(returns: Series, window: number, confidence: number): Float64Array {
  assertConfidence(confidence);
  if (typeof window !== 'number' || !Number.isInteger(window) || window < 1) {
    throw new InvalidInputError(`window must be a positive integer, got ${String(window)}`, 'window');
  }
  const needed = minObservationsHistorical(confidence);
  if (window < needed) {
    throw new InsufficientDataError(`window ${window} is too short for historical VaR at ${confidence} %: need at least ${needed} returns`, 'window');
  }
  assertReturns(returns);
  const n = returns.length;
  if (n < window) {
    throw new InsufficientDataError(`Cannot compute a rolling VaR over windows of ${window} from ${n} returns: need at least ${window}`, 'returns');
  }
  const out = new Float64Array(n - window + 1);
  rollingQuantile(returns, window, tailProbability(confidence), out);
  return out;
}

/**
 * The kernel of rollingHistoricalVar (also the rolling historical backtest's): out[j] = the type-7
 * p-quantile of x[j … j + w − 1] for j < out.length (at most n − w + 1), as quantileType7 computes
 * it. Not validated: 2 ≤ w ≤ n, (w − 1)·p < w − 1, no NaN.
 */
export function rollingQuantile(x: ArrayLike<number>, window: number, p: number, out: Float64Array): void {
  const h = (window - 1) * p;
  const k = Math.floor(h);
  const f = h - k;
  const stats = new SlidingOrderStatistics(x, window, k);
  for (let j = 0; j < out.length; j++) {
    if (j > 0) stats.push(x[j + window - 1]);
    const lo = stats.lower;
    out[j] = f === 0 ? lo : lo + f * (stats.upper - lo);
  }
}
