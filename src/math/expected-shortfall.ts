import { tailMeanBelow } from './historical-var';
import { moments } from './moments';
import { normalCdf, normalPdf, normalQuantile } from './normal';
import { cornishFisherZ } from './cornish-fisher-var';
import { quantileType7 } from './quantile';
import { assertConfidence, assertHorizon, assertMinCount, assertReturns, minObservationsHistorical, tailProbability } from './validation';

/**
 * Historical expected shortfall (CVaR), one period: the mean of the returns strictly below
 * the type-7 quantile Q_α; Q_α itself when none is. Return terms, a loss is negative; ≤ VaR.
 */
export function historicalCvar(returns: ArrayLike<number>, confidence: number): number {
  assertConfidence(confidence);
  assertReturns(returns);
  assertMinCount(returns.length, minObservationsHistorical(confidence), 'historical CVaR', confidence);
  const q = quantileType7(returns, tailProbability(confidence));
  return tailMeanBelow(returns, q);
}

/** Gaussian expected shortfall over h periods: μh − σ√h φ(z_α)/α. Needs 2 returns. */
export function parametricCvar(returns: ArrayLike<number>, confidence: number, horizonDays = 1): number {
  assertConfidence(confidence);
  assertHorizon(horizonDays);
  assertReturns(returns);
  assertMinCount(returns.length, 2, 'parametric CVaR');
  const m = moments(returns);
  return gaussianCvar(m.mean, m.stdDev, confidence, horizonDays);
}

export function gaussianCvar(mean: number, stdDev: number, confidence: number, horizonDays = 1): number {
  const alpha = tailProbability(confidence);
  const z = normalQuantile(alpha);
  return mean * horizonDays - (stdDev * Math.sqrt(horizonDays) * normalPdf(z)) / alpha;
}

/**
 * ∫_{−∞}^{g} u^q φ(u) du for q = 0..7 by the recurrence I_q = −g^{q−1} φ(g) + (q − 1) I_{q−2}.
 */
export function truncatedNormalMoments(g: number): Float64Array {
  const I = new Float64Array(8);
  const phi = normalPdf(g);
  I[0] = normalCdf(g);
  I[1] = -phi;
  for (let q = 2; q < 8; q++) I[q] = -Math.pow(g, q - 1) * phi + (q - 1) * I[q - 2];
  return I;
}

/**
 * Modified (Cornish–Fisher) expected shortfall of Boudt, Peterson and Croux (2008): the mean of
 * the Edgeworth-expanded distribution below the Cornish–Fisher quantile g = z_cf,
 * μ + σ/α · [I₁ + S/6 (I₄ − 3I₂) + K/24 (I₅ − 6I₃ + 3I₁) + S²/72 (I₇ − 15I₅ + 45I₃ − 15I₁)],
 * with I_q = ∫_{−∞}^{g} u^q φ(u) du. Where the expansion puts the tail mean above the modified
 * VaR (extreme skewness / kurtosis), the VaR is answered instead, as PerformanceAnalytics does,
 * so that CVaR ≤ VaR always holds. One period; needs 2 returns.
 */
export function cornishFisherCvar(returns: ArrayLike<number>, confidence: number): number {
  assertConfidence(confidence);
  assertReturns(returns);
  assertMinCount(returns.length, 2, 'Cornish-Fisher CVaR');
  const m = moments(returns);
  return modifiedEs(m.mean, m.stdDev, m.skewness, m.excessKurtosis, confidence);
}

export function modifiedEs(mean: number, stdDev: number, S: number, K: number, confidence: number): number {
  const alpha = tailProbability(confidence);
  const g = cornishFisherZ(normalQuantile(alpha), S, K);
  const I = truncatedNormalMoments(g);
  const eg =
    (I[1] + (S / 6) * (I[4] - 3 * I[2]) + (K / 24) * (I[5] - 6 * I[3] + 3 * I[1]) + ((S * S) / 72) * (I[7] - 15 * I[5] + 45 * I[3] - 15 * I[1])) /
    alpha;
  const es = mean + stdDev * eg;
  const mvar = mean + stdDev * g;
  return es > mvar ? mvar : es;
}
