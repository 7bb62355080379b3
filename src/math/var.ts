import { cornishFisherVarFromMoments } from './cornish-fisher-var';
import { cornishFisherCvarFromMoments, gaussianCvar, meanBelow } from './expected-shortfall';
import { horizonScaling, sqrtTimeScale } from './horizon';
import { drawSeed, minObservationsMonteCarlo, monteCarloKernel, MonteCarloRun } from './monte-carlo-var';
import { centralMoments, Moments, momentsFromCentral } from './moments';
import { gaussianVar } from './parametric-var';
import { quantileType7 } from './quantile';
import { McDistribution, Scaling, Series, VarMethod } from './types';
import { assertReturns, minObservationsHistorical, requireObservations, RiskOptions, riskOptions, tailProbability } from './validation';

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
}

/** The figure each method computes, as named in an InsufficientDataError. */
export const VAR_LABEL: Record<VarMethod, string> = {
  historical: 'historical VaR',
  parametric: 'parametric VaR',
  cornish_fisher: 'Cornish-Fisher VaR',
  monte_carlo: 'Monte Carlo VaR',
};

/** Fewest returns a method needs at confidence c (docs/api.md): 2, or ⌈1/α⌉ for historical and bootstrap. */
export function minObservations(method: VarMethod, confidence: number, distribution: McDistribution = 'normal'): number {
  switch (method) {
    case 'historical':
      return minObservationsHistorical(confidence);
    case 'parametric':
    case 'cornish_fisher':
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
 * - monte_carlo: simulated h-period compounded returns (`simulated`), see monteCarloVar.
 * Scaling is `none` when h = 1. Data needed: 2 returns (parametric, cornish_fisher, monte_carlo
 * normal), ⌈1/α⌉ (historical, monte_carlo bootstrap); fewer is InsufficientDataError (422).
 * The Monte Carlo options (simulations, seed, distribution) are validated and used by monte_carlo
 * only; other methods ignore them (the HTTP layer rejects them there).
 */
export function computeRisk(input: RiskInput): RiskResult {
  const { returns, confidence, method } = input;
  const { horizonDays, simulations, distribution } = riskOptions(input);
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
  }
}
