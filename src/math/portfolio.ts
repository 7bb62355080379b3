import { cornishFisherZ } from './cornish-fisher-var';
import { InvalidInputError } from './errors';
import { Moments, moments } from './moments';
import { McDistribution, MC_DEFAULT_SIMULATIONS, MC_MAX_SIMULATIONS, summariseScenarios } from './monte-carlo-var';
import { normalPdf, normalQuantile } from './normal';
import { randomSeed, Xoshiro128 } from './prng';
import { quantileWithIndices } from './quantile';
import { RiskMethod, Scaling, scalingFor } from './var';
import { assertConfidence, assertHorizon, assertMinCount, assertReturns, minObservationsHistorical, tailProbability } from './validation';
import { modifiedEs, truncatedNormalMoments } from './expected-shortfall';

export interface PortfolioRiskInput {
  /** wᵢ = market valueᵢ / Σ market value; may be negative (short positions). */
  weights: ArrayLike<number>;
  /** One series per asset, all of the same length n, aligned on the same dates, oldest first. */
  assetReturns: ReadonlyArray<ArrayLike<number>>;
  confidence: number;
  method: RiskMethod;
  horizonDays?: number;
  simulations?: number;
  seed?: number;
  distribution?: McDistribution;
}

export interface PortfolioRiskResult {
  method: RiskMethod;
  scaling: Scaling;
  varReturn: number;
  cvarReturn: number;
  /** Euler allocations wᵢ ∂VaR/∂wᵢ in return terms (horizon rule applied): they sum to varReturn. */
  varComponents: Float64Array;
  /** Likewise for the expected shortfall: they sum to cvarReturn. */
  cvarComponents: Float64Array;
  portfolioReturns: Float64Array;
  statistics: Moments;
  monteCarlo?: { simulations: number; seed: number; distribution: McDistribution; standardError: number };
}

/** r_p,t = Σ wᵢ rᵢ,t */
export function portfolioReturns(weights: ArrayLike<number>, assetReturns: ReadonlyArray<ArrayLike<number>>): Float64Array {
  const n = assetReturns.length ? assetReturns[0].length : 0;
  const out = new Float64Array(n);
  for (let i = 0; i < assetReturns.length; i++) {
    const w = weights[i];
    const r = assetReturns[i];
    for (let t = 0; t < n; t++) out[t] += w * r[t];
  }
  return out;
}

/**
 * VaR and CVaR of a portfolio of assets with fixed weights, and their Euler decomposition
 * per asset (math.md "Stored portfolios"): parametric (sample covariance), historical (the
 * dates of the two order statistics of the type-7 quantile), Cornish–Fisher (exact gradient of
 * the modified VaR / ES through μ_p, σ_p (n − 1), skewness and excess kurtosis (over n); Boudt,
 * Peterson & Croux 2008) and Monte Carlo (joint scenarios, then as historical). Return terms.
 */
export function portfolioRisk(input: PortfolioRiskInput): PortfolioRiskResult {
  const { weights, assetReturns, confidence, method } = input;
  const k = assetReturns.length;
  const h = input.horizonDays ?? 1;
  assertConfidence(confidence);
  assertHorizon(h);
  if (k === 0 || weights.length !== k) throw new InvalidInputError('a portfolio needs one weight per asset and at least one asset', 'weights');
  const n = assetReturns[0].length;
  assetReturns.forEach((r, i) => {
    if (r.length !== n) throw new InvalidInputError(`asset ${i} has ${r.length} returns, expected ${n} aligned dates`, 'assetReturns');
    assertReturns(r, `assetReturns[${i}]`);
  });
  const rp = portfolioReturns(weights, assetReturns);
  const stats = moments(rp);
  const scaling = scalingFor(method, h);
  const root = Math.sqrt(h);
  const alpha = tailProbability(confidence);

  switch (method) {
    case 'historical': {
      assertMinCount(n, minObservationsHistorical(confidence), 'historical VaR', confidence);
      const r = historicalComponents(weights, assetReturns, rp, alpha);
      return { method, scaling, statistics: stats, portfolioReturns: rp, ...scaleAll(r, root) };
    }
    case 'parametric': {
      assertMinCount(n, 2, 'parametric VaR');
      return { method, scaling, statistics: stats, portfolioReturns: rp, ...parametricComponents(weights, assetReturns, alpha, h) };
    }
    case 'cornish_fisher': {
      assertMinCount(n, 2, 'Cornish-Fisher VaR');
      const r = cornishFisherComponents(weights, assetReturns, rp, confidence);
      return { method, scaling, statistics: stats, portfolioReturns: rp, ...scaleAll(r, root) };
    }
    case 'monte_carlo':
      return { method, scaling, statistics: stats, portfolioReturns: rp, ...monteCarloComponents(input, rp, alpha, h) };
    default:
      throw new InvalidInputError(`method must be one of historical, parametric, cornish_fisher, monte_carlo, got ${String(method)}`, 'method');
  }
}

