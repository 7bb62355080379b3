import { cornishFisherVarFromMoments } from './cornish-fisher-var';
import { ewmaRecursion } from './ewma-var';
import { cornishFisherCvarFromMoments, gaussianCvar, meanBelow } from './expected-shortfall';
import { filteredHistoricalFigures } from './filtered-historical-var';
import { horizonScaling, sqrtTimeScale } from './horizon';
import { drawSeed, minObservationsMonteCarlo, monteCarloKernel, MonteCarloRun } from './monte-carlo-var';
import { centralMoments, Moments, momentsFromCentral } from './moments';
import { gaussianVar } from './parametric-var';
import { quantileType7 } from './quantile';
import { McDistribution, Scaling, Series, VarMethod } from './types';
import { assertReturns, minObservationsHistorical, requireObservations, RiskOptions, riskOptions, tailProbability } from './validation';
import { InvalidInputError } from './errors';

export interface RiskInput extends RiskOptions {
  /** Simple returns as fractions, oldest first; each finite and > −1 (not mutated). */
  returns: Series;
  /** Also compute the CVaR (expected shortfall); default false. */
  wantCvar?: boolean;
}

export interface RiskResult {
  method: VarMethod;
  confidenceLevel: number;
  horizonDays: number;
  scaling: Scaling;
  /** VaR in return terms over the horizon (a loss is negative). */
  varReturn: number;
  /** CVaR in return terms over the horizon, when asked for (≤ varReturn). */
  cvarReturn?: number;
  /** Moments of the input returns (one period). */
  statistics: Moments;
  monteCarlo?: MonteCarloRun;
  /** ewma and filtered_historical: the decay used and the one-period volatility forecast σ_{n+1}. */
  volatility?: VolatilityModel;
}

/** The EWMA volatility behind an `ewma` or `filtered_historical` figure (docs/math.md "Volatility-model VaR"). */
export interface VolatilityModel {
  lambda: number;
  /** σ_{n+1}, one period (not scaled to the horizon). */
  sigmaForecast: number;
}

/** The figure each method computes, as named in an InsufficientDataError. */
export const VAR_LABEL: Record<VarMethod, string> = {
  historical: 'historical VaR',
  parametric: 'parametric VaR',
  cornish_fisher: 'Cornish-Fisher VaR',
  monte_carlo: 'Monte Carlo VaR',
  ewma: 'EWMA VaR',
  filtered_historical: 'filtered historical VaR',
};

/**
 * Fewest returns a method needs at confidence c (docs/api.md, docs/math.md): 2, or ⌈1/α⌉ for
 * historical, filtered historical and Monte Carlo bootstrap.
 */
export function minObservations(method: VarMethod, confidence: number, distribution: McDistribution = 'normal'): number {
  switch (method) {
    case 'historical':
    case 'filtered_historical':
      return minObservationsHistorical(confidence);
    case 'parametric':
    case 'cornish_fisher':
    case 'ewma':
      return 2;
    case 'monte_carlo':
      return minObservationsMonteCarlo(distribution, confidence);
  }
}

/**
 * The one entry point of the stateless /v1/var and /v1/cvar: validates everything (each error
 * names its field), then computes VaR (and CVaR when `wantCvar`) in return terms under docs/math.md:
 * - historical: type-7 quantile / mean strictly below it, × √h (`sqrt_time`);
 * - parametric: μh + zσ√h / μh − σ√h φ(z)/α (`mean_variance`), σ over n − 1;
 * - cornish_fisher: μ + z_cf σ / μ + σ min(E_G, z_cf) (Boudt–Peterson–Croux), × √h (`sqrt_time`);
 * - monte_carlo: simulated h-period compounded returns (`simulated`), see monteCarloVar;
 * - ewma: z σ_{n+1} / −σ_{n+1} φ(z)/α with the zero-mean RiskMetrics volatility, × √h (`sqrt_time`);
 * - filtered_historical: σ_{n+1} × the type-7 quantile / tail mean of the EWMA-standardised
 *   residuals, × √h (`sqrt_time`); both answer `volatility` { lambda, sigmaForecast }.
 * Scaling is `none` when h = 1. Data needed: 2 returns (parametric, cornish_fisher, monte_carlo
 * normal, ewma), ⌈1/α⌉ (historical, monte_carlo bootstrap, filtered_historical); fewer is
 * InsufficientDataError (422). The Monte Carlo options (simulations, seed, distribution) are
 * validated and used by monte_carlo only, `lambda` by ewma and filtered_historical only; other
 * methods ignore them (the HTTP layer rejects them there).
 */
