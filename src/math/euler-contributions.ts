import { cornishFisherSensitivities } from './cornish-fisher-sensitivities';
import { cornishFisherVarFromMoments } from './cornish-fisher-var';
import { ewmaRecursion } from './ewma-var';
import { cornishFisherCvarFromMoments, gaussianCvar, meanBelow } from './expected-shortfall';
import { sqrtTimeScale } from './horizon';
import { CentralMoments, Moments } from './moments';
import { normalPdf, normalQuantile } from './normal';
import { gaussianVar } from './parametric-var';
import { quantileWithIndices } from './quantile';
import { Series } from './types';

/**
 * Euler allocations of a portfolio's VaR and CVaR in closed form (docs/math.md "Stored
 * portfolios"): componentᵢ = wᵢ ∂VaR/∂wᵢ, which sum to the VaR because each method is
 * homogeneous of degree 1 in w. Return terms; the horizon rule applies to each term as to the
 * VaR. Inputs are validated by portfolioRisk; nothing is mutated. Monte Carlo: portfolio-monte-carlo.ts.
 */

/** A portfolio's VaR and CVaR (return terms, over the horizon) with their Euler contributions. */
export interface EulerFigures {
  varReturn: number;
  /** ≤ varReturn. */
  cvarReturn: number;
  /** wᵢ ∂VaR/∂wᵢ; they sum to varReturn. */
  varComponents: Float64Array;
  /** wᵢ ∂CVaR/∂wᵢ; they sum to cvarReturn. */
  cvarComponents: Float64Array;
}

/** Mean of x[0..n−1], summed in order. */
export function meanOf(x: Series, n: number): number {
  let s = 0;
  for (let t = 0; t < n; t++) s += x[t];
  return s / n;
}

/** Means μᵢ and the vectors Σ_t (rᵢ,t − μᵢ) d_t^p for p = 1..maxPower, d_t = r_p,t − μ_p. */
function coMoments(assetReturns: readonly Series[], rp: Float64Array, meanP: number, maxPower: number) {
  const k = assetReturns.length;
  const n = rp.length;
  const mu = new Float64Array(k);
  const c1 = new Float64Array(k);
  const c2 = new Float64Array(k);
  const c3 = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const r = assetReturns[i];
    const m = meanOf(r, n);
    mu[i] = m;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let t = 0; t < n; t++) {
      const e = r[t] - m;
      const d = rp[t] - meanP;
      s1 += e * d;
      if (maxPower > 1) {
        const d2 = d * d;
        s2 += e * d2;
        s3 += e * d2 * d;
      }
    }
    c1[i] = s1;
    c2[i] = s2;
    c3[i] = s3;
  }
  return { mu, c1, c2, c3 };
}

/**
 * Parametric: wᵢ(μᵢh + z_α (Σw)ᵢ/σ_p √h), CVaR wᵢ(μᵢh − (Σw)ᵢ/σ_p √h φ(z_α)/α); Σ the sample
 * covariance (n − 1), σ_p = √(wᵀΣw) (the sample σ of r_p); without dispersion wᵢμᵢh.
 */
export function parametricContributions(weights: Series, assetReturns: readonly Series[], rp: Float64Array, m: Moments, alpha: number, h: number): EulerFigures {
  const k = weights.length;
  const n = rp.length;
  const { mu, c1 } = coMoments(assetReturns, rp, m.mean, 1);
  const z = normalQuantile(alpha);
  const tail = normalPdf(z) / alpha;
  const sqrtH = Math.sqrt(h);
  const sigma = m.stdDev;
  const varComponents = new Float64Array(k);
  const cvarComponents = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const dSigma = sigma > 0 ? c1[i] / (n - 1) / sigma : 0; // (Σw)ᵢ / σ_p
    varComponents[i] = weights[i] * (mu[i] * h + z * dSigma * sqrtH);
    cvarComponents[i] = weights[i] * (mu[i] * h - dSigma * sqrtH * tail);
  }
  return {
    varReturn: gaussianVar(m.mean, sigma, alpha, h),
    cvarReturn: gaussianCvar(m.mean, sigma, alpha, h),
    varComponents,
    cvarComponents,
  };
}

/**
 * Historical: with Q = r_p(k) + f (r_p(k+1) − r_p(k)) (type 7) and t_k, t_k+1 the dates of those
 * order statistics (ties broken by the earlier date), wᵢ[(1−f) rᵢ,t_k + f rᵢ,t_k+1]; CVaR
 * wᵢ × mean of rᵢ,t over the dates with r_p,t < Q (the VaR terms when there is none); × √h.
 */
export function historicalContributions(weights: Series, assetReturns: readonly Series[], rp: Float64Array, alpha: number, h: number): EulerFigures {
  const k = weights.length;
  const n = rp.length;
  const q = quantileWithIndices(rp, alpha);
  const varComponents = new Float64Array(k);
  const cvarComponents = new Float64Array(k);
  let below = 0;
  for (let t = 0; t < n; t++) if (rp[t] < q.value) below++;
  const sqrtH = Math.sqrt(h);
  for (let i = 0; i < k; i++) {
    const r = assetReturns[i];
    const w = weights[i];
    varComponents[i] = sqrtTimeScale(w * ((1 - q.fraction) * r[q.lowIndex] + q.fraction * r[q.highIndex]), h);
    if (below === 0) {
      cvarComponents[i] = varComponents[i];
    } else {
      let s = 0;
      for (let t = 0; t < n; t++) if (rp[t] < q.value) s += r[t];
      cvarComponents[i] = w * (s / below) * sqrtH;
    }
  }
  return {
    varReturn: sqrtTimeScale(q.value, h),
    cvarReturn: sqrtTimeScale(meanBelow(rp, q.value), h),
    varComponents,
    cvarComponents,
  };
}

