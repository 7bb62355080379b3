import { InsufficientDataError } from './errors';
import { gaussianCvar } from './expected-shortfall';
import { gaussianVar } from './parametric-var';
import { Series } from './types';
import { assertConfidence, assertLambda, assertReturns, DEFAULT_EWMA_LAMBDA, requireObservations, tailProbability } from './validation';

/**
 * RiskMetrics EWMA volatility, zero mean (docs/math.md "Volatility-model VaR"): with m = min(30, n),
 * σ²_1 = (1/m) Σ_{t=1..m} r_t² and σ²_{t+1} = λσ²_t + (1 − λ)r_t² for t = 1..n, so σ_t uses
 * r_1..r_{t−1} only (and the seed) and σ_{n+1} is the forecast for the next period.
 */

/** Returns in the seed of the recursion: σ²_1 is the mean of the first min(30, n) squares. */
const SEED_RETURNS = 30;

/**
 * The EWMA recursion on the products x_t·y_t (x = y: the variance; x = rᵢ, y = r_p: row i of
 * Σ_λ w), seeded and updated as above; returns s_{n+1}. When `sigmas` is given (x = y), σ_t = √s_t
 * is written to sigmas[t − 1] for t = 1..n. Needs n ≥ 1; inputs are not validated here.
 */
export function ewmaRecursion(x: ArrayLike<number>, y: ArrayLike<number>, lambda: number, sigmas?: Float64Array): number {
  const n = x.length;
  const m = Math.min(SEED_RETURNS, n);
  let s = 0;
  for (let t = 0; t < m; t++) s += x[t] * y[t];
  s /= m;
  const keep = 1 - lambda;
  for (let t = 0; t < n; t++) {
    if (sigmas) sigmas[t] = Math.sqrt(s);
    s = lambda * s + keep * (x[t] * y[t]);
  }
  return s;
}

function guard(returns: Series, confidence: number, lambda: number, what: string): void {
  assertConfidence(confidence);
  assertLambda(lambda);
  assertReturns(returns);
  requireObservations(returns.length, 2, what, confidence);
}

/**
 * The EWMA volatility forecast σ_{n+1} (one period, a fraction: 0.012 = 1.2 % a period) of
 * RiskMetrics (J.P. Morgan/Reuters 1996) with the seed of docs/math.md "Volatility-model VaR".
 *
 * @param returns at least 1 simple return, oldest first (not mutated)
 * @param lambda decay, 0 < λ < 1 (default 0.94)
 */
export function ewmaVolatility(returns: Series, lambda = DEFAULT_EWMA_LAMBDA): number {
  assertLambda(lambda);
  assertReturns(returns);
  if (returns.length < 1) throw new InsufficientDataError('Cannot compute an EWMA volatility from 0 returns: need at least 1', 'returns');
  return Math.sqrt(ewmaRecursion(returns, returns, lambda));
}

/**
 * EWMA VaR in return terms, one period: z_α σ_{n+1} with z_α = Φ⁻¹(α) and the zero-mean RiskMetrics
 * volatility forecast (docs/math.md "Volatility-model VaR"). A loss is negative. The facade applies
 * √h for a horizon.
 *
 * @param returns at least 2 simple returns (not mutated)
 * @param confidence a percentage, 50 < c < 100
 * @param lambda decay, 0 < λ < 1 (default 0.94)
 */
export function ewmaVar(returns: Series, confidence: number, lambda = DEFAULT_EWMA_LAMBDA): number {
  guard(returns, confidence, lambda, 'EWMA VaR');
  return gaussianVar(0, Math.sqrt(ewmaRecursion(returns, returns, lambda)), tailProbability(confidence));
}

/**
 * EWMA CVaR in return terms, one period: −σ_{n+1} φ(z_α)/α, the Gaussian expected shortfall of the
 * zero-mean RiskMetrics forecast (docs/math.md "Volatility-model VaR"). CVaR ≤ VaR.
 *
 * @param returns at least 2 simple returns (not mutated)
 * @param confidence a percentage, 50 < c < 100
 * @param lambda decay, 0 < λ < 1 (default 0.94)
 */
export function ewmaCvar(returns: Series, confidence: number, lambda = DEFAULT_EWMA_LAMBDA): number {
  guard(returns, confidence, lambda, 'EWMA CVaR');
  return gaussianCvar(0, Math.sqrt(ewmaRecursion(returns, returns, lambda)), tailProbability(confidence));
}
