import { walkReturnsCurve } from './drawdown';
import { InsufficientDataError, InvalidInputError } from './errors';
import { centralMoments, momentsFromCentral } from './moments';
import { Series } from './types';
import { assertReturns } from './validation';

/**
 * Performance statistics of a return series (docs/math.md "Performance statistics"; the
 * conventions of empyrical / quantstats): n simple returns r_t, P periods per year, rf a yearly
 * risk-free rate, a_t = r_t − rf/P the excess return per period, σ the sample standard deviation
 * (n − 1). Ratios are plain numbers; a figure docs/math.md leaves undefined is null, never NaN.
 */

export interface PerformanceOptions {
  /** P, periods per year (252 for daily returns, 12 for monthly); finite and > 0. Default 252. */
  periodsPerYear?: number;
  /** rf, the risk-free rate per year as a fraction (0.02 = 2 %); finite and > −1. Default 0. */
  riskFreeRate?: number;
}

export interface PerformanceStatistics {
  count: number;
  /** Π(1 + r_t) − 1. */
  cumulativeReturn: number;
  /** (1 + cumulative)^(P/n) − 1. */
  annualizedReturn: number;
  /** σ(r)·√P. */
  annualizedVolatility: number;
  /** mean(a)/σ(a)·√P; null when σ(a) = 0. */
  sharpe: number | null;
  /** mean(a)·P / (√(mean(min(a_t, 0)²))·√P); null when no a_t < 0. */
  sortino: number | null;
  /** annualizedReturn / maxDrawdown; null when the curve never falls. */
  calmar: number | null;
  /** Of the curve V_0 = 1, V_t = V_{t−1}(1 + r_t) (positive depth). */
  maxDrawdown: number;
  bestPeriod: number;
  worstPeriod: number;
  /** Share of r_t > 0 among r_t ≠ 0; null when every r_t is 0. */
  winRate: number | null;
}

const DEFAULT_PERIODS_PER_YEAR = 252;

function options(opts: PerformanceOptions): { P: number; rf: number } {
  const P = opts.periodsPerYear ?? DEFAULT_PERIODS_PER_YEAR;
  const rf = opts.riskFreeRate ?? 0;
  if (typeof P !== 'number' || !(P > 0 && P < Infinity)) {
    throw new InvalidInputError(`periods_per_year must be a finite number greater than 0, got ${String(P)}`, 'periods_per_year');
  }
  if (typeof rf !== 'number' || !(rf > -1 && rf < Infinity)) {
    throw new InvalidInputError(`risk_free_rate must be a finite number greater than -1 (a yearly rate as a fraction, e.g. 0.02), got ${String(rf)}`, 'risk_free_rate');
  }
  return { P, rf };
}

function guard(returns: Series, needed: number, what: string): void {
  assertReturns(returns);
  if (returns.length < needed) {
    const noun = returns.length === 1 ? 'return' : 'returns';
    throw new InsufficientDataError(`Cannot compute ${what} from ${returns.length} ${noun}: need at least ${needed}`, 'returns');
  }
}

/** Σ ln(1 + r_t): the log of the growth factor, which cannot overflow where the product would. */
function logGrowth(returns: Series): number {
  let s = 0;
  for (let t = 0; t < returns.length; t++) s += Math.log1p(returns[t]);
  return s;
}

/** e^L − 1 for the cumulative return; a growth beyond the largest double is refused, not answered as Infinity. */
function cumulativeFromLog(logG: number): number {
  const c = Math.expm1(logG);
  if (!Number.isFinite(c)) {
    throw new InvalidInputError(`the cumulative return of these returns overflows a double (growth factor e^${logG.toPrecision(6)})`, 'returns');
  }
  return c;
}

/** a_t = r_t − rf/P (a new array). */
function excessReturns(returns: Series, rf: number, P: number): Float64Array {
  const perPeriod = rf / P;
  const a = new Float64Array(returns.length);
  for (let t = 0; t < a.length; t++) a[t] = returns[t] - perPeriod;
  return a;
}

function sharpeOf(a: Float64Array, P: number): number | null {
  const m = momentsFromCentral(centralMoments(a));
  return m.stdDev === 0 ? null : (m.mean / m.stdDev) * Math.sqrt(P);
}

function sortinoOf(a: Float64Array, P: number): number | null {
  let sum = 0;
  let downSq = 0;
  let downs = 0;
  for (let t = 0; t < a.length; t++) {
    const v = a[t];
    sum += v;
    if (v < 0) {
      downSq += v * v;
      downs++;
    }
  }
  const n = a.length;
  const downside = Math.sqrt(downSq / n);
  // No a_t < 0; or, for a few subnormal losses, a downside deviation that underflows to 0.
  if (downs === 0 || downside === 0) return null;
  return ((sum / n) * P) / (downside * Math.sqrt(P));
}

function maxDrawdownOf(returns: Series): number {
  let max = 0;
  walkReturnsCurve(returns, (_t, dd) => {
    if (dd > max) max = dd;
  });
  return max;
}

