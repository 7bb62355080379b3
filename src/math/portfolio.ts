import { cornishFisherVarFromMoments, cornishFisherZ } from './cornish-fisher-var';
import { InvalidInputError } from './errors';
import { cornishFisherCvarFromMoments, cornishFisherTail, gaussianCvar, meanBelow } from './expected-shortfall';
import { horizonScaling, sqrtTimeScale } from './horizon';
import { drawSeed, minObservationsMonteCarlo, quantileStandardError } from './monte-carlo-var';
import { CentralMoments, centralMoments, Moments, momentsFromCentral } from './moments';
import { normalPdf, normalQuantile } from './normal';
import { gaussianVar } from './parametric-var';
import { Xoshiro128 } from './prng';
import { quantileWithIndices } from './quantile';
import { McDistribution, Scaling, Series, VarMethod } from './types';
import { MAX_SIMULATIONS, assertReturns, minObservationsHistorical, requireObservations, riskOptions, tailProbability } from './validation';

export interface PortfolioRiskInput {
  /** wᵢ = market valueᵢ / Σ market value, one per asset (short positions negative); finite. */
  weights: Series;
  /**
   * One return series per asset, in the order of `weights`, all of the same length n and aligned
   * on the same dates (oldest first): assetReturns[i][t] = rᵢ,t. Each value finite and > −1.
   */
  assetReturns: readonly Series[];
  /** A percentage, 50 < c < 100. */
  confidence: number;
  method: VarMethod;
  /** Integer 1..250, default 1. */
  horizonDays?: number;
  /** monte_carlo only (see monteCarloVar). */
  simulations?: number;
  seed?: number;
  distribution?: McDistribution;
}

export interface PortfolioRiskResult {
  method: VarMethod;
  confidenceLevel: number;
  horizonDays: number;
  scaling: Scaling;
  /** n, the aligned dates used. */
  observations: number;
  /** r_p,t = Σ wᵢ rᵢ,t (a new array). */
  portfolioReturns: Float64Array;
  /** VaR of r_p under the method and horizon (return terms, a loss is negative). */
  varReturn: number;
  /** CVaR of r_p under the method and horizon (≤ varReturn). */
  cvarReturn: number;
  /** Euler VaR contributions wᵢ ∂VaR/∂wᵢ (after the horizon rule); they sum to varReturn. */
  varComponents: Float64Array;
  /** Euler CVaR contributions; they sum to cvarReturn. */
  cvarComponents: Float64Array;
  /** Moments of r_p (one period). */
  statistics: Moments;
  monteCarlo?: { simulations: number; seed: number; distribution: McDistribution; standardError: number };
}

const LABEL: Record<VarMethod, string> = {
  historical: 'historical VaR',
  parametric: 'parametric VaR',
  cornish_fisher: 'Cornish-Fisher VaR',
  monte_carlo: 'Monte Carlo VaR',
};

