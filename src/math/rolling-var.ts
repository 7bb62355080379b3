import { cornishFisherVarFromMoments } from './cornish-fisher-var';
import { InsufficientDataError, InvalidInputError } from './errors';
import { isDegenerateVariance } from './moments';
import { gaussianVar } from './parametric-var';
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

let sortedScratch = new Float64Array(1024);
let rankScratch = new Int32Array(1024);
let treeScratch = new Int32Array(1025);

function growScratch(n: number): void {
  if (sortedScratch.length < n) sortedScratch = new Float64Array(Math.max(n, sortedScratch.length * 2));
  if (rankScratch.length < n) rankScratch = new Int32Array(Math.max(n, rankScratch.length * 2));
  if (treeScratch.length < n + 1) treeScratch = new Int32Array(Math.max(n + 1, treeScratch.length * 2));
}

const SORTED_WINDOW_MAX = 4096;
const windowScratch = new Float64Array(SORTED_WINDOW_MAX);

/**
 * Rolling historical VaR for windows up to 4096: the window kept sorted in a reused buffer; each
 * step removes the oldest return and inserts the newest with two binary searches and one
 * copyWithin (a memmove of at most the window). The order statistics are those of the window, so
 * each forecast equals historicalVar on it exactly.
 */
function rollingHistoricalSorted(returns: Series, window: number, alpha: number, out: Float64Array): void {
  const n = returns.length;
  const w = window;
  const buf = windowScratch;
  for (let i = 0; i < w; i++) buf[i] = returns[i];
  buf.subarray(0, w).sort();
  const h = (w - 1) * alpha;
  const k = Math.floor(h);
  const f = h - k;
  for (let t = w; t < n; t++) {
    const lo = buf[k];
    out[t - w] = f === 0 ? lo : lo + f * (buf[k + 1] - lo);
    if (t === n - 1) break;
    const old = returns[t - w];
    const nw = returns[t];
    // position of the outgoing value (first element not below it: equal to it)
    let a = 0;
    let b = w;
    while (a < b) {
      const m = (a + b) >>> 1;
      if (buf[m] < old) a = m + 1;
      else b = m;
    }
    const io = a;
    if (nw === old) {
      buf[io] = nw;
    } else if (nw > old) {
      // first position right of io holding a value ≥ nw; the values between move one step left
      a = io + 1;
      b = w;
      while (a < b) {
        const m = (a + b) >>> 1;
        if (buf[m] < nw) a = m + 1;
        else b = m;
      }
      buf.copyWithin(io, io + 1, a);
      buf[a - 1] = nw;
    } else {
      // first position left of io holding a value > nw; the values between move one step right
      a = 0;
      b = io;
      while (a < b) {
        const m = (a + b) >>> 1;
        if (buf[m] <= nw) a = m + 1;
        else b = m;
      }
      buf.copyWithin(a + 1, a, io);
      buf[a] = nw;
    }
  }
}

/**
 * Rolling historical VaR for long windows: the type-7 α-quantile of each window, with a Fenwick tree over the
 * ranks of the whole series (one native sort, then O(log n) per window for insert, delete and the
 * two order statistics): O(n log n) whatever the window. The order statistics are the same values
 * a fresh selection would give, so each forecast equals historicalVar on its window exactly.
 */
function rollingHistorical(returns: Series, window: number, alpha: number, out: Float64Array): void {
  const n = returns.length;
  growScratch(n);
  const sorted = sortedScratch.subarray(0, n);
  if (returns instanceof Float64Array) sorted.set(returns);
  else for (let i = 0; i < n; i++) sorted[i] = returns[i];
  sorted.sort();
  const rank = rankScratch;
  for (let i = 0; i < n; i++) {
    // lower bound: first position whose value is not below returns[i] (equal values share a slot)
    const v = returns[i];
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    rank[i] = lo;
  }
  const tree = treeScratch;
  tree.fill(0, 0, n + 1);
  const add = (p: number, d: number): void => {
    for (let i = p + 1; i <= n; i += i & -i) tree[i] += d;
  };
  let topBit = 1;
  while (topBit * 2 <= n) topBit *= 2;
  // Value of the k-th (0-based) smallest element currently in the tree.
  const kth = (k: number): number => {
    let pos = 0;
    let rem = k + 1;
    for (let step = topBit; step > 0; step >>= 1) {
      const next = pos + step;
      if (next <= n && tree[next] < rem) {
        pos = next;
        rem -= tree[next];
      }
    }
    return sorted[pos];
  };
  for (let i = 0; i < window; i++) add(rank[i], 1);
  const h = (window - 1) * alpha;
  const k = Math.floor(h);
  const f = h - k;
  for (let t = window; t < n; t++) {
    const lo = kth(k);
    out[t - window] = f === 0 ? lo : lo + f * (kth(k + 1) - lo);
    add(rank[t - window], -1);
    add(rank[t], 1);
  }
}

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
 * returns[window + i]. Returns a new array of n − window forecasts. Historical: a sorted window
 * (O(n·w) memmove, fast for w ≤ 4096) or a Fenwick tree over ranks (O(n log n) for longer
 * windows); moment methods: O(n) rolling power sums. Never O(n·w log w) re-sorting.
 */
export function rollingVarForecasts(returns: Series, window: number, confidence: number, method: BacktestMethod = 'historical'): Float64Array {
  assertMethod(method, 'method', BACKTEST_METHODS);
  assertConfidence(confidence);
  assertReturns(returns);
  assertWindow(window, returns.length, method, confidence);
  const out = new Float64Array(returns.length - window);
  const alpha = tailProbability(confidence);
  if (method === 'historical') {
    if (window <= SORTED_WINDOW_MAX) rollingHistoricalSorted(returns, window, alpha, out);
    else rollingHistorical(returns, window, alpha, out);
  } else {
    rollingMoments(returns, window, alpha, method, out);
  }
  return out;
}