type Decomposition = { varReturn: number; cvarReturn: number; varComponents: Float64Array; cvarComponents: Float64Array };

function scaleAll(d: Decomposition, factor: number): Decomposition {
  if (factor === 1) return d;
  return {
    varReturn: d.varReturn * factor,
    cvarReturn: d.cvarReturn * factor,
    varComponents: d.varComponents.map((c) => c * factor),
    cvarComponents: d.cvarComponents.map((c) => c * factor),
  };
}

function historicalComponents(w: ArrayLike<number>, R: ReadonlyArray<ArrayLike<number>>, rp: Float64Array, alpha: number): Decomposition {
  const k = R.length;
  const n = rp.length;
  const q = quantileWithIndices(rp, alpha);
  const varComponents = new Float64Array(k);
  for (let i = 0; i < k; i++) varComponents[i] = w[i] * ((1 - q.fraction) * R[i][q.lowIndex] + q.fraction * R[i][q.highIndex]);
  const varReturn = sum(varComponents);
  // CVaR: the tail dates are those with r_p,t < Q; each asset's share is its weighted mean there.
  const tail: number[] = [];
  for (let t = 0; t < n; t++) if (rp[t] < q.value) tail.push(t);
  if (tail.length === 0) return { varReturn, cvarReturn: varReturn, varComponents, cvarComponents: varComponents.slice() };
  const cvarComponents = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = 0;
    for (const t of tail) s += R[i][t];
    cvarComponents[i] = (w[i] * s) / tail.length;
  }
  return { varReturn, cvarReturn: sum(cvarComponents), varComponents, cvarComponents };
}

/** Means and sample covariance (n − 1) of the asset returns. */
function meanCov(R: ReadonlyArray<ArrayLike<number>>): { mu: Float64Array; cov: Float64Array[] } {
  const k = R.length;
  const n = R[0].length;
  const mu = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = 0;
    for (let t = 0; t < n; t++) s += R[i][t];
    mu[i] = s / n;
  }
  const cov = Array.from({ length: k }, () => new Float64Array(k));
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      let s = 0;
      for (let t = 0; t < n; t++) s += (R[i][t] - mu[i]) * (R[j][t] - mu[j]);
      cov[i][j] = cov[j][i] = s / (n - 1);
    }
  }
  return { mu, cov };
}

function parametricComponents(w: ArrayLike<number>, R: ReadonlyArray<ArrayLike<number>>, alpha: number, h: number): Decomposition {
  const k = R.length;
  const { mu, cov } = meanCov(R);
  const sw = new Float64Array(k);
  let variance = 0;
  for (let i = 0; i < k; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += cov[i][j] * w[j];
    sw[i] = s;
    variance += w[i] * s;
  }
  const sigma = Math.sqrt(Math.max(variance, 0));
  const z = normalQuantile(alpha);
  const tailFactor = normalPdf(z) / alpha;
  const root = Math.sqrt(h);
  const varComponents = new Float64Array(k);
  const cvarComponents = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const marginal = sigma > 0 ? sw[i] / sigma : 0;
    varComponents[i] = w[i] * (mu[i] * h + z * marginal * root);
    cvarComponents[i] = w[i] * (mu[i] * h - marginal * tailFactor * root);
  }
  let muP = 0;
  for (let i = 0; i < k; i++) muP += w[i] * mu[i];
  return {
    varReturn: muP * h + z * sigma * root,
    cvarReturn: muP * h - sigma * tailFactor * root,
    varComponents,
    cvarComponents,
  };
}

