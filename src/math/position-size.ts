import { InsufficientDataError, InvalidInputError } from './errors';
import { Series } from './types';
import { assertReturns } from './validation';

/**
 * Position sizing RATIOS (docs/math.md "Position sizing"). Money (equity, prices, notional, units) is
 * the caller's business, in big.js: these functions take and return plain fractions only.
 */

function assertPositiveFinite(x: number, field: string): void {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new InvalidInputError(`${field} must be a finite number`, field);
  if (!(x > 0)) throw new InvalidInputError(`${field} must be greater than 0, got ${x}`, field);
}

/**
 * Fixed-fractional position as a fraction of equity BEFORE rounding to whole units:
 * risk_fraction × entry / |entry − stop|. A float helper for display and checks only: the unit
 * count ⌊equity × risk_fraction / |entry − stop|⌋ involves money and must be computed by the
 * caller with big.js (then notional = units × entry, fraction = notional / equity).
 *
 * @param riskFraction share of equity lost if the stop is hit, 0 < f ≤ 1
 * @param entryPrice positive
 * @param stopPrice positive, different from entryPrice
 */
export function fixedFractionalFraction(riskFraction: number, entryPrice: number, stopPrice: number): number {
  assertPositiveFinite(riskFraction, 'risk_fraction');
  if (riskFraction > 1) throw new InvalidInputError(`risk_fraction must be at most 1, got ${riskFraction}`, 'risk_fraction');
  assertPositiveFinite(entryPrice, 'entry_price');
  assertPositiveFinite(stopPrice, 'stop_price');
  if (entryPrice === stopPrice) throw new InvalidInputError('stop_price must differ from entry_price', 'stop_price');
  return (riskFraction * entryPrice) / Math.abs(entryPrice - stopPrice);
}

export interface KellyResult {
  /** f* = p − (1 − p)/b, the full Kelly fraction (may be negative: no edge). */
  kellyFraction: number;
  /** max(0, f*) × multiplier: the fraction of equity to commit. */
  fraction: number;
}

/**
 * Kelly criterion (Kelly 1956; docs/math.md): f* = p − (1 − p)/b with p the win probability and b the
 * ratio of the average win to the average loss; the fraction used is max(0, f*) × multiplier
 * (default 0.5, "half Kelly").
 *
 * @param winProbability 0 ≤ p ≤ 1
 * @param winLossRatio b > 0
 * @param multiplier 0 < m ≤ 1 (default 0.5)
 */
export function kellyFraction(winProbability: number, winLossRatio: number, multiplier = 0.5): KellyResult {
  if (typeof winProbability !== 'number' || !(winProbability >= 0 && winProbability <= 1)) {
    throw new InvalidInputError(`win_probability must be between 0 and 1, got ${String(winProbability)}`, 'win_probability');
  }
  assertPositiveFinite(winLossRatio, 'win_loss_ratio');
  assertPositiveFinite(multiplier, 'kelly_multiplier');
  if (multiplier > 1) throw new InvalidInputError(`kelly_multiplier must be at most 1, got ${multiplier}`, 'kelly_multiplier');
  const f = winProbability - (1 - winProbability) / winLossRatio;
  return { kellyFraction: f, fraction: Math.max(0, f) * multiplier };
}

export interface KellyInputs {
  /** wins / trades (trades of exactly 0 count as trades but neither wins nor losses). */
  winProbability: number;
  /** mean win / mean |loss|. */
  winLossRatio: number;
  trades: number;
  wins: number;
  losses: number;
}

/**
 * Estimates the Kelly inputs from past trade P&L fractions: p = wins / trades, b = mean of the
 * winning trades / mean of |losing trades| (a trade of exactly 0 is neither).
 *
 * @param tradeReturns at least one trade, each finite and > −1 (not mutated)
 * @throws InsufficientDataError when there is no winning or no losing trade (b is undefined)
 */
