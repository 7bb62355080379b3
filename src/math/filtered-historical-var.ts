import { InsufficientDataError } from './errors';
import { meanBelow } from './expected-shortfall';
import { ewmaRecursion } from './ewma-var';
import { sqrtTimeScale } from './horizon';
import { quantileType7 } from './quantile';
import { Series } from './types';
import {
  assertConfidence,
  assertLambda,
  assertReturns,
  DEFAULT_EWMA_LAMBDA,
  minObservationsHistorical,
  requireObservations,
  tailProbability,
} from './validation';

/** Filtered historical VaR and CVaR over the horizon, with the volatility forecast that scales them. */
export interface FilteredHistoricalFigures {
  varReturn: number;
  /** ≤ varReturn. */
  cvarReturn: number;
  /** σ_{n+1}, one period. */
  sigmaForecast: number;
}

let residualScratch = new Float64Array(1024);

/**
 * Filtered historical simulation (Barone-Adesi, Giannopoulos & Vosper 1999; docs/math.md
 * "Volatility-model VaR"): standardised residuals e_t = r_t / σ_t (t = 1..n) of the zero-mean EWMA
 * volatility, VaR = σ_{n+1} Q_α(e) (type 7), CVaR = σ_{n+1} × the mean of the e_t strictly below
 * Q_α(e) (Q_α(e) itself when there are none); both × √h. Inputs are not validated here (n ≥ 1,
 * 0 < λ < 1); a σ_t of 0 (a seed and a start of only zero returns) leaves e_t undefined and is
 * refused with InsufficientDataError. x is not mutated.
 */
export function filteredHistoricalFigures(x: ArrayLike<number>, alpha: number, lambda: number, horizonDays: number): FilteredHistoricalFigures {
  const n = x.length;
  if (residualScratch.length < n) residualScratch = new Float64Array(Math.max(n, residualScratch.length * 2));
  const e = residualScratch.subarray(0, n);
  const sigmaForecast = Math.sqrt(ewmaRecursion(x, x, lambda, e)); // e holds σ_1..σ_n for now
  for (let t = 0; t < n; t++) {
    if (e[t] === 0) {
      throw new InsufficientDataError(
        `Cannot compute filtered historical VaR: the EWMA volatility before returns[${t}] is 0 (the first ${Math.min(30, n)} returns and all before it are 0), so its standardised residual is undefined`,
        'returns',
      );
    }
    e[t] = x[t] / e[t];
  }
  const q = quantileType7(e, alpha);
  return {
    varReturn: sqrtTimeScale(sigmaForecast * q, horizonDays),
    cvarReturn: sqrtTimeScale(sigmaForecast * meanBelow(e, q), horizonDays),
    sigmaForecast,
  };
}

function guard(returns: Series, confidence: number, lambda: number, what: string): void {
  assertConfidence(confidence);
  assertLambda(lambda);
  assertReturns(returns);
  requireObservations(returns.length, minObservationsHistorical(confidence), what, confidence);
}

/**
 * Filtered historical VaR in return terms, one period: σ_{n+1}·Q_α(e), the type-7 α-quantile of the
 * EWMA-standardised residuals e_t = r_t/σ_t rescaled by the volatility forecast (docs/math.md
 * "Volatility-model VaR"). A loss is negative. Needs ⌈1/α⌉ returns, like historical VaR.
 *
 * @param returns simple returns, oldest first (not mutated)
 * @param confidence a percentage, 50 < c < 100
 * @param lambda EWMA decay, 0 < λ < 1 (default 0.94)
 * @throws InsufficientDataError below ⌈1/α⌉ returns, or when a σ_t is 0
 */
export function filteredHistoricalVar(returns: Series, confidence: number, lambda = DEFAULT_EWMA_LAMBDA): number {
  guard(returns, confidence, lambda, 'filtered historical VaR');
  return filteredHistoricalFigures(returns, tailProbability(confidence), lambda, 1).varReturn;
}

/**
 * Filtered historical CVaR in return terms, one period: σ_{n+1} × the historical CVaR of the
 * standardised residuals (their mean strictly below Q_α(e)); CVaR ≤ VaR.
 *
 * @param returns at least ⌈1/α⌉ simple returns (not mutated)
 * @param confidence a percentage, 50 < c < 100
 * @param lambda EWMA decay, 0 < λ < 1 (default 0.94)
 */
export function filteredHistoricalCvar(returns: Series, confidence: number, lambda = DEFAULT_EWMA_LAMBDA): number {
  guard(returns, confidence, lambda, 'filtered historical CVaR');
  return filteredHistoricalFigures(returns, tailProbability(confidence), lambda, 1).cvarReturn;
}