function cornishFisherComponents(w: ArrayLike<number>, R: ReadonlyArray<ArrayLike<number>>, rp: Float64Array, confidence: number): Decomposition {
  const k = R.length;
  const n = rp.length;
  const alpha = tailProbability(confidence);
  const mu = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = 0;
    for (let t = 0; t < n; t++) s += R[i][t];
    mu[i] = s / n;
  }
  let muP = 0;
  for (let i = 0; i < k; i++) muP += w[i] * mu[i];
  // Central moments of r_p over n and their gradients: ∂m_q/∂w_i = (q/n) Σ_t d_t^{q−1} c_{i,t}.
  const d = new Float64Array(n);
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  for (let t = 0; t < n; t++) {
    d[t] = rp[t] - muP;
    const d2 = d[t] * d[t];
    s2 += d2;
    s3 += d2 * d[t];
    s4 += d2 * d2;
  }
  const m2 = s2 / n;
  const m3 = s3 / n;
  const m4 = s4 / n;
  const sigma = Math.sqrt(s2 / (n - 1));
  const S = m2 > 0 ? m3 / Math.pow(m2, 1.5) : 0;
  const K = m2 > 0 ? m4 / (m2 * m2) - 3 : 0;
  const z = normalQuantile(alpha);
  const g = cornishFisherZ(z, S, K);
  const dgdS = (z * z - 1) / 6 - ((2 * z * z * z - 5 * z) * 2 * S) / 36;
  const dgdK = (z * z * z - 3 * z) / 24;

  // Modified ES: E_G = (1/α)[I1 + S/6 (I4 − 3I2) + K/24 (I5 − 6I3 + 3I1) + S²/72 (I7 − 15I5 + 45I3 − 15I1)]
  const I = truncatedNormalMoments(g);
  const phiG = normalPdf(g);
  const EG = (I[1] + (S / 6) * (I[4] - 3 * I[2]) + (K / 24) * (I[5] - 6 * I[3] + 3 * I[1]) + ((S * S) / 72) * (I[7] - 15 * I[5] + 45 * I[3] - 15 * I[1])) / alpha;
  const g2 = g * g;
  const dEdg = (phiG * (g + (S / 6) * (g2 * g2 - 3 * g2) + (K / 24) * (g2 * g2 * g - 6 * g2 * g + 3 * g) + ((S * S) / 72) * (g2 * g2 * g2 * g - 15 * g2 * g2 * g + 45 * g2 * g - 15 * g))) / alpha;
  const dEdSdirect = ((I[4] - 3 * I[2]) / 6 + ((2 * S) / 72) * (I[7] - 15 * I[5] + 45 * I[3] - 15 * I[1])) / alpha;
  const dEdKdirect = (I[5] - 6 * I[3] + 3 * I[1]) / 24 / alpha;
  const dEdS = dEdg * dgdS + dEdSdirect;
  const dEdK = dEdg * dgdK + dEdKdirect;

  const varComponents = new Float64Array(k);
  const esComponents = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let a2 = 0;
    let a3 = 0;
    let a4 = 0;
    const Ri = R[i];
    const mi = mu[i];
    for (let t = 0; t < n; t++) {
      const c = Ri[t] - mi;
      const dt = d[t];
      a2 += dt * c;
      a3 += dt * dt * c;
      a4 += dt * dt * dt * c;
    }
    const dm2 = (2 * a2) / n;
    const dm3 = (3 * a3) / n;
    const dm4 = (4 * a4) / n;
    const dSigma = sigma > 0 ? ((n / (n - 1)) * dm2) / (2 * sigma) : 0;
    const dS = m2 > 0 ? dm3 / Math.pow(m2, 1.5) - (1.5 * m3 * dm2) / Math.pow(m2, 2.5) : 0;
    const dK = m2 > 0 ? dm4 / (m2 * m2) - (2 * m4 * dm2) / (m2 * m2 * m2) : 0;
    varComponents[i] = w[i] * (mi + dSigma * g + sigma * (dgdS * dS + dgdK * dK));
    esComponents[i] = w[i] * (mi + dSigma * EG + sigma * (dEdS * dS + dEdK * dK));
  }
  const varReturn = muP + g * sigma;
  const es = modifiedEs(muP, sigma, S, K, confidence);
  // Where the expansion's tail mean lies above the modified VaR, the ES is the VaR (see modifiedEs).
  const clamped = es === varReturn && muP + sigma * EG > varReturn;
  return { varReturn, cvarReturn: es, varComponents, cvarComponents: clamped ? varComponents.slice() : esComponents };
}

