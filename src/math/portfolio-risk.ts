import { cornishFisherContributions, EulerFigures, ewmaContributions, historicalContributions, parametricContributions } from './euler-contributions';
import { InvalidInputError } from './errors';
import { filteredHistoricalFigures } from './filtered-historical-var';
import { cornishFisherVarFromMoments } from './cornish-fisher-var';
import { ewmaRecursion } from './ewma-var';
import { horizonScaling, sqrtTimeScale } from './horizon';
import { drawSeed, MonteCarloRun } from './monte-carlo-var';
import { centralMoments, Moments, momentsFromCentral } from './moments';
import { gaussianVar } from './parametric-var';
import { portfolioMonteCarlo } from './portfolio-monte-carlo';
import { quantileType7 } from './quantile';
import { EulerVarMethod, Scaling, Series, VarMethod } from './types';
import { assertReturns, requireObservations, RiskOptions, riskOptions, tailProbability } from './validation';
import { minObservations, VAR_LABEL, VolatilityModel } from './var';

export interface PortfolioRiskInput extends RiskOptions {
  /** wᵢ = market valueᵢ / Σ market value, one per asset (short positions negative); finite. */
  weights: Series;
  /**
   * One return series per asset, in the order of `weights`, all of the same length n and aligned
   * on the same dates (oldest first): assetReturns[i][t] = rᵢ,t. Each value finite and > −1.
   */
  assetReturns: readonly Series[];
}

export interface PortfolioRiskResult {
  /** The portfolio's VaR in return terms over the horizon (a loss is negative). */
  varReturn: number;
  /** Its CVaR (≤ varReturn). */
  cvarReturn: number;
  /** Euler components wᵢ ∂VaR/∂wᵢ, summing to varReturn; null for filtered_historical (not homogeneous in w). */
  varComponents: Float64Array | null;
  /** Euler components of the CVaR; null for filtered_historical. */
  cvarComponents: Float64Array | null;
  method: VarMethod;
  confidenceLevel: number;
  horizonDays: number;
  scaling: Scaling;
  /** n, the aligned dates used. */
  observations: number;
  /** r_p,t = Σ wᵢ rᵢ,t (a new array). */
  portfolioReturns: Float64Array;
  /** Moments of r_p (one period). */
  statistics: Moments;
  monteCarlo?: MonteCarloRun;
  /** ewma and filtered_historical: the decay and σ_{n+1} of r_p (one period). */
  volatility?: VolatilityModel;
}

/**
 * VaR and CVaR of a weighted portfolio of assets with their Euler contributions
 * (docs/math.md "Stored portfolios"): componentᵢ = wᵢ ∂VaR/∂wᵢ, which sum to the VaR because every
 * method is homogeneous of degree 1 in w. In return terms; the horizon rule applies to each term
 * as to the VaR (× √h for historical and Cornish–Fisher; μᵢh and √h for parametric; Monte Carlo
 * simulates h-period returns).
 *
 * The allocation of each method: parametricContributions, historicalContributions,
 * cornishFisherContributions and ewmaContributions (euler-contributions.ts), portfolioMonteCarlo
 * (portfolio-monte-carlo.ts). filtered_historical is the figure of r_p without contributions: its
 * VaR is not homogeneous in w through σ_t (docs/math.md "Volatility-model VaR").
 *
 * Data needed: 2 aligned dates (parametric, cornish_fisher, monte_carlo normal, ewma), ⌈1/α⌉
 * (historical, monte_carlo bootstrap, filtered_historical). Monte Carlo options and `lambda` are
 * ignored by the methods they do not apply to. Inputs are not mutated.
 */
export function portfolioRisk(input: PortfolioRiskInput & { method: EulerVarMethod }): PortfolioRiskResult & EulerFigures;
export function portfolioRisk(input: PortfolioRiskInput): PortfolioRiskResult;
export function portfolioRisk(input: PortfolioRiskInput): PortfolioRiskResult {
  const { weights, assetReturns, confidence, method } = input;
  const { horizonDays, simulations, distribution, lambda } = checkedPortfolio(input);
  const rp = portfolioReturns(weights, assetReturns);
  const central = centralMoments(rp);
  const statistics = momentsFromCentral(central);
  const alpha = tailProbability(confidence);
  const base = {
    method,
    confidenceLevel: confidence,
    horizonDays,
    scaling: horizonScaling(method, horizonDays),
    observations: rp.length,
    portfolioReturns: rp,
    statistics,
  };
  switch (method) {
    case 'parametric':
      return { ...base, ...parametricContributions(weights, assetReturns, rp, statistics, alpha, horizonDays) };
    case 'historical':
      return { ...base, ...historicalContributions(weights, assetReturns, rp, alpha, horizonDays) };
    case 'cornish_fisher':
      return { ...base, ...cornishFisherContributions(weights, assetReturns, rp, statistics, central, alpha, horizonDays) };
    case 'monte_carlo': {
      const seed = input.seed ?? drawSeed();
      return { ...base, ...portfolioMonteCarlo(weights, assetReturns, alpha, simulations, distribution, horizonDays, seed) };
    }
    case 'ewma': {
      const { sigmaForecast, ...figures } = ewmaContributions(weights, assetReturns, rp, alpha, horizonDays, lambda);
      return { ...base, ...figures, volatility: { lambda, sigmaForecast } };
    }
    case 'filtered_historical': {
      const f = filteredHistoricalFigures(rp, alpha, lambda, horizonDays);
      return {
        ...base,
        varReturn: f.varReturn,
        cvarReturn: f.cvarReturn,
        varComponents: null,
        cvarComponents: null,
        volatility: { lambda, sigmaForecast: f.sigmaForecast },
      };
    }
  }
}

