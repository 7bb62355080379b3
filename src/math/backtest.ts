import { cornishFisherVarFromMoments } from './cornish-fisher-var';
import { InsufficientDataError, InvalidInputError } from './errors';
import { isDegenerateVariance } from './moments';
import { chiSquareSf1, chiSquareSf2 } from './normal';
import { gaussianVar } from './parametric-var';
import { Series } from './types';
import {
  assertConfidence,
  assertFiniteSeries,
  assertMethod,
  assertReturns,
  minObservationsHistorical,
  tailProbability,
} from './validation';

/** Methods that can produce rolling VaR forecasts. */
export const BACKTEST_METHODS = ['historical', 'parametric', 'cornish_fisher'] as const;
export type BacktestMethod = (typeof BACKTEST_METHODS)[number];

export interface LikelihoodRatioTest {
  /** The likelihood-ratio statistic (≥ 0, never NaN). */
  lr: number;
  /** Its χ² survival probability (1 degree of freedom, 2 for conditional coverage). */
  pValue: number;
}

export interface Transitions {
  n00: number;
  n01: number;
  n10: number;
  n11: number;
}

/** a·ln(b) with the convention 0·ln 0 = 0 (and 0·ln(anything) = 0). */
function xlogy(a: number, b: number): number {
  return a === 0 ? 0 : a * Math.log(b);
}

/**
 * Kupiec (1995) proportion-of-failures test (docs/math.md "VaR backtesting"):
 * LR = −2 ln[(1−α)^(T−x) α^x] + 2 ln[(1−x/T)^(T−x) (x/T)^x], χ²(1). Finite for x = 0 and x = T.
 *
 * @param observations T ≥ 1
 * @param exceptions x, integer 0..T
 * @param alpha tail probability, 0 < α < 1
 */
export function kupiecPof(observations: number, exceptions: number, alpha: number): LikelihoodRatioTest {
  if (!Number.isInteger(observations) || observations < 1) {
    throw new InvalidInputError(`observations must be a positive integer, got ${observations}`, 'observations');
  }
  if (!Number.isInteger(exceptions) || exceptions < 0 || exceptions > observations) {
    throw new InvalidInputError(`exceptions must be an integer from 0 to ${observations}, got ${exceptions}`, 'exceptions');
  }
  if (!(alpha > 0 && alpha < 1)) throw new InvalidInputError(`alpha must be between 0 and 1, got ${alpha}`, 'alpha');
  const T = observations;
  const x = exceptions;
  const p = x / T;
  const lr = Math.max(0, -2 * (xlogy(T - x, 1 - alpha) + xlogy(x, alpha)) + 2 * (xlogy(T - x, 1 - p) + xlogy(x, p)));
  return { lr, pValue: chiSquareSf1(lr) };
}

/** Counts of the transitions i → j of a 0/1 exception sequence (consecutive pairs). */
export function exceptionTransitions(indicators: ArrayLike<number | boolean>): Transitions {
  let n00 = 0;
  let n01 = 0;
  let n10 = 0;
  let n11 = 0;
  for (let t = 1; t < indicators.length; t++) {
    const prev = indicators[t - 1] ? 1 : 0;
    const cur = indicators[t] ? 1 : 0;
    if (prev === 0) {
      if (cur === 0) n00++;
      else n01++;
    } else if (cur === 0) n10++;
    else n11++;
  }
  return { n00, n01, n10, n11 };
}

/**
 * Christoffersen (1998) independence test from transition counts (docs/math.md):
 * LR_ind = −2 ln[(1−π)^(n00+n10) π^(n01+n11)] + 2 ln[(1−π0)^n00 π0^n01 (1−π1)^n10 π1^n11], χ²(1),
 * π = (n01+n11)/Σn, π0 = n01/(n00+n01), π1 = n11/(n10+n11), 0·ln 0 = 0 (an empty row contributes 0).
 */
export function christoffersenFromTransitions(tr: Transitions): LikelihoodRatioTest {
  const { n00, n01, n10, n11 } = tr;
  const total = n00 + n01 + n10 + n11;
  if (total === 0) return { lr: 0, pValue: 1 };
  const pi = (n01 + n11) / total;
  const pi0 = n00 + n01 === 0 ? 0 : n01 / (n00 + n01);
  const pi1 = n10 + n11 === 0 ? 0 : n11 / (n10 + n11);
  const logL0 = xlogy(n00 + n10, 1 - pi) + xlogy(n01 + n11, pi);
  const logL1 = xlogy(n00, 1 - pi0) + xlogy(n01, pi0) + xlogy(n10, 1 - pi1) + xlogy(n11, pi1);
  const lr = Math.max(0, -2 * (logL0 - logL1));
  return { lr, pValue: chiSquareSf1(lr) };
}

/** Alias of exceptionTransitions. */
export const transitionCounts = exceptionTransitions;
/** Alias of christoffersenFromTransitions. */
export const christoffersenIndependence = christoffersenFromTransitions;

/** Christoffersen independence test of an exception indicator sequence (truthy = exception). */
export function christoffersen(indicators: ArrayLike<number | boolean>): LikelihoodRatioTest & { transitions: Transitions } {
  const transitions = exceptionTransitions(indicators);
  return { ...christoffersenFromTransitions(transitions), transitions };
}