/**
 * VaR and CVaR of a weighted portfolio of assets with their Euler contributions
 * (docs/math.md "Stored portfolios"): componentᵢ = wᵢ ∂VaR/∂wᵢ, which sum to the VaR because every
 * method is homogeneous of degree 1 in w. In return terms; the horizon rule applies to each term
 * as to the VaR (× √h for historical and Cornish–Fisher; μᵢh and √h for parametric).
 *
 * - parametric: wᵢ(μᵢh + z_α (Σw)ᵢ/σ_p √h), CVaR wᵢ(μᵢh − (Σw)ᵢ/σ_p √h φ(z_α)/α); Σ the sample
 *   covariance (n − 1), σ_p = √(wᵀΣw) (the sample σ of r_p).
 * - historical: with Q = r_p(k) + f (r_p(k+1) − r_p(k)) (type 7) and t_k, t_k+1 the dates of those
 *   order statistics (ties broken by the earlier date), wᵢ[(1−f) rᵢ,t_k + f rᵢ,t_k+1]; CVaR
 *   wᵢ × mean of rᵢ,t over the dates with r_p,t < Q (the VaR terms when there is none).
 * - cornish_fisher: the exact gradient of μ_p + z_cf σ_p through μ_p, σ_p (n − 1), S_p and K_p
 *   (central moments over n) — Boudt, Peterson & Croux (2008) with the divisors of docs/math.md; CVaR
 *   likewise through μ_p + σ_p min(E_G, z_cf). Without dispersion (σ_p = 0): wᵢ μᵢ.
 * - monte_carlo: scenarios simulated jointly (normal: μ and the Cholesky factor of Σ, n − 1;
 *   bootstrap: whole dates resampled), each asset compounded over h periods and the portfolio
 *   held (buy and hold: R_p = Σ wᵢ Rᵢ, so the figure stays homogeneous in w); then as historical
 *   on the N scenarios. The same seed gives the same figures bit for bit; memory O(N + k), as the
 *   scenarios are generated twice (figures, then contributions) from the same seed.
 *
 * Data needed: 2 aligned dates (parametric, cornish_fisher, monte_carlo normal), ⌈1/α⌉
 * (historical, monte_carlo bootstrap). Monte Carlo options are ignored by the other methods.
 * Inputs are not mutated.
 */
export function portfolioRisk(input: PortfolioRiskInput): PortfolioRiskResult {
  const { weights, assetReturns, confidence, method } = input;
  const { horizonDays, simulations, distribution } = riskOptions(input);
  const k = weights.length;
  if (k < 1) throw new InvalidInputError('weights must hold at least one asset', 'weights');
  for (let i = 0; i < k; i++) {
    const w = weights[i];
    if (typeof w !== 'number' || !Number.isFinite(w)) throw new InvalidInputError(`weights[${i}] must be a finite number`, `weights[${i}]`);
  }
  if (assetReturns.length !== k) {
    throw new InvalidInputError(`a portfolio needs one weight per asset: ${k} weights for ${assetReturns.length} asset return series`, 'weights');
  }
  const n = assetReturns[0].length;
  for (let i = 0; i < k; i++) {
    if (assetReturns[i].length !== n) {
      throw new InvalidInputError(
        `asset_returns[${i}] has ${assetReturns[i].length} returns but asset_returns[0] has ${n}: the series must be aligned on the same dates`,
        `asset_returns[${i}]`,
      );
    }
    assertReturns(assetReturns[i], `asset_returns[${i}]`);
  }
  const needed =
    method === 'historical' ? minObservationsHistorical(confidence) : method === 'monte_carlo' ? minObservationsMonteCarlo(distribution, confidence) : 2;
  requireObservations(n, needed, LABEL[method], confidence, 'aligned dates', 'asset_returns');

  const rp = portfolioReturns(weights, assetReturns);
  const central = centralMoments(rp);
  const statistics = momentsFromCentral(central);
  const alpha = tailProbability(confidence);
  const base = {
    method,
    confidenceLevel: confidence,
    horizonDays,
    scaling: horizonScaling(method, horizonDays),
    observations: n,
    portfolioReturns: rp,
    statistics,
  };
  switch (method) {
    case 'parametric':
      return { ...base, ...parametricComponents(weights, assetReturns, rp, statistics, alpha, horizonDays) };
    case 'historical':
      return { ...base, ...historicalComponents(weights, assetReturns, rp, alpha, horizonDays) };
    case 'cornish_fisher':
      return { ...base, ...cornishFisherComponents(weights, assetReturns, rp, statistics, central, alpha, horizonDays) };
    case 'monte_carlo': {
      const seed = input.seed ?? drawSeed();
      return { ...base, ...monteCarloComponents(weights, assetReturns, alpha, simulations, distribution, horizonDays, seed) };
    }
  }
}

/** r_p,t = Σ wᵢ rᵢ,t over the n aligned dates (a new array; inputs as for portfolioRisk, not validated). */
export function portfolioReturns(weights: Series, assetReturns: readonly Series[]): Float64Array {
  const n = assetReturns.length ? assetReturns[0].length : 0;
  const rp = new Float64Array(n);
  for (let i = 0; i < assetReturns.length; i++) {
    const w = weights[i];
    const r = assetReturns[i];
    for (let t = 0; t < n; t++) rp[t] += w * r[t];
  }
  return rp;
}

