import { InsufficientDataError, InvalidInputError } from './errors';
import { MC_DISTRIBUTIONS, McDistribution, Series, VAR_METHODS, VarMethod, VOLATILITY_METHODS } from './types';

/**
 * Input guards of the risk maths. Each throws InvalidInputError (400) naming the wire field
 * (`returns[3]`, `confidence`, `horizon_days` …). One pass, no allocation: they sit in the hot path.
 */

/** Default and largest accepted number of Monte Carlo paths (docs/math.md "Monte Carlo"). */
export const DEFAULT_SIMULATIONS = 10_000;
export const MAX_SIMULATIONS = 1_000_000;
/** Largest accepted horizon in periods (docs/api.md). */
const MAX_HORIZON_DAYS = 250;
/** Largest accepted seed: seeds are unsigned 32-bit integers. */
export const MAX_SEED = 4_294_967_295;
/** RiskMetrics' decay for daily returns, the default `lambda` (docs/math.md "Volatility-model VaR"). */
export const DEFAULT_EWMA_LAMBDA = 0.94;

/** Series that passed assertReturns and are never written again (see markCheckedReturns). */
const checkedReturns = new WeakSet<Float64Array>();

/**
 * Checks `x` once and remembers it, so that assertReturns does not scan it again: for a series
 * its owner never writes after this call (the aligned matrices PortfolioBookCache keeps and every
 * stored-portfolio calculation and pre-trade check reads: 10 × 1,000 values were ≈ 15 µs of each
 * check). A series that fails is not remembered (the calculation reports it as before).
 */
export function markCheckedReturns(x: Float64Array): void {
  try {
    assertReturns(x);
    checkedReturns.add(x);
  } catch {
    // left to the calculation's own check, which names the field
  }
}

/**
 * Every value finite and > −1 (a simple return of −100 % or worse is not a return).
 * Names the first bad element: "returns[3] must be a finite number".
 */
export function assertReturns(x: Series, field = 'returns'): void {
  if (x instanceof Float64Array && checkedReturns.has(x)) return;
  const n = x.length;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    // One comparison pair for the common case; NaN, ±Infinity and v ≤ −1 all fail it.
    if (!(v > -1 && v < Infinity)) {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidInputError(`${field}[${i}] must be a finite number`, `${field}[${i}]`);
      throw new InvalidInputError(`${field}[${i}] must be greater than -1 (a simple return of -100 % or worse)`, `${field}[${i}]`);
    }
  }
  if (!(x instanceof Float64Array)) {
    // number[] from JavaScript callers: a string such as "0.1" passes the comparisons above by coercion.
    for (let i = 0; i < n; i++) {
      if (typeof x[i] !== 'number') throw new InvalidInputError(`${field}[${i}] must be a finite number`, `${field}[${i}]`);
    }
  }
}

/** Every value finite (any sign): e.g. VaR forecasts in return terms. */
export function assertFiniteSeries(x: Series, field: string): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidInputError(`${field}[${i}] must be a finite number`, `${field}[${i}]`);
  }
}

/**
 * Confidence is a percentage, 50 < c < 100 (95, 97.5, 99). A value in (0, 1] is the common
 * mistake of a fraction (0.95) and gets its own hint.
 */
export function assertConfidence(c: number, field = 'confidence'): void {
  if (typeof c !== 'number' || !Number.isFinite(c)) {
    throw new InvalidInputError(`${field} must be a finite number (confidence is a percentage, e.g. 95)`, field);
  }
  if (c > 0 && c <= 1) {
    throw new InvalidInputError(`${field} must be greater than 50 and less than 100, got ${c}: confidence is a percentage, e.g. 95`, field);
  }
  if (!(c > 50 && c < 100)) {
    throw new InvalidInputError(`${field} must be greater than 50 and less than 100, got ${c} (confidence is a percentage, e.g. 95)`, field);
  }
}

/** Tail probability α = 1 − c/100, computed as (100 − c)/100 (exact for 95, 97.5, 99). */
export function tailProbability(confidence: number): number {
  return (100 - confidence) / 100;
}

/**
 * Fewest returns for a historical figure at confidence c: ⌈1/α⌉ computed as
 * ⌈100/(100 − c) − 1e-9⌉ (95 → 20, 99 → 100, 99.9 → 1000; docs/api.md).
 */
export function minObservationsHistorical(confidence: number): number {
  return Math.ceil(100 / (100 - confidence) - 1e-9);
}