/** Conditional coverage LR_cc = LR_pof + LR_ind, χ²(2) (Christoffersen 1998). */
export function conditionalCoverage(pof: LikelihoodRatioTest, independence: LikelihoodRatioTest): LikelihoodRatioTest {
  const lr = pof.lr + independence.lr;
  return { lr, pValue: chiSquareSf2(lr) };
}

export type TrafficLight = 'green' | 'yellow' | 'red';

/**
 * Basel traffic light for the exceptions of a 99 % VaR over the last 250 observations:
 * green ≤ 4, yellow 5–9, red ≥ 10 (BCBS 1996). Only meaningful at 99 % over 250 observations:
 * `backtest` answers null otherwise.
 */
export function trafficLight(exceptionsLast250: number): TrafficLight {
  if (exceptionsLast250 <= 4) return 'green';
  if (exceptionsLast250 <= 9) return 'yellow';
  return 'red';
}

// ---- rolling forecasts ------------------------------------------------------------------------

let sortedScratch = new Float64Array(1024);
let rankScratch = new Int32Array(1024);
let treeScratch = new Int32Array(1025);

function growScratch(n: number): void {
  if (sortedScratch.length < n) sortedScratch = new Float64Array(Math.max(n, sortedScratch.length * 2));
  if (rankScratch.length < n) rankScratch = new Int32Array(Math.max(n, rankScratch.length * 2));
  if (treeScratch.length < n + 1) treeScratch = new Int32Array(Math.max(n + 1, treeScratch.length * 2));
}

const SORTED_WINDOW_MAX = 4096;
let windowScratch = new Float64Array(SORTED_WINDOW_MAX);

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
  }
  else rollingMoments(returns, window, alpha, method, out);
  return out;
}

/** Alias of rollingVarForecasts (historical by default). */
export const rollingHistoricalForecasts = rollingVarForecasts;

export interface BacktestInput {
  /** Realised simple returns, oldest first (not mutated). */
  returns: Series;
  /** Own VaR forecasts in return terms, one per return (then window and method are not used). */
  varForecasts?: Series;
  /** A percentage, 50 < c < 100. */
  confidence: number;
  /** Rolling window (default 250). */
  window?: number;
  /** Rolling forecast method (default historical). */
  method?: BacktestMethod;
}

export interface BacktestResult {
  /** T: the returns tested (n − window with rolling forecasts, n with given forecasts). */
  observations: number;
  /** x: the count of r_t < VaR_t. */
  exceptions: number;
  /** α·T. */
  expectedExceptions: number;
  kupiec: LikelihoodRatioTest;
  christoffersen: LikelihoodRatioTest;
  conditionalCoverage: LikelihoodRatioTest;
  /** Basel zone of exceptionsLast250; null unless the confidence is 99 and T ≥ 250. */
  trafficLight: TrafficLight | null;
  /** Exceptions among the last min(250, T) observations. */
  exceptionsLast250: number;
  transitions: Transitions;
}

/**
 * VaR backtest (docs/math.md "VaR backtesting"): exceptions r_t < VaR_t against rolling forecasts
 * (the `window` returns before t) or given `varForecasts`; Kupiec POF, Christoffersen
 * independence and conditional coverage likelihood ratios with χ² p-values, and the Basel
 * traffic light over the last 250 observations (at 99 % only, and only when there are 250).
 */
export function backtest(input: BacktestInput): BacktestResult {
  const { returns, varForecasts, confidence } = input;
  assertConfidence(confidence);
  let forecasts: Series;
  let offset = 0; // forecasts[t] is for returns[offset + t]
  if (varForecasts !== undefined) {
    assertReturns(returns);
    if (varForecasts.length !== returns.length) {
      throw new InvalidInputError(`var_forecasts must have one value per return (${returns.length}), got ${varForecasts.length}`, 'var_forecasts');
    }
    assertFiniteSeries(varForecasts, 'var_forecasts');
    if (returns.length < 1) throw new InsufficientDataError('Cannot backtest 0 returns: need at least 1', 'returns');
    forecasts = varForecasts;
  } else {
    const window = input.window ?? 250;
    forecasts = rollingVarForecasts(returns, window, confidence, input.method ?? 'historical');
    offset = window;
  }
  const T = forecasts.length;
  const indicators = new Uint8Array(T);
  let x = 0;
  for (let t = 0; t < T; t++) {
    if (returns[offset + t] < forecasts[t]) {
      indicators[t] = 1;
      x++;
    }
  }
  let last250 = 0;
  for (let t = Math.max(0, T - 250); t < T; t++) last250 += indicators[t];
  const alpha = tailProbability(confidence);
  const pof = kupiecPof(T, x, alpha);
  const ind = christoffersen(indicators);
  return {
    observations: T,
    exceptions: x,
    expectedExceptions: alpha * T,
    kupiec: pof,
    christoffersen: { lr: ind.lr, pValue: ind.pValue },
    conditionalCoverage: conditionalCoverage(pof, ind),
    trafficLight: confidence === 99 && T >= 250 ? trafficLight(last250) : null,
    exceptionsLast250: last250,
    transitions: ind.transitions,
  };
}
