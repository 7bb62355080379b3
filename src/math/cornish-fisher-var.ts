import { centralMoments, momentsFromCentral } from './moments';
import { normalQuantile } from './normal';
import { Series } from './types';
import { assertConfidence, assertReturns, requireObservations, tailProbability } from './validation';

/**
 * The Cornish–Fisher quantile z_cf = z + (z² − 1)S/6 + (z³ − 3z)K/24 − (2z³ − 5z)S²/36 of a
 * standard variable with skewness S and excess kurtosis K, z = Φ⁻¹(α) (docs/math.md "VaR").
 */
export function cornishFisherZ(z: number, skewness: number, excessKurtosis: number): number {
  const z2 = z * z;
  const z3 = z2 * z;
  return z + ((z2 - 1) * skewness) / 6 + ((z3 - 3 * z) * excessKurtosis) / 24 - ((2 * z3 - 5 * z) * skewness * skewness) / 36;
}

/** Modified VaR from moments: μ + z_cf σ (σ = 0 gives μ). One period, return terms. */
export function cornishFisherVarFromMoments(mean: number, stdDev: number, skewness: number, excessKurtosis: number, alpha: number): number {
  if (stdDev === 0) return mean;
  return mean + cornishFisherZ(normalQuantile(alpha), skewness, excessKurtosis) * stdDev;
}

/**
 * Cornish–Fisher ("modified") VaR in return terms, one period: μ + z_cf σ with σ the sample
 * standard deviation (n − 1) and S, K from central moments over n (docs/math.md; Zangari 1996, Favre &
 * Galeano 2002, PerformanceAnalytics `VaR(method = "modified")`, which however uses σ over n).
 * A loss is negative; a series without dispersion gives μ. The facade applies √h for a horizon.
 *
 * @param returns at least 2 simple returns (not mutated)
 * @param confidence a percentage, 50 < c < 100
 */
export function cornishFisherVar(returns: Series, confidence: number): number {
  assertConfidence(confidence);
  assertReturns(returns);
  requireObservations(returns.length, 2, 'Cornish-Fisher VaR', confidence);
  const m = momentsFromCentral(centralMoments(returns));
  return cornishFisherVarFromMoments(m.mean, m.stdDev, m.skewness, m.excessKurtosis, tailProbability(confidence));
}