/**
 * Cornish–Fisher: the exact gradient of μ_p + z_cf σ_p through μ_p, σ_p (n − 1), S_p and K_p
 * (central moments over n) — Boudt, Peterson & Croux (2008) with the divisors of docs/math.md;
 * CVaR likewise through μ_p + σ_p min(E_G, z_cf); × √h. Without dispersion (σ_p = 0): wᵢ μᵢ.
 */
export function cornishFisherContributions(
  weights: Series,
  assetReturns: readonly Series[],
  rp: Float64Array,
  m: Moments,
  central: CentralMoments,
  alpha: number,
  h: number,
): EulerFigures {
  const { m2, m3, m4 } = central;
  const k = weights.length;
  const n = rp.length;
  const { mu, c1, c2, c3 } = coMoments(assetReturns, rp, m.mean, 3);
  const sigma = m.stdDev;
  const S = m.skewness;
  const K = m.excessKurtosis;
  const varReturn = sqrtTimeScale(cornishFisherVarFromMoments(m.mean, sigma, S, K, alpha), h);
  const cvarReturn = sqrtTimeScale(cornishFisherCvarFromMoments(m.mean, sigma, S, K, alpha), h);
  const varComponents = new Float64Array(k);
  const cvarComponents = new Float64Array(k);
  if (sigma === 0) {
    for (let i = 0; i < k; i++) varComponents[i] = cvarComponents[i] = sqrtTimeScale(weights[i] * mu[i], h);
    return { varReturn, cvarReturn, varComponents, cvarComponents };
  }
  // Without measurable dispersion S = K = 0 are constants (momentsFromCentral): their gradients are 0.
  const shape = !central.degenerate;
  const sens = cornishFisherSensitivities(alpha, S, K);
  const m2sqrt = Math.sqrt(m2);
  for (let i = 0; i < k; i++) {
    const dm2 = (2 * c1[i]) / n;
    const dm3 = (3 * c2[i]) / n;
    const dm4 = (4 * c3[i]) / n;
    const dSigma = c1[i] / (n - 1) / sigma; // (Σw)ᵢ / σ_p
    const dS = shape ? dm3 / (m2 * m2sqrt) - (1.5 * m3 * dm2) / (m2 * m2 * m2sqrt) : 0;
    const dK = shape ? dm4 / (m2 * m2) - (2 * m4 * dm2) / (m2 * m2 * m2) : 0;
    const dVar = mu[i] + sens.g * dSigma + sigma * (sens.gS * dS + sens.gK * dK);
    const dCvar = mu[i] + sens.es * dSigma + sigma * (sens.eS * dS + sens.eK * dK);
    varComponents[i] = sqrtTimeScale(weights[i] * dVar, h);
    cvarComponents[i] = sqrtTimeScale(weights[i] * dCvar, h);
  }
  return { varReturn, cvarReturn, varComponents, cvarComponents };
}

/**
 * EWMA (docs/math.md "Volatility-model VaR", stored portfolios): VaR = z_α σ_p, σ_p = σ_{n+1} of r_p,
 * and cᵢ = wᵢ z_α (Σ_λ w)ᵢ / σ_p with Σ_λ the EWMA covariance (the same recursion and seed on rᵢ rⱼ;
 * row i of Σ_λ w is that recursion on rᵢ,t r_p,t), so Σ cᵢ = z_α wᵀΣ_λw / σ_p = VaR; CVaR
 * −σ_p φ(z_α)/α with cᵢ = −wᵢ (Σ_λ w)ᵢ / σ_p φ(z_α)/α; × √h. A book without volatility (σ_p = 0):
 * every term 0. Also returns σ_p.
 */
export function ewmaContributions(
  weights: Series,
  assetReturns: readonly Series[],
  rp: Float64Array,
  alpha: number,
  h: number,
  lambda: number,
): EulerFigures & { sigmaForecast: number } {
  const k = weights.length;
  const sigma = Math.sqrt(ewmaRecursion(rp, rp, lambda));
  const z = normalQuantile(alpha);
  const tail = normalPdf(z) / alpha;
  const varComponents = new Float64Array(k);
  const cvarComponents = new Float64Array(k);
  if (sigma > 0) {
    for (let i = 0; i < k; i++) {
      const dSigma = ewmaRecursion(assetReturns[i], rp, lambda) / sigma; // (Σ_λ w)ᵢ / σ_p
      varComponents[i] = sqrtTimeScale(weights[i] * z * dSigma, h);
      cvarComponents[i] = sqrtTimeScale(-weights[i] * dSigma * tail, h);
    }
  }
  return {
    varReturn: gaussianVar(0, sigma, alpha, h),
    cvarReturn: gaussianCvar(0, sigma, alpha, h),
    varComponents,
    cvarComponents,
    sigmaForecast: sigma,
  };
}