type Figures = Pick<PortfolioRiskResult, 'varReturn' | 'cvarReturn' | 'varComponents' | 'cvarComponents' | 'monteCarlo'>;

function meanOf(x: Series, n: number): number {
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

function parametricComponents(weights: Series, assetReturns: readonly Series[], rp: Float64Array, m: Moments, alpha: number, h: number): Figures {
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

function historicalComponents(weights: Series, assetReturns: readonly Series[], rp: Float64Array, alpha: number, h: number): Figures {
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
 * Sensitivities of the standardised Cornish–Fisher figures to skewness S and excess kurtosis K:
 * g = z_cf and its partials gS, gK; es = min(E_G, g) and its total partials eS, eK (through g and
 * directly; on the floor branch they equal gS, gK). dE_G/dg = g·f_E(g)/α with f_E the Edgeworth
 * density φ(g)[1 + S·He₃/6 + K·He₄/24 + S²·He₆/72].
 */
export function cornishFisherSensitivities(alpha: number, skewness: number, excessKurtosis: number) {
  const z = normalQuantile(alpha);
  const z3 = z * z * z;
  const g = cornishFisherZ(z, skewness, excessKurtosis);
  const gS = (z * z - 1) / 6 - ((2 * z3 - 5 * z) * skewness) / 18;
  const gK = (z3 - 3 * z) / 24;
  const tail = cornishFisherTail(alpha, skewness, excessKurtosis);
  let eS = gS;
  let eK = gK;
  if (tail.edgeworthMean < g) {
    const g2 = g * g;
    const g4 = g2 * g2;
    const he3 = g2 * g - 3 * g;
    const he4 = g4 - 6 * g2 + 3;
    const he6 = g4 * g2 - 15 * g4 + 45 * g2 - 15;
    const phi = normalPdf(g);
    const S = skewness;
    const density = phi * (1 + (S * he3) / 6 + (excessKurtosis * he4) / 24 + (S * S * he6) / 72);
    const dEdg = (g * density) / alpha;
    const dEdS = (-phi * ((g2 * g) / 6 + (S * (g4 * g2 - 9 * g4 + 9 * g2 + 3)) / 36)) / alpha;
    const dEdK = (-phi * (g4 - 2 * g2 - 1)) / (24 * alpha);
    eS = dEdg * gS + dEdS;
    eK = dEdg * gK + dEdK;
  }
  return { z, g, gS, gK, es: tail.es, eS, eK };
}

function cornishFisherComponents(
  weights: Series,
  assetReturns: readonly Series[],
  rp: Float64Array,
  m: Moments,
  central: CentralMoments,
  alpha: number,
  h: number,
): Figures {
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
 * Lower-triangular L with L Lᵀ = A for a symmetric positive SEMI-definite A (k × k, row-major):
 * a pivot below 1e-12 × max diagonal is taken as 0 and its column dropped, so collinear assets
 * (or more assets than dates) still simulate, on the subspace the data span.
 */
export function choleskyPsd(a: Float64Array, k: number): Float64Array {
  const l = new Float64Array(k * k);
  let maxDiag = 0;
  for (let i = 0; i < k; i++) maxDiag = Math.max(maxDiag, a[i * k + i]);
  const tol = 1e-12 * maxDiag;
  for (let j = 0; j < k; j++) {
    let s = a[j * k + j];
    for (let m = 0; m < j; m++) s -= l[j * k + m] * l[j * k + m];
    if (s <= tol) continue; // column j stays 0
    const d = Math.sqrt(s);
    l[j * k + j] = d;
    for (let i = j + 1; i < k; i++) {
      let v = a[i * k + j];
      for (let m = 0; m < j; m++) v -= l[i * k + m] * l[j * k + m];
      l[i * k + j] = v / d;
    }
  }
  return l;
}

let scenarioScratch = new Float64Array(16_384);

function monteCarloComponents(
  weights: Series,
  assetReturns: readonly Series[],
  alpha: number,
  simulations: number,
  distribution: McDistribution,
  h: number,
  seed: number,
): Figures {
  const k = weights.length;
  const n = assetReturns[0].length;
  const mu = new Float64Array(k);
  for (let i = 0; i < k; i++) mu[i] = meanOf(assetReturns[i], n);
  let chol: Float64Array = new Float64Array(0);
  if (distribution === 'normal') {
    const cov = new Float64Array(k * k);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j <= i; j++) {
        const ri = assetReturns[i];
        const rj = assetReturns[j];
        let s = 0;
        for (let t = 0; t < n; t++) s += (ri[t] - mu[i]) * (rj[t] - mu[j]);
        cov[i * k + j] = cov[j * k + i] = s / (n - 1);
      }
    }
    chol = choleskyPsd(cov, k);
  }
  const growth = new Float64Array(k);
  const z = new Float64Array(k);
  /** Fills `growth` with 1 + Rᵢ for the next scenario and returns R_p = Σ wᵢ Rᵢ. */
  const scenario = (rng: Xoshiro128): number => {
    growth.fill(1);
    for (let d = 0; d < h; d++) {
      if (distribution === 'normal') {
        for (let i = 0; i < k; i++) z[i] = rng.nextNormal();
        for (let i = 0; i < k; i++) {
          let r = mu[i];
          const row = i * k;
          for (let m = 0; m <= i; m++) r += chol[row + m] * z[m];
          growth[i] *= r < -1 ? 0 : 1 + r;
        }
      } else {
        const t = rng.nextIndex(n);
        for (let i = 0; i < k; i++) growth[i] *= 1 + assetReturns[i][t];
      }
    }
    let rp = 0;
    for (let i = 0; i < k; i++) rp += weights[i] * (growth[i] - 1);
    return rp;
  };

  if (scenarioScratch.length < simulations) {
    scenarioScratch = new Float64Array(Math.max(simulations, Math.min(scenarioScratch.length * 2, MAX_SIMULATIONS)));
  }
  const buf = scenarioScratch.subarray(0, simulations);
  let rng = new Xoshiro128(seed);
  for (let s = 0; s < simulations; s++) buf[s] = scenario(rng);
  const sim = centralMoments(buf, simulations);
  const simSd = simulations < 2 ? 0 : Math.sqrt((sim.m2 * simulations) / (simulations - 1));
  const q = quantileWithIndices(buf, alpha);
  const varReturn = q.value;
  const cvarReturn = meanBelow(buf, varReturn, simulations);
  const standardError = quantileStandardError(alpha, simulations, varReturn, sim.mean, simSd);

  // Second pass over the same stream: the asset returns of the two order statistics and the tail.
  const lower = new Float64Array(k);
  const upper = new Float64Array(k);
  const tailSum = new Float64Array(k);
  let tailCount = 0;
  rng = new Xoshiro128(seed);
  for (let s = 0; s < simulations; s++) {
    scenario(rng);
    if (s === q.lowIndex) for (let i = 0; i < k; i++) lower[i] = growth[i] - 1;
    if (s === q.highIndex) for (let i = 0; i < k; i++) upper[i] = growth[i] - 1;
    if (buf[s] < varReturn) {
      tailCount++;
      for (let i = 0; i < k; i++) tailSum[i] += growth[i] - 1;
    }
  }
  const varComponents = new Float64Array(k);
  const cvarComponents = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    varComponents[i] = weights[i] * ((1 - q.fraction) * lower[i] + q.fraction * upper[i]);
    cvarComponents[i] = tailCount === 0 ? varComponents[i] : (weights[i] * tailSum[i]) / tailCount;
  }
  return {
    varReturn,
    cvarReturn,
    varComponents,
    cvarComponents,
    monteCarlo: { simulations, seed, distribution, standardError },
  };
}
