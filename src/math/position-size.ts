import { InvalidInputError } from './errors';

/**
 * Position-sizing ratios. Money (equity, prices, notional, whole units) is the caller's to
 * compute in decimal arithmetic; these functions only give the float fractions.
 */

/** Kelly: f* = p − (1 − p)/b; the fraction used is max(0, f*) × multiplier (0.5 = half Kelly). */
export function kellyFraction(winProbability: number, winLossRatio: number, multiplier = 0.5): { kellyFraction: number; fraction: number } {
  if (!(winProbability >= 0 && winProbability <= 1)) throw new InvalidInputError('win_probability must be between 0 and 1', 'win_probability');
  if (!(winLossRatio > 0) || !Number.isFinite(winLossRatio)) throw new InvalidInputError('win_loss_ratio must be a finite number greater than 0', 'win_loss_ratio');
  if (!(multiplier > 0 && multiplier <= 1)) throw new InvalidInputError('kelly_multiplier must be greater than 0 and at most 1', 'kelly_multiplier');
  const f = winProbability - (1 - winProbability) / winLossRatio;
  return { kellyFraction: f, fraction: Math.max(0, f) * multiplier };
}

/**
 * Kelly inputs estimated from past trade P&L fractions: p = winning trades / all trades
 * (a flat trade counts in the total but is neither a win nor a loss), b = mean win / mean |loss|.
 * Needs at least one winning and one losing trade.
 */
export function estimateKellyInputs(tradeReturns: ArrayLike<number>): { winProbability: number; winLossRatio: number } {
  let wins = 0;
  let losses = 0;
  let sumWin = 0;
  let sumLoss = 0;
  for (let i = 0; i < tradeReturns.length; i++) {
    const r = tradeReturns[i];
    if (!Number.isFinite(r)) throw new InvalidInputError(`trade_returns[${i}] must be a finite number`, `trade_returns[${i}]`);
    if (r > 0) {
      wins++;
      sumWin += r;
    } else if (r < 0) {
      losses++;
      sumLoss -= r;
    }
  }
  if (wins === 0 || losses === 0) {
    throw new InvalidInputError('trade_returns must contain at least one winning and one losing trade to estimate the win/loss ratio', 'trade_returns');
  }
  return { winProbability: wins / tradeReturns.length, winLossRatio: sumWin / wins / (sumLoss / losses) };
}

/** Volatility target: weight = target_annual_vol / (σ_daily √periods_per_year). */
export function volatilityTargetWeight(targetAnnualVol: number, dailyVolatility: number, periodsPerYear = 252): number {
  if (!(targetAnnualVol > 0) || !Number.isFinite(targetAnnualVol)) throw new InvalidInputError('target_annual_vol must be greater than 0', 'target_annual_vol');
  if (!(periodsPerYear > 0)) throw new InvalidInputError('periods_per_year must be greater than 0', 'periods_per_year');
  if (!(dailyVolatility > 0) || !Number.isFinite(dailyVolatility)) {
    throw new InvalidInputError('the daily volatility is 0: a volatility target needs returns that vary', 'daily_volatility');
  }
  return targetAnnualVol / (dailyVolatility * Math.sqrt(periodsPerYear));
}
