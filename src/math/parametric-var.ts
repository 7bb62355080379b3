import { centralMoments, momentsFromCentral } from './moments';
import { normalQuantile } from './normal';
import { Series } from './types';
import { assertConfidence, assertHorizon, assertReturns, requireObservations, tailProbability } from './validation';

/**
 * Gaussian VaR from μ and σ: μ·h + z_α·σ·√h, z_α = Φ⁻¹(α) < 0 (mean–variance horizon rule).
 * Return terms; a loss is negative.
 */
export function gaussianVar(mean: number, stdDev: number, alpha: number, horizonDays = 1): number {
  return mean * horizonDays + normalQuantile(alpha) * stdDev * Math.sqrt(horizonDays);
}

/**
 * Parametric (Gaussian) VaR in return terms: μ·h + z_α σ √h with μ the mean, σ the SAMPLE
 * standard deviation (n − 1) and z_α = Φ⁻¹(1 − c/100) (docs/math.md "VaR" and "Horizon";
 * scipy `norm.ppf`). PerformanceAnalytics divides σ by n, so its figure differs from the 4th
 * significant digit. A loss is negative.
 *
 * @param returns at least 2 simple returns, oldest first (not mutated)
 * @param confidence a percentage, 50 < c < 100
 * @param horizonDays integer 1..250 (default 1)
 */
export function parametricVar(returns: Series, confidence: number, horizonDays = 1): number {
  assertConfidence(confidence);
  assertHorizon(horizonDays);
  assertReturns(returns);
  requireObservations(returns.length, 2, 'parametric VaR', confidence);
  const m = momentsFromCentral(centralMoments(returns));
  return gaussianVar(m.mean, m.stdDev, tailProbability(confidence), horizonDays);
}