/** Cholesky factor of a positive semi-definite matrix (a zero column where a pivot vanishes). */
export function choleskyPsd(a: Float64Array[]): Float64Array[] {
  const k = a.length;
  const L = Array.from({ length: k }, () => new Float64Array(k));
  for (let j = 0; j < k; j++) {
    let d = a[j][j];
    for (let m = 0; m < j; m++) d -= L[j][m] * L[j][m];
    if (d <= 1e-14 * Math.max(a[j][j], Number.MIN_VALUE)) continue;
    const ljj = Math.sqrt(d);
    L[j][j] = ljj;
    for (let i = j + 1; i < k; i++) {
      let s = a[i][j];
      for (let m = 0; m < j; m++) s -= L[i][m] * L[j][m];
      L[i][j] = s / ljj;
    }
  }
  return L;
}

function monteCarloComponents(input: PortfolioRiskInput, rp: Float64Array, alpha: number, h: number): Decomposition & { monteCarlo: PortfolioRiskResult['monteCarlo'] } {
  const { weights: w, assetReturns: R, confidence } = input;
  const k = R.length;
  const n = rp.length;
  const N = input.simulations ?? MC_DEFAULT_SIMULATIONS;
  const distribution = input.distribution ?? 'normal';
  if (!Number.isInteger(N) || N < 1 || N > MC_MAX_SIMULATIONS) throw new InvalidInputError(`simulations must be an integer from 1 to ${MC_MAX_SIMULATIONS}, got ${N}`, 'simulations');
  if (distribution === 'normal') assertMinCount(n, 2, 'a normal Monte Carlo VaR');
  else assertMinCount(n, minObservationsHistorical(confidence), 'a bootstrap Monte Carlo VaR', confidence);
  const seed = input.seed ?? randomSeed();
  const rng = new Xoshiro128(seed);
  const scen = Array.from({ length: k }, () => new Float64Array(N));
  const growth = new Float64Array(k);
  const draw = new Float64Array(k);
  const { mu, cov } = distribution === 'normal' ? meanCov(R) : { mu: new Float64Array(k), cov: [] as Float64Array[] };
  const L = distribution === 'normal' ? choleskyPsd(cov) : [];
  for (let s = 0; s < N; s++) {
    growth.fill(1);
    for (let day = 0; day < h; day++) {
      if (distribution === 'normal') {
        for (let i = 0; i < k; i++) draw[i] = rng.nextNormal();
        for (let i = 0; i < k; i++) {
          let x = mu[i];
          const row = L[i];
          for (let m = 0; m <= i; m++) x += row[m] * draw[m];
          growth[i] *= 1 + x;
        }
      } else {
        const t = rng.nextInt(n);
        for (let i = 0; i < k; i++) growth[i] *= 1 + R[i][t];
      }
    }
    for (let i = 0; i < k; i++) scen[i][s] = growth[i] - 1;
  }
  const simP = portfolioReturns(w, scen);
  const dec = historicalComponents(w, scen, simP, alpha);
  const { standardError } = summariseScenarios(simP.slice(), N, alpha);
  return { ...dec, monteCarlo: { simulations: N, seed, distribution, standardError } };
}

function sum(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s;
}
