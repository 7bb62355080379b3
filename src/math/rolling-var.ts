import { cornishFisherVarFromMoments } from './cornish-fisher-var';
import { InsufficientDataError, InvalidInputError } from './errors';
import { isDegenerateVariance } from './moments';
import { gaussianVar } from './parametric-var';
import { rollingQuantile } from './rolling-historical-var';
import { Series } from './types';
import { assertConfidence, assertMethod, assertReturns, minObservationsHistorical, tailProbability } from './validation';

/**
 * Rolling one-period VaR forecasts (docs/math.md "VaR backtesting": VaR_t from the `window`
 * returns before t, t excluded), each equal to the method's VaR on its window computed afresh,
 * without re-sorting or re-summing every window.
 */

/** Methods that can produce rolling VaR forecasts. */
export const BACKTEST_METHODS = ['historical', 'parametric', 'cornish_fisher'] as const;
export type BacktestMethod = (typeof BACKTEST_METHODS)[number];

/**
 * Rolling parametric / Cornish–Fisher VaR from power sums of (r − c) over the window, c the mean
 * of the window at the last re-anchoring; the sums are recomputed from scratch every `window`
 * steps, so rounding cannot accumulate: O(n) in all, each forecast within ~1e-12 (relative) of
 * parametricVar / cornishFisherVar on its window.
 */
function rollingMoments(returns: Series, window: number, alpha: number, method: 'parametric' | 'cornish_fisher', out: Float64Array): void {
  const n = returns.length;
  const w = window;
  let c = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  for (let t = w; t < n; t++) {
    const start = t - w;
    if (start % w === 0) {
      let sum = 0;
      for (let i = start; i < t; i++) sum += returns[i];
      c = sum / w;
      s1 = s2 = s3 = s4 = 0;
      for (let i = start; i < t; i++) {
        const y = returns[i] - c;
        const y2 = y * y;
        s1 += y;
        s2 += y2;
        s3 += y2 * y;
        s4 += y2 * y2;
      }
    } else {
      const yo = returns[start - 1] - c;
      const yn = returns[t - 1] - c;
      const yo2 = yo * yo;
      const yn2 = yn * yn;
      s1 += yn - yo;
      s2 += yn2 - yo2;
      s3 += yn2 * yn - yo2 * yo;
      s4 += yn2 * yn2 - yo2 * yo2;
    }
    const a1 = s1 / w;
    const a2 = s2 / w;
    const a3 = s3 / w;
    const a4 = s4 / w;
    const a1sq = a1 * a1;
    const mean = c + a1;
    let m2 = a2 - a1sq;
    if (m2 < 0) m2 = 0;
    const sd = Math.sqrt((m2 * w) / (w - 1));
    if (method === 'parametric') {
      out[start] = gaussianVar(mean, sd, alpha, 1);
    } else if (m2 === 0 || isDegenerateVariance(m2, mean)) {
      out[start] = cornishFisherVarFromMoments(mean, sd, 0, 0, alpha);
    } else {
      const m3 = a3 - 3 * a1 * a2 + 2 * a1sq * a1;
      const m4 = a4 - 4 * a1 * a3 + 6 * a1sq * a2 - 3 * a1sq * a1sq;
      out[start] = cornishFisherVarFromMoments(mean, sd, m3 / (m2 * Math.sqrt(m2)), m4 / (m2 * m2) - 3, alpha);
    }
  }
}

function assertWindow(window: number, n: number, method: BacktestMethod, confidence: number): void {
  if (typeof window !== 'number' || !Number.isInteger(window) || window < 2) {
    throw new InvalidInputError(`window must be an integer of at least 2, got ${String(window)}`, 'window');
  }
  if (method === 'historical') {
    const needed = minObservationsHistorical(confidence);
    if (window < needed) {
      throw new InsufficientDataError(`window ${window} is too short for historical VaR at ${confidence} %: need at least ${needed} returns`, 'window');
    }
  }
  if (n <= window) {
    throw new InsufficientDataError(`Cannot backtest ${n} returns with a window of ${window}: need at least ${window + 1} returns`, 'returns');
  }
}

/**
 * Rolling one-period VaR forecasts (return terms, a loss is negative): VaR_t for t = window..n−1
 * from the `window` returns before t (t excluded), by `historical` (type-7 quantile),
 * `parametric` (μ + zσ) or `cornish_fisher` (μ + z_cf σ). Element i is the forecast for
 * returns[window + i]. Returns a new array of n − window forecasts. Historical: the sliding
 * order statistics of rollingHistoricalVar (O(log w) per step, each forecast bit for bit
 * historicalVar of its window); moment methods: O(n) rolling power sums. Never a re-sort per window.
 */
export function rollingVarForecasts(returns: Series, window: number, confidence: number, method: BacktestMethod = 'historical'): Float64Array {
  assertMethod(method, 'method', BACKTEST_METHODS);
  assertConfidence(confidence);
  assertReturns(returns);
  assertWindow(window, returns.length, method, confidence);
  const out = new Float64Array(returns.length - window);
  const alpha = tailProbability(confidence);
  if (method === 'historical') {
    rollingQuantile(returns, window, alpha, out);
  } else {
    rollingMoments(returns, window, alpha, method, out);
  }
  return out;
}
