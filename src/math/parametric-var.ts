import { moments } from './moments';
import { normalQuantile } from './normal';
import { assertConfidence, assertHorizon, assertMinCount, assertReturns, tailProbability } from './validation';

/**
 * Gaussian VaR over `horizonDays` h: μh + z_α σ √h (μ the mean, σ the sample standard
 * deviation, z_α = Φ⁻¹(1 − c/100) < 0), in return terms (a loss is negative). Needs 2 returns.
 * Reference: scipy.stats.norm.ppf; PerformanceAnalytics uses σ over n and differs slightly.
 */
export function parametricVar(returns: ArrayLike<number>, confidence: number, horizonDays = 1): number {
  assertConfidence(confidence);
  assertHorizon(horizonDays);
  assertReturns(returns);
  assertMinCount(returns.length, 2, 'parametric VaR');
  const m = moments(returns);
  return gaussianVar(m.mean, m.stdDev, confidence, horizonDays);
}

/** μh + z σ √h from given moments. */
export function gaussianVar(mean: number, stdDev: number, confidence: number, horizonDays = 1): number {
  const z = normalQuantile(tailProbability(confidence));
  return mean * horizonDays + z * stdDev * Math.sqrt(horizonDays);
}
