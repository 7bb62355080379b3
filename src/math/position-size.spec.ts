import { InsufficientDataError, InvalidInputError } from './errors';
import { applyCaps, estimateKellyInputs, fixedFractionalFraction, kellyFraction, volatilityTargetWeight } from './position-size';

describe('position sizing ratios', () => {
  it('computes f* = p − (1 − p)/b and uses max(0, f*) × multiplier', () => {
    const full = kellyFraction(0.6, 2, 1);
    expect(full.kellyFraction).toBeCloseTo(0.4, 15);
    expect(full.fraction).toBe(full.kellyFraction);
    expect(kellyFraction(0.6, 2).fraction).toBeCloseTo(0.2, 15);
    const noEdge = kellyFraction(0.4, 1);
    expect(noEdge.kellyFraction).toBeCloseTo(-0.2, 15);
    expect(noEdge.fraction).toBe(0);
    expect(kellyFraction(1, 3, 0.25).fraction).toBe(0.25);
  });

  it('estimates p = wins / trades and b = mean win / mean |loss|', () => {
    expect(estimateKellyInputs([0.1, -0.05, 0.3, 0, -0.15])).toEqual({ winProbability: 0.4, winLossRatio: 0.2 / 0.1, trades: 5, wins: 2, losses: 2 });
  });

  it('cannot estimate b without a winning or a losing trade', () => {
    expect(() => estimateKellyInputs([0.1, 0.2, 0])).toThrow(InsufficientDataError);
    expect(() => estimateKellyInputs([0.1, 0.2, 0])).toThrow('trade_returns has no losing trade among 3: the win/loss ratio is undefined');
    expect(() => estimateKellyInputs([-0.1, 0])).toThrow('trade_returns has no winning trade among 2');
    expect(() => estimateKellyInputs([])).toThrow(InsufficientDataError);
    expect(() => estimateKellyInputs([0.1, NaN])).toThrow('trade_returns[1] must be a finite number');
  });

  it('takes half Kelly by default and never goes short', () => {
    expect(kellyFraction(0.55, 1.5)).toEqual({ kellyFraction: 0.55 - 0.45 / 1.5, fraction: (0.55 - 0.45 / 1.5) * 0.5 });
    expect(kellyFraction(0.3, 1, 1).fraction).toBe(0);
  });

  it('estimates p and b from trades, flat trades counting in the total only', () => {
    const est = estimateKellyInputs([0.02, -0.01, 0.04, 0, -0.03]);
    expect(est.winProbability).toBeCloseTo(2 / 5, 15);
    expect(est.winLossRatio).toBeCloseTo(0.03 / 0.02, 15);
  });

  it('weights a volatility target by annualised σ', () => {
    expect(volatilityTargetWeight(0.1, 0.01, 252)).toBeCloseTo(0.1 / (0.01 * Math.sqrt(252)), 15);
  });

  it.each([
    [() => kellyFraction(-0.1, 1), 'win_probability'],
    [() => kellyFraction(NaN, 1), 'win_probability'],
    [() => kellyFraction(0.5, 0), 'win_loss_ratio'],
    [() => kellyFraction(0.5, Infinity), 'win_loss_ratio'],
    [() => kellyFraction(0.5, 1, 0), 'kelly_multiplier'],
    [() => kellyFraction(0.5, 1, 1.5), 'kelly_multiplier'],
    [() => volatilityTargetWeight(0, 0.01), 'target_annual_vol'],
    [() => volatilityTargetWeight(0.1, -0.01), 'daily_volatility'],
    [() => volatilityTargetWeight(0.1, 0.01, 0), 'periods_per_year'],
    [() => fixedFractionalFraction(0, 10, 9), 'risk_fraction'],
    [() => fixedFractionalFraction(0.01, 10, 10), 'stop_price must differ from entry_price'],
    [() => applyCaps({ fraction: 0.5, maxLeverage: 0 }), 'max_leverage'],
  ])('rejects impossible input (%#), naming %p', (call, field) => {
    expect(call).toThrow(InvalidInputError);
    expect(call).toThrow(field);
  });

  it('targets an annual volatility with σ_daily √252', () => {
    expect(volatilityTargetWeight(0.12, 0.01)).toBeCloseTo(0.12 / (0.01 * Math.sqrt(252)), 15);
    expect(volatilityTargetWeight(0.1, 0.02, 52)).toBeCloseTo(0.1 / (0.02 * Math.sqrt(52)), 15);
    expect(() => volatilityTargetWeight(0.1, 0)).toThrow(/volatility is 0/);
  });

  it('gives the fixed-fractional fraction before rounding to units', () => {
    // equity 100,000, 1 % at risk, entry 50, stop 48: 500 units × 50 = 25,000 = 25 % of equity
    expect(fixedFractionalFraction(0.01, 50, 48)).toBeCloseTo(0.25, 15);
    expect(fixedFractionalFraction(0.01, 48, 50)).toBeCloseTo(0.24, 15); // a short: stop above entry
  });

  it('caps by the tighter of the position limit and the leverage, naming it', () => {
    expect(applyCaps({ fraction: 0.3 })).toEqual({ fraction: 0.3, cappedBy: null, uncappedFraction: 0.3 });
    expect(applyCaps({ fraction: 1.4 })).toEqual({ fraction: 1, cappedBy: 'leverage', uncappedFraction: 1.4 });
    expect(applyCaps({ fraction: 0.3, maxPositionSizePercent: 10 })).toEqual({ fraction: 0.1, cappedBy: 'position_limit', uncappedFraction: 0.3 });
    expect(applyCaps({ fraction: 3, maxPositionSizePercent: 250, maxLeverage: 2 })).toEqual({ fraction: 2, cappedBy: 'leverage', uncappedFraction: 3 });
    expect(applyCaps({ fraction: 3, maxPositionSizePercent: 200, maxLeverage: 2 })).toEqual({ fraction: 2, cappedBy: 'position_limit', uncappedFraction: 3 });
    expect(applyCaps({ fraction: 0.1, maxPositionSizePercent: 10 }).cappedBy).toBeNull();
  });

  it('reads the limit percentage through its decimal text (33.3 % is 0.333, not 33.3 / 100)', () => {
    expect(applyCaps({ fraction: 0.5, maxPositionSizePercent: 33.3 }).fraction).toBe(0.333);
    expect(applyCaps({ fraction: 0.333, maxPositionSizePercent: 33.3 }).cappedBy).toBeNull();
    expect(applyCaps({ fraction: 0.5, maxPositionSizePercent: 2.2 }).fraction).toBe(0.022);
  });
});
