import { cornishFisherZ } from './cornish-fisher-var';
import { normalQuantile } from './normal';
import { InvalidInputError } from './errors';
import { gaussianCvar, modifiedEs } from './expected-shortfall';
import { tailMeanBelow } from './historical-var';
import { Moments, moments } from './moments';
import { McDistribution, monteCarloVar } from './monte-carlo-var';
import { gaussianVar } from './parametric-var';
import { quantileType7 } from './quantile';
import { assertConfidence, assertHorizon, assertMinCount, assertReturns, minObservationsHistorical, tailProbability } from './validation';

export const RISK_METHODS = ['historical', 'parametric', 'cornish_fisher', 'monte_carlo'] as const;
export type RiskMethod = (typeof RISK_METHODS)[number];
export type Scaling = 'none' | 'sqrt_time' | 'mean_variance' | 'simulated';

export interface RiskInput {
  returns: ArrayLike<number>;
  /** Percent, 50 < c < 100. */
  confidence: number;
  method: RiskMethod;
  horizonDays?: number;
  simulations?: number;
  seed?: number;
  distribution?: McDistribution;
  /** Also compute the expected shortfall. */
  wantCvar?: boolean;
}

export interface RiskResult {
  method: RiskMethod;
  confidenceLevel: number;
  horizonDays: number;
  scaling: Scaling;
  varReturn: number;
  cvarReturn?: number;
  statistics: Moments;
  monteCarlo?: { simulations: number; seed: number; distribution: McDistribution; standardError: number };
}

/** How a one-period figure is taken to h periods (math.md "Horizon"). */
export function scalingFor(method: RiskMethod, horizonDays: number): Scaling {
  if (horizonDays === 1) return 'none';
  if (method === 'parametric') return 'mean_variance';
  if (method === 'monte_carlo') return 'simulated';
  return 'sqrt_time';
}

/**
 * VaR (and optionally CVaR) of a return series by any method, with horizon scaling and the
 * series' statistics: the single entry point of the calculation endpoints. Validates every
 * input and throws InvalidInputError / InsufficientDataError naming the problem.
 */
export function computeRisk(input: RiskInput): RiskResult {
  const { returns, confidence, method } = input;
  const h = input.horizonDays ?? 1;
  if (!(RISK_METHODS as readonly string[]).includes(method)) {
    throw new InvalidInputError(`method must be one of ${RISK_METHODS.join(', ')}, got ${String(method)}`, 'method');
  }
  assertConfidence(confidence);
  assertHorizon(h);
  assertReturns(returns);
  const stats = moments(returns);
  const scaling = scalingFor(method, h);
  const root = Math.sqrt(h);
  const base = { method, confidenceLevel: confidence, horizonDays: h, scaling, statistics: stats };

  switch (method) {
    case 'historical': {
      assertMinCount(returns.length, minObservationsHistorical(confidence), 'historical VaR', confidence);
      const q = quantileType7(returns, tailProbability(confidence));
      const cvar = input.wantCvar ? tailMeanBelow(returns, q) * root : undefined;
      return { ...base, varReturn: q * root, cvarReturn: cvar };
    }
    case 'parametric': {
      assertMinCount(returns.length, 2, 'parametric VaR');
      return {
        ...base,
        varReturn: gaussianVar(stats.mean, stats.stdDev, confidence, h),
        cvarReturn: input.wantCvar ? gaussianCvar(stats.mean, stats.stdDev, confidence, h) : undefined,
      };
    }
    case 'cornish_fisher': {
      assertMinCount(returns.length, 2, 'Cornish-Fisher VaR');
      const z = cornishFisherZ(normalQuantile(tailProbability(confidence)), stats.skewness, stats.excessKurtosis);
      const cvar = input.wantCvar ? modifiedEs(stats.mean, stats.stdDev, stats.skewness, stats.excessKurtosis, confidence) * root : undefined;
      return { ...base, varReturn: (stats.mean + z * stats.stdDev) * root, cvarReturn: cvar };
    }
    case 'monte_carlo': {
      const mc = monteCarloVar({
        returns,
        confidence,
        simulations: input.simulations,
        seed: input.seed,
        distribution: input.distribution,
        horizonDays: h,
      });
      return {
        ...base,
        varReturn: mc.varReturn,
        cvarReturn: input.wantCvar ? mc.cvarReturn : undefined,
        monteCarlo: { simulations: mc.simulations, seed: mc.seed, distribution: mc.distribution, standardError: mc.standardError },
      };
    }
  }
}
