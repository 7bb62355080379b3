import { cornishFisherZ } from './cornish-fisher-var';
import { InvalidInputError } from './errors';
import { moments } from './moments';
import { chiSquare1Sf, chiSquare2Sf, normalQuantile } from './normal';
import { quantileInPlace } from './quantile';
import { assertConfidence, assertMinCount, assertReturns, minObservationsHistorical, tailProbability } from './validation';

export type BacktestMethod = 'historical' | 'parametric' | 'cornish_fisher';
export type TrafficLight = 'green' | 'yellow' | 'red';

/** x·ln(y) with 0·ln 0 = 0. */
function xlogy(x: number, y: number): number {
  return x === 0 ? 0 : x * Math.log(y);
}

/**
 * Kupiec's proportion-of-failures test: LR = −2 ln[(1−α)^(T−x) α^x] + 2 ln[(1−x/T)^(T−x) (x/T)^x],
 * χ²(1). `alpha` is the tail probability (0.01 at 99 %).
 */
export function kupiecPof(observations: number, exceptions: number, alpha: number): { lr: number; pValue: number } {
  const T = observations;
  const x = exceptions;
  const p = x / T;
  const lr = -2 * (xlogy(T - x, 1 - alpha) + xlogy(x, alpha)) + 2 * (xlogy(T - x, 1 - p) + xlogy(x, p));
  const clean = Math.max(0, lr);
  return { lr: clean, pValue: chiSquare1Sf(clean) };
}

export interface Transitions {
  n00: number;
  n01: number;
  n10: number;
  n11: number;
}

/** Transition counts of the exception indicator (n_ij: state i followed by state j). */
export function transitionCounts(exceptions: ArrayLike<number | boolean>): Transitions {
  const t: Transitions = { n00: 0, n01: 0, n10: 0, n11: 0 };
  for (let i = 1; i < exceptions.length; i++) {
    const a = exceptions[i - 1] ? 1 : 0;
    const b = exceptions[i] ? 1 : 0;
    if (a === 0) b === 0 ? t.n00++ : t.n01++;
    else b === 0 ? t.n10++ : t.n11++;
  }
  return t;
}

/**
 * Christoffersen's independence test from the transition counts:
 * LR_ind = −2 ln[(1−π)^(n00+n10) π^(n01+n11)] + 2 ln[(1−π0)^n00 π0^n01 (1−π1)^n10 π1^n11], χ²(1),
 * π0 = n01/(n00+n01), π1 = n11/(n10+n11), π = (n01+n11)/total; 0·ln 0 = 0.
 */
export function christoffersenIndependence(t: Transitions): { lr: number; pValue: number } {
  const { n00, n01, n10, n11 } = t;
  const total = n00 + n01 + n10 + n11;
  if (total === 0) return { lr: 0, pValue: 1 };
  const pi = (n01 + n11) / total;
  const pi0 = n00 + n01 > 0 ? n01 / (n00 + n01) : 0;
  const pi1 = n10 + n11 > 0 ? n11 / (n10 + n11) : 0;
  const restricted = xlogy(n00 + n10, 1 - pi) + xlogy(n01 + n11, pi);
  const unrestricted = xlogy(n00, 1 - pi0) + xlogy(n01, pi0) + xlogy(n10, 1 - pi1) + xlogy(n11, pi1);
  const lr = Math.max(0, -2 * restricted + 2 * unrestricted);
  return { lr, pValue: chiSquare1Sf(lr) };
}

/** Basel traffic light for the exceptions of the last 250 days at 99 %: green ≤ 4, yellow 5–9, red ≥ 10. */
export function trafficLight(exceptionsLast250: number): TrafficLight {
  if (exceptionsLast250 <= 4) return 'green';
  if (exceptionsLast250 <= 9) return 'yellow';
  return 'red';
}

/**
 * Rolling one-period VaR forecasts: VaR_t from the `window` returns before t (t excluded),
 * for t = window … n − 1, by `method`. Returns n − window forecasts (forecast i is for t = window + i).
 */