export function estimateKellyInputs(tradeReturns: Series): KellyInputs {
  assertReturns(tradeReturns, 'trade_returns');
  const n = tradeReturns.length;
  if (n < 1) throw new InsufficientDataError('Cannot estimate Kelly inputs from 0 trades: need at least 1', 'trade_returns');
  let wins = 0;
  let losses = 0;
  let winSum = 0;
  let lossSum = 0;
  for (let i = 0; i < n; i++) {
    const r = tradeReturns[i];
    if (r > 0) {
      wins++;
      winSum += r;
    } else if (r < 0) {
      losses++;
      lossSum -= r;
    }
  }
  if (wins === 0) {
    throw new InsufficientDataError(`trade_returns has no winning trade among ${n}: the win/loss ratio is undefined`, 'trade_returns');
  }
  if (losses === 0) {
    throw new InsufficientDataError(`trade_returns has no losing trade among ${n}: the win/loss ratio is undefined`, 'trade_returns');
  }
  return { winProbability: wins / n, winLossRatio: winSum / wins / (lossSum / losses), trades: n, wins, losses };
}

/**
 * Volatility targeting (docs/math.md): weight = target_annual_vol / (σ_daily √periods_per_year).
 *
 * @param targetAnnualVol annualised volatility target as a fraction (> 0)
 * @param dailyVolatility per-period σ (> 0), e.g. the sample σ of daily returns
 * @param periodsPerYear integer ≥ 1 (default 252)
 */
export function volatilityTargetWeight(targetAnnualVol: number, dailyVolatility: number, periodsPerYear = 252): number {
  assertPositiveFinite(targetAnnualVol, 'target_annual_vol');
  if (typeof dailyVolatility === 'number' && dailyVolatility === 0) {
    throw new InvalidInputError('daily_volatility must be greater than 0: the volatility is 0, and a volatility target needs returns that vary', 'daily_volatility');
  }
  assertPositiveFinite(dailyVolatility, 'daily_volatility');
  if (!Number.isInteger(periodsPerYear) || periodsPerYear < 1) {
    throw new InvalidInputError(`periods_per_year must be a positive integer, got ${String(periodsPerYear)}`, 'periods_per_year');
  }
  return targetAnnualVol / (dailyVolatility * Math.sqrt(periodsPerYear));
}

export interface CappedFraction {
  fraction: number;
  cappedBy: null | 'position_limit' | 'leverage';
  uncappedFraction: number;
}

/**
 * Caps a position fraction by the portfolio's max_position_size_percent (as a fraction, /100) and
 * by max_leverage (default 1): the tighter bound applies; on a tie the position limit is named.
 * The percentage is divided by 100 through its decimal text, so a limit of 33.3 % is the double
 * nearest 0.333 (33.3 / 100 in floating point is 0.33299999999999996) and a position of exactly
 * that size is not capped. Ratios only: the caller turns the fraction into money with big.js.
 */
export function applyCaps(input: { fraction: number; maxPositionSizePercent?: number; maxLeverage?: number }): CappedFraction {
  const { fraction } = input;
  const maxLeverage = input.maxLeverage ?? 1;
  if (typeof fraction !== 'number' || !Number.isFinite(fraction) || fraction < 0) {
    throw new InvalidInputError(`fraction must be a finite number ≥ 0, got ${String(fraction)}`, 'fraction');
  }
  assertPositiveFinite(maxLeverage, 'max_leverage');
  if (input.maxPositionSizePercent !== undefined) assertPositiveFinite(input.maxPositionSizePercent, 'max_position_size_percent');
  const positionCap = input.maxPositionSizePercent === undefined ? Infinity : percentToFraction(input.maxPositionSizePercent);
  const bound = Math.min(positionCap, maxLeverage);
  if (fraction <= bound) return { fraction, cappedBy: null, uncappedFraction: fraction };
  return { fraction: bound, cappedBy: positionCap <= maxLeverage ? 'position_limit' : 'leverage', uncappedFraction: fraction };
}

/** p / 100 rounded once from p's shortest decimal text ("33.3e-2"), not twice as p / 100 is. */
function percentToFraction(p: number): number {
  const text = String(p);
  return text.includes('e') ? p / 100 : Number(`${text}e-2`);
}
