import { InvalidInputError } from './errors';
import { chiSquareSf1, chiSquareSf2 } from './normal';

/**
 * Statistics of a VaR exception sequence (docs/math.md "VaR backtesting"): Kupiec's proportion
 * of failures, Christoffersen's independence and conditional coverage likelihood ratios with
 * their χ² p-values, and the Basel traffic light.
 */

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