/**
 * The VaR of portfolioRisk alone, the same figure bit for bit (each method's VaR of r_p, computed
 * by the same calls), without the contributions, the CVaR and the moments it does not need: a
 * what-if's new book, whose answer is its VaR only (for a 10-asset book over 1,000 dates, 51 µs
 * against 91–102 µs in a loop, of which 33 µs validate the series, which the book cache's series
 * skip). Same input, validation and errors as portfolioRisk; Monte Carlo is portfolioRisk's.
 */
export function portfolioVarReturn(input: PortfolioRiskInput): number {
  const { weights, assetReturns, confidence, method } = input;
  if (method === 'monte_carlo') return portfolioRisk(input).varReturn;
  const { horizonDays, lambda } = checkedPortfolio(input);
  const rp = portfolioReturns(weights, assetReturns, rpScratch(assetReturns[0].length));
  const alpha = tailProbability(confidence);
  switch (method) {
    case 'historical':
      // The value of quantileWithIndices (historicalContributions): the same two order statistics, the
      // same interpolation. The two could differ only between −0 and +0 (quantileWithIndices breaks ties
      // by index, selection does not), and r_p never holds −0 (portfolioReturns).
      return sqrtTimeScale(quantileType7(rp, alpha), horizonDays);
    case 'parametric': {
      const m = momentsFromCentral(centralMoments(rp));
      return gaussianVar(m.mean, m.stdDev, alpha, horizonDays);
    }
    case 'cornish_fisher': {
      const m = momentsFromCentral(centralMoments(rp));
      return sqrtTimeScale(cornishFisherVarFromMoments(m.mean, m.stdDev, m.skewness, m.excessKurtosis, alpha), horizonDays);
    }
    case 'ewma':
      return gaussianVar(0, Math.sqrt(ewmaRecursion(rp, rp, lambda)), alpha, horizonDays);
    case 'filtered_historical':
      return filteredHistoricalFigures(rp, alpha, lambda, horizonDays).varReturn;
  }
}

/**
 * portfolioVarReturn's r_p, reused from call to call (one per thread: each worker has its own
 * module): no new 8 KB buffer per pre-trade check for the young generation's collector to sweep.
 * Read before the function returns, never handed out.
 */
let scratch = new Float64Array(0);
function rpScratch(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(n);
  return scratch.length === n ? scratch : scratch.subarray(0, n);
}

/** portfolioRisk's checks of its input (weights, aligned finite returns, enough dates); answers the options with their defaults. */
function checkedPortfolio(input: PortfolioRiskInput): ReturnType<typeof riskOptions> {
  const { weights, assetReturns, confidence, method } = input;
  const options = riskOptions(input);
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
  requireObservations(n, minObservations(method, confidence, options.distribution), VAR_LABEL[method], confidence, 'aligned dates', 'asset_returns');
  return options;
}

/**
 * r_p,t = Σ wᵢ rᵢ,t over the n aligned dates (a new array, or `into` when it has n elements, which
 * must not be one of the series; inputs as for portfolioRisk, not validated). Summed in asset
 * order from +0, ((0 + w₀r₀) + w₁r₁) + …, four assets per pass over the dates (a quarter of the
 * loads and stores of r_p; the same additions in the same order, so the same bits as one asset per
 * pass). Starting from +0 keeps −0 out of r_p (+0 + −0 = +0), which the historical figures rely on
 * (portfolioVarReturn).
 */
export function portfolioReturns(weights: Series, assetReturns: readonly Series[], into?: Float64Array): Float64Array {
  const k = assetReturns.length;
  const n = k ? assetReturns[0].length : 0;
  const rp = into?.length === n ? into.fill(0) : new Float64Array(n);
  let i = 0;
  for (; i + 4 <= k; i += 4) {
    const w0 = weights[i];
    const w1 = weights[i + 1];
    const w2 = weights[i + 2];
    const w3 = weights[i + 3];
    const r0 = assetReturns[i];
    const r1 = assetReturns[i + 1];
    const r2 = assetReturns[i + 2];
    const r3 = assetReturns[i + 3];
    for (let t = 0; t < n; t++) rp[t] = rp[t] + w0 * r0[t] + w1 * r1[t] + w2 * r2[t] + w3 * r3[t];
  }
  for (; i < k; i++) {
    const w = weights[i];
    const r = assetReturns[i];
    for (let t = 0; t < n; t++) rp[t] += w * r[t];
  }
  return rp;
}
