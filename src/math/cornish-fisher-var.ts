import { moments } from './moments';
import { normalQuantile } from './normal';
import { assertConfidence, assertMinCount, assertReturns, tailProbability } from './validation';

/**
 * The Cornish–Fisher adjusted quantile z_cf = z + (z² − 1)S/6 + (z³ − 3z)K/24 − (2z³ − 5z)S²/36
 * of the standard normal quantile z for skewness S and excess kurtosis K.
 */
export function cornishFisherZ(z: number, skewness: number, excessKurtosis: number): number {
  const z2 = z * z;
  const z3 = z2 * z;
  return z + ((z2 - 1) * skewness) / 6 + ((z3 - 3 * z) * excessKurtosis) / 24 - ((2 * z3 - 5 * z) * skewness * skewness) / 36;
}

/**
 * Modified (Cornish–Fisher) VaR, one period: μ + z_cf σ with sample σ (n − 1) and the skewness
 * and excess kurtosis of math.md (central moments over n). Return terms, a loss is negative.
 * Needs 2 returns. Reference: Favre & Galeano (2002); PerformanceAnalytics VaR(method="modified")
 * with σ over n − 1.
 */
export function cornishFisherVar(returns: ArrayLike<number>, confidence: number): number {
  assertConfidence(confidence);
  assertReturns(returns);
  assertMinCount(returns.length, 2, 'Cornish-Fisher VaR');
  const m = moments(returns);
  return m.mean + cornishFisherZ(normalQuantile(tailProbability(confidence)), m.skewness, m.excessKurtosis) * m.stdDev;
}
