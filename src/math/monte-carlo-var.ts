import { randomInt } from 'node:crypto';
import { meanBelow } from './expected-shortfall';
import { centralMoments, momentsFromCentral } from './moments';
import { normalPdf } from './normal';
import { Xoshiro128 } from './prng';
import { quantileInPlace } from './quantile';
import { McDistribution, Series } from './types';
import {
  assertConfidence,
  assertDistribution,
  assertHorizon,
  assertReturns,
  assertSeed,
  assertSimulations,
  DEFAULT_SIMULATIONS,
  MAX_SEED,
  MAX_SIMULATIONS,
  minObservationsHistorical,
  requireObservations,
  tailProbability,
} from './validation';

export interface MonteCarloOptions {
  /** Simple returns, oldest first (not mutated). */
  returns: Series;
  /** A percentage, 50 < c < 100. */
  confidence: number;
  /** Number of simulated paths, integer 1..1,000,000 (default 10,000). */
  simulations?: number;
  /** Unsigned 32-bit integer; when absent one is drawn (crypto) and returned. */
  seed?: number;
  /** `normal` (μ, σ fitted; default) or `bootstrap` (history resampled with replacement). */
  distribution?: McDistribution;
  /** Horizon in periods, integer 1..250 (default 1): h-period compounded returns are simulated. */
  horizonDays?: number;
}

/** How a Monte Carlo figure was simulated, as answered with it. */
export interface MonteCarloRun {
  simulations: number;
  /** The seed used (drawn when none was given): the same seed and input give the same figure. */
  seed: number;
  distribution: McDistribution;
  /** √(α(1−α)/N) / f(Q), f the normal density with the simulated sample's mean and σ (0 when σ = 0). */
  standardError: number;
}

export interface MonteCarloResult extends MonteCarloRun {
  /** Type-7 α-quantile of the simulated horizon returns (a loss is negative). */
  varReturn: number;
  /** Mean of the simulated returns strictly below varReturn (varReturn when none). */
  cvarReturn: number;
  horizonDays: number;
}

/** A fresh seed for callers that gave none (returned to them so the figure can be reproduced). */
export function drawSeed(): number {
  return randomInt(0, MAX_SEED + 1);
}

/** Fewest returns for a Monte Carlo figure: 2 for `normal` (μ and σ), ⌈1/α⌉ for `bootstrap` (as historical). */
export function minObservationsMonteCarlo(distribution: McDistribution, confidence: number): number {
  return distribution === 'normal' ? 2 : minObservationsHistorical(confidence);
}

let simScratch = new Float64Array(16_384);

/** The reused buffer of simulated returns (at least n long; contents are garbage between calls). */
export function simulationBuffer(n: number): Float64Array {
  if (simScratch.length < n) simScratch = new Float64Array(Math.max(n, Math.min(simScratch.length * 2, MAX_SIMULATIONS)));
  return simScratch;
}

/**
 * Monte Carlo standard error of a quantile estimate: √(α(1−α)/N)/f(Q) with f the normal density
 * of mean m and standard deviation s (docs/math.md "Monte Carlo"); 0 when s = 0 (no dispersion).
 */
export function quantileStandardError(alpha: number, simulations: number, q: number, mean: number, stdDev: number): number {
  if (!(stdDev > 0)) return 0;
  const density = normalPdf((q - mean) / stdDev) / stdDev;
  return Math.sqrt((alpha * (1 - alpha)) / simulations) / density;
}

/**
 * Simulation kernel (inputs already validated). Fills the reused scratch buffer with N horizon
 * returns and returns it (only the first N entries are meaningful; the next call overwrites it).
 * Normal: each period r = μ + σZ; bootstrap: r = a uniformly drawn historical return; an
 * h-period path is Π(1 + r_j) − 1. A simulated one-period return below −1 is floored at −1
 * (a position cannot lose more than all of it; with daily σ this needs a 50σ+ draw).
 */
export function simulateReturns(
  returns: Series,
  mean: number,
  stdDev: number,
  distribution: McDistribution,
  simulations: number,
  horizonDays: number,
  seed: number,
): Float64Array {
  const buf = simulationBuffer(simulations);
  const rng = new Xoshiro128(seed);
  const n = returns.length;
  if (distribution === 'normal') {
    if (horizonDays === 1) {
      for (let i = 0; i < simulations; i++) {
        const r = mean + stdDev * rng.nextNormal();
        buf[i] = r < -1 ? -1 : r;
      }
    } else {
      for (let i = 0; i < simulations; i++) {
        let growth = 1;
        for (let j = 0; j < horizonDays; j++) {
          const r = mean + stdDev * rng.nextNormal();
          growth *= r < -1 ? 0 : 1 + r;
        }
        buf[i] = growth - 1;
      }
    }
  } else if (horizonDays === 1) {
    for (let i = 0; i < simulations; i++) buf[i] = returns[rng.nextIndex(n)];
  } else {
    for (let i = 0; i < simulations; i++) {
      let growth = 1;
      for (let j = 0; j < horizonDays; j++) growth *= 1 + returns[rng.nextIndex(n)];
      buf[i] = growth - 1;
    }
  }
  return buf;
}

/**
 * Monte Carlo VaR and CVaR in return terms (docs/math.md "Monte Carlo"): N seeded paths
 * (xoshiro128**, Marsaglia polar normals) of h-period compounded returns, `normal` with μ and
 * the sample σ (n − 1) fitted to the returns, or `bootstrap` resampling the returns with
 * replacement; VaR = type-7 α-quantile of the N simulated returns (selection), CVaR = mean of
 * those strictly below it (VaR when none). The same seed and input give the same figures bit for
 * bit; the seed used is returned. A loss is negative.
 *
 * Data needed: 2 returns for `normal`; for `bootstrap` ⌈1/α⌉ as for historical VaR, since a
 * resample cannot reach further into the tail than the history it draws from.
 */
export function monteCarloVar(options: MonteCarloOptions): MonteCarloResult {
  const { returns, confidence } = options;
  const simulations = options.simulations ?? DEFAULT_SIMULATIONS;
  const distribution = options.distribution ?? 'normal';
  const horizonDays = options.horizonDays ?? 1;
  assertConfidence(confidence);
  assertHorizon(horizonDays);
  assertSimulations(simulations);
  assertDistribution(distribution);
  if (options.seed !== undefined) assertSeed(options.seed);
  assertReturns(returns);
  requireObservations(returns.length, minObservationsMonteCarlo(distribution, confidence), 'Monte Carlo VaR', confidence);
  const seed = options.seed ?? drawSeed();
  const m = momentsFromCentral(centralMoments(returns));
  return monteCarloKernel(returns, m.mean, m.stdDev, tailProbability(confidence), simulations, distribution, horizonDays, seed);
}

/** Monte Carlo VaR / CVaR from validated inputs (used by the facade, which has the moments already). */
export function monteCarloKernel(
  returns: Series,
  mean: number,
  stdDev: number,
  alpha: number,
  simulations: number,
  distribution: McDistribution,
  horizonDays: number,
  seed: number,
): MonteCarloResult {
  const buf = simulateReturns(returns, mean, stdDev, distribution, simulations, horizonDays, seed);
  const sim = momentsFromCentral(centralMoments(buf, simulations)); // before the selection reorders buf
  const varReturn = quantileInPlace(buf, simulations, alpha);
  const cvarReturn = meanBelow(buf, varReturn, simulations);
  return {
    varReturn,
    cvarReturn,
    standardError: quantileStandardError(alpha, simulations, varReturn, sim.mean, sim.stdDev),
    seed,
    simulations,
    distribution,
    horizonDays,
  };
}