/** Horizon in periods: an integer 1..250. */
export function assertHorizon(h: number, field = 'horizon_days'): void {
  if (typeof h !== 'number' || !Number.isInteger(h) || h < 1 || h > MAX_HORIZON_DAYS) {
    throw new InvalidInputError(`${field} must be an integer from 1 to ${MAX_HORIZON_DAYS}, got ${String(h)}`, field);
  }
}

/** Number of Monte Carlo paths: an integer 1..1,000,000. */
export function assertSimulations(n: number, field = 'simulations'): void {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_SIMULATIONS) {
    throw new InvalidInputError(`${field} must be an integer from 1 to ${MAX_SIMULATIONS}, got ${String(n)}`, field);
  }
}

/** PRNG seed: an integer 0..4294967295. */
export function assertSeed(seed: number, field = 'seed'): void {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new InvalidInputError(`${field} must be an integer from 0 to ${MAX_SEED}, got ${String(seed)}`, field);
  }
}

/** EWMA decay λ: a number strictly between 0 and 1 (0.94 is RiskMetrics' daily decay). */
export function assertLambda(lambda: number, field = 'lambda'): void {
  if (typeof lambda !== 'number' || !(lambda > 0 && lambda < 1)) {
    throw new InvalidInputError(`${field} must be a number greater than 0 and less than 1 (e.g. 0.94), got ${String(lambda)}`, field);
  }
}

export function assertMethod(method: unknown, field = 'method', allowed: readonly string[] = VAR_METHODS): asserts method is VarMethod {
  if (typeof method !== 'string' || !allowed.includes(method)) {
    throw new InvalidInputError(`${field} must be one of ${allowed.join(', ')}, got ${JSON.stringify(method)}`, field);
  }
}

export function assertDistribution(d: unknown, field = 'distribution'): asserts d is McDistribution {
  if (typeof d !== 'string' || !(MC_DISTRIBUTIONS as readonly string[]).includes(d)) {
    throw new InvalidInputError(`${field} must be one of ${MC_DISTRIBUTIONS.join(', ')}, got ${JSON.stringify(d)}`, field);
  }
}

/**
 * Throws InsufficientDataError when n < needed, e.g.
 * "Cannot compute historical VaR from 3 returns at 99 %: need at least 100".
 * `what` names the figure ("historical VaR"), `noun` the observations ("returns", "aligned dates").
 */
export function requireObservations(n: number, needed: number, what: string, confidence: number, noun = 'returns', field = 'returns'): void {
  if (n < needed) {
    const counted = n === 1 ? noun.replace(/s$/, '') : noun;
    throw new InsufficientDataError(`Cannot compute ${what} from ${n} ${counted} at ${confidence} %: need at least ${needed}`, field);
  }
}

/** The options every VaR / CVaR figure takes (computeRisk, portfolioRisk). */
export interface RiskOptions {
  /** A percentage, 50 < c < 100. */
  confidence: number;
  method: VarMethod;
  /** Integer 1..250, default 1. */
  horizonDays?: number;
  /** monte_carlo only: 1..1,000,000, default 10,000. */
  simulations?: number;
  /** monte_carlo only: integer 0..4294967295; drawn and returned when absent. */
  seed?: number;
  /** monte_carlo only: default `normal`. */
  distribution?: McDistribution;
  /** ewma and filtered_historical only: EWMA decay, 0 < λ < 1, default 0.94. */
  lambda?: number;
}

/**
 * The common prelude of computeRisk and portfolioRisk: method, confidence and horizon checked, the
 * Monte Carlo options (validated for monte_carlo only, ignored otherwise) and the EWMA decay
 * (validated for ewma and filtered_historical only) with their defaults.
 */
export function riskOptions(input: RiskOptions): { horizonDays: number; simulations: number; distribution: McDistribution; lambda: number } {
  const horizonDays = input.horizonDays ?? 1;
  assertMethod(input.method);
  assertConfidence(input.confidence);
  assertHorizon(horizonDays);
  const simulations = input.simulations ?? DEFAULT_SIMULATIONS;
  const distribution = input.distribution ?? 'normal';
  if (input.method === 'monte_carlo') {
    assertSimulations(simulations);
    assertDistribution(distribution);
    if (input.seed !== undefined) assertSeed(input.seed);
  }
  const lambda = input.lambda ?? DEFAULT_EWMA_LAMBDA;
  if ((VOLATILITY_METHODS as readonly string[]).includes(input.method)) assertLambda(lambda);
  return { horizonDays, simulations, distribution, lambda };
}
