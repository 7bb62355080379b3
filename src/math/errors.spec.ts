import { backtest } from './backtest';
import { drawdownStats, drawdownFromReturns } from './drawdown';
import { InsufficientDataError, InvalidInputError } from './errors';
import { historicalVar } from './historical-var';
import { monteCarloVar } from './monte-carlo-var';
import { estimateKellyInputs, kellyFraction, volatilityTargetWeight } from './position-size';
import { VarMethod } from './types';
import { computeRisk } from './var';
import { minObservationsHistorical } from './validation';

const r100 = Array.from({ length: 100 }, (_, i) => Math.sin(i) / 50);

describe('bad input is refused with a message naming the problem', () => {
  it.each([
    [[0.01, NaN], /returns\[1\] must be a finite number/],
    [[Infinity], /returns\[0\] must be a finite number/],
    [[0.01, -1], /returns\[1\] must be greater than -1/],
    [[-1.5], /returns\[0\] must be greater than -1/],
  ])('rejects returns %p', (r, msg) => {
    expect(() => computeRisk({ returns: r as number[], confidence: 95, method: 'parametric' })).toThrow(InvalidInputError);
    expect(() => computeRisk({ returns: r as number[], confidence: 95, method: 'parametric' })).toThrow(msg);
  });

  it.each([0.95, 1, 0.5])('explains that confidence %p is a percentage', (c) => {
    expect(() => historicalVar(r100, c)).toThrow(/confidence is a percentage, e.g. 95/);
  });

  it.each([100, 50, 0, -95, 150, NaN])('rejects confidence %p', (c) => {
    expect(() => historicalVar(r100, c)).toThrow(InvalidInputError);
  });

  it('counts the returns a historical quantile needs', () => {
    expect(minObservationsHistorical(95)).toBe(20);
    expect(minObservationsHistorical(99)).toBe(100);
    expect(minObservationsHistorical(99.9)).toBe(1000);
    expect(minObservationsHistorical(97.5)).toBe(40);
    expect(() => historicalVar(r100.slice(0, 3), 99)).toThrow(InsufficientDataError);
    expect(() => historicalVar(r100.slice(0, 3), 99)).toThrow('Cannot compute historical VaR from 3 returns at 99 %: need at least 100');
    expect(historicalVar(r100, 99)).toBeLessThan(0);
  });

  it.each<VarMethod>(['parametric', 'cornish_fisher', 'monte_carlo'])('%s needs two returns', (method) => {
    expect(() => computeRisk({ returns: [0.01], confidence: 95, method })).toThrow(InsufficientDataError);
  });

  it.each([0, 1.5, 251, -1])('rejects horizon %p', (h) => {
    expect(() => computeRisk({ returns: r100, confidence: 95, method: 'historical', horizonDays: h })).toThrow(/horizon_days must be an integer from 1 to 250/);
  });

  it.each([0, 1_000_001, 2.5])('rejects %p simulations', (n) => {
    expect(() => monteCarloVar({ returns: r100, confidence: 95, simulations: n })).toThrow(/simulations must be an integer from 1 to 1000000/);
  });

  it('rejects an unknown method, distribution and seed', () => {
    expect(() => computeRisk({ returns: r100, confidence: 95, method: 'magic' as VarMethod })).toThrow(/method must be one of/);
    expect(() => monteCarloVar({ returns: r100, confidence: 95, distribution: 'cauchy' as 'normal' })).toThrow(/distribution must be one of/);
    expect(() => monteCarloVar({ returns: r100, confidence: 95, seed: -1 })).toThrow(/seed/);
  });

  it('needs a history as long as a historical VaR for a bootstrap', () => {
    expect(() => monteCarloVar({ returns: r100.slice(0, 10), confidence: 99, distribution: 'bootstrap' })).toThrow(InsufficientDataError);
  });

  it('rejects bad equity curves', () => {
    expect(() => drawdownStats([])).toThrow(/at least 1 value/);
    expect(() => drawdownStats([1, 0])).toThrow(/values\[1\] must be a finite number greater than 0/);
    expect(() => drawdownFromReturns([0.1, -1])).toThrow(/returns\[1\]/);
  });

  it('rejects impossible sizing inputs', () => {
    expect(() => kellyFraction(1.2, 1)).toThrow(/win_probability/);
    expect(() => kellyFraction(0.5, 0)).toThrow(/win_loss_ratio/);
    expect(() => estimateKellyInputs([0.1, 0.2])).toThrow(/losing/);
    expect(() => volatilityTargetWeight(0.1, 0)).toThrow(/volatility is 0/);
  });

  it('rejects backtests that cannot be run', () => {
    expect(() => backtest({ returns: r100, confidence: 99, window: 50 })).toThrow(/window 50 is too short/);
    expect(() => backtest({ returns: r100.slice(0, 30), confidence: 95, window: 30 })).toThrow(InsufficientDataError);
    expect(() => backtest({ returns: [0.01, 0.02], varForecasts: [-0.01], confidence: 99 })).toThrow(/one value per return/);
  });
});