export function computeRisk(input: RiskInput): RiskResult {
  const result = riskOf(input);
  // Finite returns can still overflow float64 on the way (σ² of returns near 1e154): a VaR that
  // is not a number is refused as the input's fault, for every method, never answered as NaN.
  if (!Number.isFinite(result.varReturn) || (result.cvarReturn !== undefined && !Number.isFinite(result.cvarReturn))) {
    throw new InvalidInputError(`returns are too large for ${VAR_LABEL[input.method]} in float64 (the VaR overflows): send returns as fractions, 0.012 for 1.2 %`, 'returns');
  }
  return result;
}

function riskOf(input: RiskInput): RiskResult {
  const { returns, confidence, method } = input;
  const { horizonDays, simulations, distribution, lambda } = riskOptions(input);
  assertReturns(returns);
  requireObservations(returns.length, minObservations(method, confidence, distribution), VAR_LABEL[method], confidence);

  const statistics = momentsFromCentral(centralMoments(returns));
  const alpha = tailProbability(confidence);
  const scaling = horizonScaling(method, horizonDays);
  const base = { method, confidenceLevel: confidence, horizonDays, scaling, statistics };
  const { mean, stdDev, skewness, excessKurtosis } = statistics;

  switch (method) {
    case 'historical': {
      const q = quantileType7(returns, alpha);
      const result: RiskResult = { ...base, varReturn: sqrtTimeScale(q, horizonDays) };
      if (input.wantCvar) result.cvarReturn = sqrtTimeScale(meanBelow(returns, q), horizonDays);
      return result;
    }
    case 'parametric': {
      const result: RiskResult = { ...base, varReturn: gaussianVar(mean, stdDev, alpha, horizonDays) };
      if (input.wantCvar) result.cvarReturn = gaussianCvar(mean, stdDev, alpha, horizonDays);
      return result;
    }
    case 'cornish_fisher': {
      const v = cornishFisherVarFromMoments(mean, stdDev, skewness, excessKurtosis, alpha);
      const result: RiskResult = { ...base, varReturn: sqrtTimeScale(v, horizonDays) };
      if (input.wantCvar) {
        result.cvarReturn = sqrtTimeScale(cornishFisherCvarFromMoments(mean, stdDev, skewness, excessKurtosis, alpha), horizonDays);
      }
      return result;
    }
    case 'monte_carlo': {
      const seed = input.seed ?? drawSeed();
      const mc = monteCarloKernel(returns, mean, stdDev, alpha, simulations, distribution, horizonDays, seed);
      const result: RiskResult = {
        ...base,
        varReturn: mc.varReturn,
        monteCarlo: { simulations, seed, distribution, standardError: mc.standardError },
      };
      if (input.wantCvar) result.cvarReturn = mc.cvarReturn;
      return result;
    }
    case 'ewma': {
      const sigmaForecast = Math.sqrt(ewmaRecursion(returns, returns, lambda));
      const result: RiskResult = { ...base, varReturn: gaussianVar(0, sigmaForecast, alpha, horizonDays), volatility: { lambda, sigmaForecast } };
      if (input.wantCvar) result.cvarReturn = gaussianCvar(0, sigmaForecast, alpha, horizonDays);
      return result;
    }
    case 'filtered_historical': {
      const f = filteredHistoricalFigures(returns, alpha, lambda, horizonDays);
      const result: RiskResult = { ...base, varReturn: f.varReturn, volatility: { lambda, sigmaForecast: f.sigmaForecast } };
      if (input.wantCvar) result.cvarReturn = f.cvarReturn;
      return result;
    }
  }
}