export function rollingVarForecasts(returns: ArrayLike<number>, window: number, confidence: number, method: BacktestMethod): Float64Array {
  const n = returns.length;
  const alpha = tailProbability(confidence);
  const out = new Float64Array(Math.max(0, n - window));
  if (method === 'historical') {
    const buf = new Float64Array(window);
    for (let t = window; t < n; t++) {
      for (let i = 0; i < window; i++) buf[i] = returns[t - window + i];
      out[t - window] = quantileInPlace(buf, window, alpha);
    }
    return out;
  }
  const z = normalQuantile(alpha);
  const view = new Float64Array(window);
  for (let t = window; t < n; t++) {
    for (let i = 0; i < window; i++) view[i] = returns[t - window + i];
    const m = moments(view);
    const zz = method === 'parametric' ? z : cornishFisherZ(z, m.skewness, m.excessKurtosis);
    out[t - window] = m.mean + zz * m.stdDev;
  }
  return out;
}

export interface BacktestInput {
  returns: ArrayLike<number>;
  /** Percent. */
  confidence: number;
  /** Own forecasts, one per return (return terms). When absent, rolling forecasts by `method` over `window`. */
  varForecasts?: ArrayLike<number>;
  window?: number;
  method?: BacktestMethod;
}

export interface BacktestResult {
  observations: number;
  exceptions: number;
  expectedExceptions: number;
  kupiec: { lr: number; pValue: number };
  christoffersen: { lr: number; pValue: number };
  conditionalCoverage: { lr: number; pValue: number };
  /** Defined at 99 % with at least 250 observations; null otherwise. */
  trafficLight: TrafficLight | null;
  exceptionsLast250: number;
  transitions: Transitions;
}

/** VaR backtest: exceptions r_t < VaR_t, Kupiec, Christoffersen, conditional coverage, Basel traffic light. */
export function backtest(input: BacktestInput): BacktestResult {
  const { returns, confidence } = input;
  assertConfidence(confidence);
  assertReturns(returns);
  let realised: ArrayLike<number>;
  let forecasts: ArrayLike<number>;
  if (input.varForecasts) {
    const f = input.varForecasts;
    if (f.length !== returns.length) {
      throw new InvalidInputError(`var_forecasts must have one value per return (${returns.length}), got ${f.length}`, 'var_forecasts');
    }
    for (let i = 0; i < f.length; i++) {
      if (!Number.isFinite(f[i])) throw new InvalidInputError(`var_forecasts[${i}] must be a finite number`, `var_forecasts[${i}]`);
    }
    assertMinCount(returns.length, 1, 'a backtest');
    realised = returns;
    forecasts = f;
  } else {
    const window = input.window ?? 250;
    const method = input.method ?? 'historical';
    if (!Number.isInteger(window) || window < 2) throw new InvalidInputError(`window must be an integer of at least 2, got ${window}`, 'window');
    if (method === 'historical' && window < minObservationsHistorical(confidence)) {
      throw new InvalidInputError(`window ${window} is too short for a historical VaR at ${confidence} %: need at least ${minObservationsHistorical(confidence)}`, 'window');
    }
    assertMinCount(returns.length, window + 1, `a rolling backtest with window ${window}`);
    forecasts = rollingVarForecasts(returns, window, confidence, method);
    realised = Array.prototype.slice.call(returns, window) as number[];
  }
  const T = realised.length;
  const hits = new Uint8Array(T);
  let x = 0;
  for (let t = 0; t < T; t++) {
    if (realised[t] < forecasts[t]) {
      hits[t] = 1;
      x++;
    }
  }
  let last250 = 0;
  for (let t = Math.max(0, T - 250); t < T; t++) last250 += hits[t];
  const alpha = tailProbability(confidence);
  const kupiec = kupiecPof(T, x, alpha);
  const transitions = transitionCounts(hits);
  const christoffersen = christoffersenIndependence(transitions);
  const ccLr = kupiec.lr + christoffersen.lr;
  return {
    observations: T,
    exceptions: x,
    expectedExceptions: T * alpha,
    kupiec,
    christoffersen,
    conditionalCoverage: { lr: ccLr, pValue: chiSquare2Sf(ccLr) },
    trafficLight: confidence === 99 && T >= 250 ? trafficLight(last250) : null,
    exceptionsLast250: last250,
    transitions,
  };
}
