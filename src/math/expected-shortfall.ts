import { cornishFisherZ } from './cornish-fisher-var';
import { centralMoments, momentsFromCentral } from './moments';
import { normalPdf, normalQuantile } from './normal';
import { quantileType7 } from './quantile';
import { Series } from './types';
import {
  assertConfidence,
  assertHorizon,
  assertReturns,
  minObservationsHistorical,
  requireObservations,
  tailProbability,
} from './validation';

/**
 * Mean of the values of x strictly below q; q itself when there are none (docs/math.md "CVaR").
 * One pass over x (not mutated).
 */
export function meanBelow(x: ArrayLike<number>, q: number, n = x.length): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v < q) {
      sum += v;
      count++;
    }
  }
  return count === 0 ? q : sum / count;
}

/**
 * Historical CVaR (expected shortfall) in return terms: the mean of the returns strictly below the
 * type-7 α-quantile Q_α; Q_α itself when no return is below it (docs/math.md "CVaR";
 * PerformanceAnalytics `ES(method = "historical")`). A loss is negative; CVaR ≤ VaR. One period.
 *
 * @param returns at least ⌈1/α⌉ simple returns (not mutated)
 * @param confidence a percentage, 50 < c < 100
 */
export function historicalCvar(returns: Series, confidence: number): number {
  assertConfidence(confidence);
  assertReturns(returns);
  requireObservations(returns.length, minObservationsHistorical(confidence), 'historical CVaR', confidence);
  return meanBelow(returns, quantileType7(returns, tailProbability(confidence)));
}

/** Gaussian CVaR from μ and σ: μ·h − σ·√h·φ(z_α)/α (return terms, a loss is negative). */
export function gaussianCvar(mean: number, stdDev: number, alpha: number, horizonDays = 1): number {
  return mean * horizonDays - (stdDev * Math.sqrt(horizonDays) * normalPdf(normalQuantile(alpha))) / alpha;
}

/**
 * Parametric (Gaussian) CVaR in return terms: μ·h − σ√h·φ(z_α)/α, σ the sample standard
 * deviation (n − 1) (docs/math.md "CVaR"; PerformanceAnalytics `ES(method = "gaussian")` uses σ over n).
 *
 * @param returns at least 2 simple returns (not mutated)
 * @param confidence a percentage, 50 < c < 100
 * @param horizonDays integer 1..250 (default 1)
 */
export function parametricCvar(returns: Series, confidence: number, horizonDays = 1): number {
  assertConfidence(confidence);
  assertHorizon(horizonDays);
  assertReturns(returns);
  requireObservations(returns.length, 2, 'parametric CVaR', confidence);
  const m = momentsFromCentral(centralMoments(returns));
  return gaussianCvar(m.mean, m.stdDev, tailProbability(confidence), horizonDays);
}

/** The Cornish–Fisher tail of a standardised variable (see cornishFisherTail). */
export interface CornishFisherTail {
  /** z = Φ⁻¹(α). */
  z: number;
  /** g = z_cf, the Cornish–Fisher α-quantile (standardised modified VaR). */
  g: number;
  /** E_G, the mean below g under the second-order Edgeworth density (standardised). */
  edgeworthMean: number;
  /** min(E_G, g): the standardised modified ES actually used (never above the modified VaR). */
  es: number;
}

/**
 * Standardised modified ES of Boudt, Peterson & Croux (2008), Journal of Risk 11(2), in the
 * closed form of PerformanceAnalytics' operES.CornishFisher:
 *   E_G = −φ(g)·[1 + g³S/6 + (g⁶ − 9g⁴ + 9g² + 3)S²/72 + (g⁴ − 2g² − 1)K/24] / α,
 * which equals (1/α)∫_{−∞}^{g} u·φ(u)[1 + S·He₃(u)/6 + K·He₄(u)/24 + S²·He₆(u)/72] du, the mean
 * below g under the Edgeworth density; then es = min(E_G, g) (the "operational" floor, so that
 * modified ES is never above modified VaR).
 */
export function cornishFisherTail(alpha: number, skewness: number, excessKurtosis: number): CornishFisherTail {
  const z = normalQuantile(alpha);
  const g = cornishFisherZ(z, skewness, excessKurtosis);
  const g2 = g * g;
  const g4 = g2 * g2;
  const bracket = 1 + (g2 * g * skewness) / 6 + ((g4 * g2 - 9 * g4 + 9 * g2 + 3) * skewness * skewness) / 72 + ((g4 - 2 * g2 - 1) * excessKurtosis) / 24;
  const edgeworthMean = (-normalPdf(g) * bracket) / alpha;
  return { z, g, edgeworthMean, es: Math.min(edgeworthMean, g) };
}

/** Modified ES from moments: μ + σ·min(E_G, z_cf); σ = 0 gives μ. One period, return terms. */
export function cornishFisherCvarFromMoments(mean: number, stdDev: number, skewness: number, excessKurtosis: number, alpha: number): number {
  if (stdDev === 0) return mean;
  return mean + stdDev * cornishFisherTail(alpha, skewness, excessKurtosis).es;
}

/**
 * Cornish–Fisher ("modified") CVaR in return terms, one period: μ + σ·min(E_G, z_cf) with the
 * Boudt–Peterson–Croux (2008) modified ES E_G (see cornishFisherTail); σ the sample standard
 * deviation (n − 1), S and K from central moments over n, as for cornishFisherVar.
 * PerformanceAnalytics `ES(method = "modified")` (operational, the default) is the same formula
 * with σ over n. A loss is negative; the result is never above cornishFisherVar. With a large
 * excess kurtosis the Edgeworth expansion leaves its domain and E_G can even rise above z_cf
 * (then the floor applies) or fall with the confidence: a known limit of the method.
 *
 * @param returns at least 2 simple returns (not mutated)
 * @param confidence a percentage, 50 < c < 100
 */
export function cornishFisherCvar(returns: Series, confidence: number): number {
  assertConfidence(confidence);
  assertReturns(returns);
  requireObservations(returns.length, 2, 'Cornish-Fisher CVaR', confidence);
  const m = momentsFromCentral(centralMoments(returns));
  return cornishFisherCvarFromMoments(m.mean, m.stdDev, m.skewness, m.excessKurtosis, tailProbability(confidence));
}
