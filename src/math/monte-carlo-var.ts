import { InvalidInputError } from './errors';
import { tailMeanBelow } from './historical-var';
import { moments } from './moments';
import { normalPdf } from './normal';
import { randomSeed, Xoshiro128 } from './prng';
import { quantileInPlace } from './quantile';
import { assertConfidence, assertHorizon, assertMinCount, assertReturns, minObservationsHistorical, tailProbability } from './validation';

export const MC_DEFAULT_SIMULATIONS = 10_000;
export const MC_MAX_SIMULATIONS = 1_000_000;
export type McDistribution = 'normal' | 'bootstrap';

export interface MonteCarloOptions {
  returns: ArrayLike<number>;
  confidence: number;
  simulations?: number;
  /** Integer 0..2^32−1; drawn at random (and returned) when absent. */
  seed?: number;
  distribution?: McDistribution;
  horizonDays?: number;
}

export interface MonteCarloResult {
  varReturn: number;
  cvarReturn: number;
  /** √(α(1−α)/N) / f(Q), f the normal density with the simulated sample's mean and σ, at Q. */
  standardError: number;
  seed: number;
  simulations: number;
  distribution: McDistribution;
}

let scenarios = new Float64Array(MC_DEFAULT_SIMULATIONS);

/**
 * Monte Carlo VaR and CVaR over `horizonDays` h, in return terms (a loss is negative):
 * N scenarios of the h-period compounded return Π(1 + r_i) − 1, with r_i drawn from
 * N(μ, σ²) fitted to the history (`normal`, sample σ) or resampled from it with replacement
 * (`bootstrap`); VaR is their type-7 quantile at α, CVaR the mean of those strictly below it.
 * xoshiro128** + Marsaglia polar: the same seed and input give the same figure bit for bit.
 * Needs 2 returns (normal) or as many as a historical VaR at that confidence (bootstrap).
 */
export function monteCarloVar(opts: MonteCarloOptions): MonteCarloResult {
  const { returns, confidence } = opts;
  const simulations = opts.simulations ?? MC_DEFAULT_SIMULATIONS;
  const distribution = opts.distribution ?? 'normal';
  const horizon = opts.horizonDays ?? 1;
  assertConfidence(confidence);
  assertHorizon(horizon);
  if (!Number.isInteger(simulations) || simulations < 1 || simulations > MC_MAX_SIMULATIONS) {
    throw new InvalidInputError(`simulations must be an integer from 1 to ${MC_MAX_SIMULATIONS}, got ${simulations}`, 'simulations');
  }
  if (distribution !== 'normal' && distribution !== 'bootstrap') {
    throw new InvalidInputError(`distribution must be one of normal, bootstrap, got ${String(distribution)}`, 'distribution');
  }
  if (opts.seed !== undefined && !(Number.isInteger(opts.seed) && opts.seed >= 0 && opts.seed <= 0xffffffff)) {
    throw new InvalidInputError(`seed must be an integer from 0 to 4294967295, got ${opts.seed}`, 'seed');
  }
  assertReturns(returns);
  if (distribution === 'normal') assertMinCount(returns.length, 2, 'a normal Monte Carlo VaR');
  else assertMinCount(returns.length, minObservationsHistorical(confidence), 'a bootstrap Monte Carlo VaR', confidence);

  const seed = opts.seed ?? randomSeed();
  const rng = new Xoshiro128(seed);
  if (scenarios.length < simulations) scenarios = new Float64Array(simulations);
  const out = scenarios;
  if (distribution === 'normal') {
    const m = moments(returns);
    const mu = m.mean;
    const sigma = m.stdDev;
    if (horizon === 1) {
      for (let i = 0; i < simulations; i++) out[i] = mu + sigma * rng.nextNormal();
    } else {
      for (let i = 0; i < simulations; i++) {
        let growth = 1;
        for (let d = 0; d < horizon; d++) growth *= 1 + mu + sigma * rng.nextNormal();
        out[i] = growth - 1;
      }
    }
  } else {
    const n = returns.length;
    if (horizon === 1) {
      for (let i = 0; i < simulations; i++) out[i] = returns[rng.nextInt(n)];
    } else {
      for (let i = 0; i < simulations; i++) {
        let growth = 1;
        for (let d = 0; d < horizon; d++) growth *= 1 + returns[rng.nextInt(n)];
        out[i] = growth - 1;
      }
    }
  }
  return summarise(out, simulations, tailProbability(confidence), seed, distribution);
}

/** VaR, CVaR and the standard error of simulated scenarios (first `n` values of `sims`, which it reorders). */
export function summariseScenarios(sims: Float64Array, n: number, alpha: number): { varReturn: number; cvarReturn: number; standardError: number } {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sims[i];
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = sims[i] - mean;
    ss += d * d;
  }
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const q = quantileInPlace(sims, n, alpha);
  const cvar = tailMeanBelow(sims, q, n);
  const density = sd > 0 ? normalPdf((q - mean) / sd) / sd : Infinity;
  const standardError = Math.sqrt((alpha * (1 - alpha)) / n) / density;
  return { varReturn: q, cvarReturn: cvar, standardError };
}

function summarise(sims: Float64Array, n: number, alpha: number, seed: number, distribution: McDistribution): MonteCarloResult {
  return { ...summariseScenarios(sims, n, alpha), seed, simulations: n, distribution };
}