function winRateOf(returns: Series): number | null {
  let wins = 0;
  let nonZero = 0;
  for (let t = 0; t < returns.length; t++) {
    const v = returns[t];
    if (v !== 0) {
      nonZero++;
      if (v > 0) wins++;
    }
  }
  return nonZero === 0 ? null : wins / nonZero;
}

/**
 * Cumulative return Π(1 + r_t) − 1 (computed as e^{Σ ln(1 + r_t)} − 1, exact to rounding and
 * accurate for a cumulative near 0). Throws InvalidInputError when it overflows a double.
 *
 * @param returns at least 1 simple return, each finite and > −1 (not mutated)
 */
export function cumulativeReturn(returns: Series): number {
  guard(returns, 1, 'a cumulative return');
  return cumulativeFromLog(logGrowth(returns));
}

/**
 * Annualized (geometric) return (1 + cumulative)^(P/n) − 1 (docs/math.md "Performance statistics").
 *
 * @param returns at least 1 simple return (not mutated)
 */
export function annualizedReturn(returns: Series, opts: PerformanceOptions = {}): number {
  const { P } = options(opts);
  guard(returns, 1, 'an annualized return');
  const logG = logGrowth(returns);
  cumulativeFromLog(logG);
  return Math.expm1((logG * P) / returns.length);
}

/**
 * Annualized volatility σ(r)·√P, σ the sample standard deviation (n − 1).
 *
 * @param returns at least 2 simple returns (not mutated)
 */
export function annualizedVolatility(returns: Series, opts: PerformanceOptions = {}): number {
  const { P } = options(opts);
  guard(returns, 2, 'an annualized volatility');
  return momentsFromCentral(centralMoments(returns)).stdDev * Math.sqrt(P);
}

/**
 * Sharpe ratio mean(a)/σ(a)·√P of the excess returns a_t = r_t − rf/P, σ over n − 1
 * (empyrical `sharpe_ratio`); null when σ(a) = 0 (every return equal).
 *
 * @param returns at least 2 simple returns (not mutated)
 */
export function sharpeRatio(returns: Series, opts: PerformanceOptions = {}): number | null {
  const { P, rf } = options(opts);
  guard(returns, 2, 'a Sharpe ratio');
  return sharpeOf(excessReturns(returns, rf, P), P);
}

/**
 * Sortino ratio mean(a)·P / (√(mean(min(a_t, 0)²))·√P): the downside deviation is the root mean
 * square of the negative excess returns over all n periods (empyrical `sortino_ratio` with a target
 * of rf/P); null when no a_t < 0 (or their squares underflow to 0).
 *
 * @param returns at least 2 simple returns (not mutated)
 */
export function sortinoRatio(returns: Series, opts: PerformanceOptions = {}): number | null {
  const { P, rf } = options(opts);
  guard(returns, 2, 'a Sortino ratio');
  return sortinoOf(excessReturns(returns, rf, P), P);
}

/**
 * Calmar ratio: annualized return / max drawdown of the curve V_0 = 1, V_t = V_{t−1}(1 + r_t) over
 * the whole series (empyrical `calmar_ratio`); null when the curve never falls.
 *
 * @param returns at least 1 simple return (not mutated)
 */
export function calmarRatio(returns: Series, opts: PerformanceOptions = {}): number | null {
  const ann = annualizedReturn(returns, opts);
  const mdd = maxDrawdownOf(returns);
  return mdd === 0 ? null : ann / mdd;
}

/**
 * Win rate: the share of r_t > 0 among the r_t ≠ 0 (flat periods count neither way); null when
 * every return is 0.
 *
 * @param returns at least 1 simple return (not mutated)
 */
export function winRate(returns: Series): number | null {
  guard(returns, 1, 'a win rate');
  return winRateOf(returns);
}

/**
 * Every statistic of docs/math.md "Performance statistics" in one call (POST /v1/performance):
 * cumulative, annualized return and volatility, Sharpe, Sortino, Calmar, max drawdown, best and
 * worst period, win rate. Validates once; each figure equals its single function above.
 *
 * @param returns at least 2 simple returns, oldest first, each finite and > −1 (not mutated)
 */
export function performanceStatistics(returns: Series, opts: PerformanceOptions = {}): PerformanceStatistics {
  const { P, rf } = options(opts);
  guard(returns, 2, 'performance statistics');
  const n = returns.length;
  const logG = logGrowth(returns);
  const cumulative = cumulativeFromLog(logG);
  const annualized = Math.expm1((logG * P) / n);
  const m = momentsFromCentral(centralMoments(returns));
  const a = excessReturns(returns, rf, P);
  const mdd = maxDrawdownOf(returns);
  return {
    count: n,
    cumulativeReturn: cumulative,
    annualizedReturn: annualized,
    annualizedVolatility: m.stdDev * Math.sqrt(P),
    sharpe: sharpeOf(a, P),
    sortino: sortinoOf(a, P),
    calmar: mdd === 0 ? null : annualized / mdd,
    maxDrawdown: mdd,
    bestPeriod: m.max,
    worstPeriod: m.min,
    winRate: winRateOf(returns),
  };
}
