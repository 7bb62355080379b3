import { InsufficientDataError, InvalidInputError } from './errors';
import {
  assertConfidence,
  assertDistribution,
  assertHorizon,
  assertMethod,
  assertReturns,
  markCheckedReturns,
  assertSeed,
  assertSimulations,
  minObservationsHistorical,
  requireObservations,
  tailProbability,
} from './validation';

describe('input guards', () => {
  it.each([
    [[0.01, NaN, 0.02], 'returns[1] must be a finite number'],
    [[Infinity], 'returns[0] must be a finite number'],
    [[0.01, 0.02, -Infinity], 'returns[2] must be a finite number'],
    [[0.01, -1], 'returns[1] must be greater than -1 (a simple return of -100 % or worse)'],
    [[-3], 'returns[0] must be greater than -1 (a simple return of -100 % or worse)'],
  ])('rejects %p naming the element', (r, message) => {
    expect(() => assertReturns(r)).toThrow(InvalidInputError);
    expect(() => assertReturns(r)).toThrow(message);
    expect(() => assertReturns(Float64Array.from(r))).toThrow(message);
  });

  it('names the field it is given and rejects non-numbers in plain arrays', () => {
    expect(() => assertReturns([0.1, '0.2' as unknown as number], 'trade_returns')).toThrow('trade_returns[1] must be a finite number');
    let field: string | undefined;
    try {
      assertReturns([0, NaN]);
    } catch (e) {
      field = (e as InvalidInputError).field;
    }
    expect(field).toBe('returns[1]');
    expect(() => assertReturns([0.5, -0.999, 0])).not.toThrow();
  });

  it.each([0.95, 0.99, 1])('explains that confidence %p is a percentage', (c) => {
    expect(() => assertConfidence(c)).toThrow('confidence is a percentage, e.g. 95');
  });

  it.each([100, 50, 0, -95, 150, NaN, Infinity])('rejects confidence %p', (c) => {
    expect(() => assertConfidence(c)).toThrow(InvalidInputError);
    expect(() => assertConfidence(c)).toThrow(/confidence must be/);
  });

  it('scans a series marked as checked once, and never a bad one', () => {
    const good = Float64Array.from([0.01, -0.02, 0.03]);
    markCheckedReturns(good);
    good[1] = -2; // written after the mark (its owner promises not to): no longer scanned
    expect(() => assertReturns(good)).not.toThrow();
    const bad = Float64Array.from([0.01, -1]);
    markCheckedReturns(bad);
    expect(() => assertReturns(bad, 'asset_returns[0]')).toThrow('asset_returns[0][1] must be greater than -1');
    expect(() => assertReturns(Float64Array.from([0.01, -2]))).toThrow(InvalidInputError);
  });

  it('accepts 50 < c < 100', () => {
    for (const c of [50.0001, 90, 95, 97.5, 99, 99.9, 99.999]) expect(() => assertConfidence(c)).not.toThrow();
  });

  it('computes α exactly for the usual levels and the historical minimum ⌈1/α⌉', () => {
    expect(tailProbability(95)).toBe(0.05);
    expect(tailProbability(97.5)).toBe(0.025);
    expect(tailProbability(99)).toBe(0.01);
    expect([95, 97.5, 99, 99.9, 99.5, 90, 60].map(minObservationsHistorical)).toEqual([20, 40, 100, 1000, 200, 10, 3]);
  });

  it.each([0, 1.5, 251, -1, NaN])('rejects horizon %p', (h) => {
    expect(() => assertHorizon(h)).toThrow(/horizon_days must be an integer from 1 to 250/);
  });

  it.each([0, 1_000_001, 2.5, NaN])('rejects %p simulations', (n) => {
    expect(() => assertSimulations(n)).toThrow(/simulations must be an integer from 1 to 1000000/);
  });

  it.each([-1, 1.5, 2 ** 32, NaN])('rejects seed %p', (s) => {
    expect(() => assertSeed(s)).toThrow(/seed must be an integer from 0 to 4294967295/);
  });

  it('rejects an unknown method and distribution, naming the accepted ones', () => {
    expect(() => assertMethod('magic')).toThrow('method must be one of historical, parametric, cornish_fisher, monte_carlo, ewma, filtered_historical, got "magic"');
    expect(() => assertDistribution('cauchy')).toThrow('distribution must be one of normal, bootstrap, got "cauchy"');
  });

  it('says how many observations are missing', () => {
    expect(() => requireObservations(3, 100, 'historical VaR', 99)).toThrow(InsufficientDataError);
    expect(() => requireObservations(3, 100, 'historical VaR', 99)).toThrow('Cannot compute historical VaR from 3 returns at 99 %: need at least 100');
    expect(() => requireObservations(1, 2, 'parametric VaR', 95)).toThrow('Cannot compute parametric VaR from 1 return at 95 %: need at least 2');
  });
});
