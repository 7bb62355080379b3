import fc from 'fast-check';
import { InsufficientDataError, InvalidInputError } from './errors';
import { historicalVar } from './historical-var';
import { Xoshiro128 } from './prng';
import { rollingHistoricalVar } from './rolling-historical-var';
import { rollingVarForecasts } from './rolling-var';
import { expectRel, loadQuantReference, loadReference, SERIES, simpleReturns } from '../../test/support/reference';

const reference = loadReference();
const quant = loadQuantReference();

/**
 * Bit for bit (Object.is), except that −0 and +0 are the same value to a quantile: a window holding
 * both may report either (as two selections of it may), and JSON writes both as 0.
 */
function expectSameBits(actual: number, expected: number): void {
  if (actual === 0 && expected === 0) return;
  expect(Object.is(actual, expected) ? actual : `${actual} ≠ ${expected}`).toBe(expected);
}

/** Small alphabet of values, so that windows are full of ties. */
const tieHeavy = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(0, -0, 0.01, -0.01, -0.02, 0.02, -0.05) },
  { weight: 1, arbitrary: fc.double({ min: -0.3, max: 0.3, noNaN: true }) },
);

describe('rollingHistoricalVar', () => {
  it('equals historicalVar on every window, bit for bit, across windows, confidences and tie-heavy data', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(95, 97.5, 99, 90, 75.5, 51),
        fc.integer({ min: 0, max: 80 }),
        fc.integer({ min: 0, max: 150 }),
        fc.array(tieHeavy, { minLength: 400, maxLength: 400 }),
        (c, extraWindow, extraLength, pool) => {
          const minimum = Math.ceil(100 / (100 - c) - 1e-9);
          const window = minimum + extraWindow;
          const r = pool.slice(0, Math.min(pool.length, window + extraLength));
          fc.pre(r.length >= window);
          const rolled = rollingHistoricalVar(r, window, c);
          expect(rolled.length).toBe(r.length - window + 1);
          for (let j = 0; j < rolled.length; j++) expectSameBits(rolled[j], historicalVar(r.slice(j, j + window), c));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('equals historicalVar bit for bit on long windows of real and fat-tailed data', () => {
    const rng = new Xoshiro128(11);
    const r = Float64Array.from({ length: 12_000 }, (_, i) => {
      const v = 0.0003 + 0.01 * rng.nextNormal() * (rng.nextDouble() < 0.05 ? 3 : 1);
      return i % 5 === 0 ? Math.round(v * 500) / 500 : v; // ties in every window
    });
    for (const [window, c] of [[2520, 99], [5000, 97.5], [250, 95]] as const) {
      const rolled = rollingHistoricalVar(r, window, c);
      for (let j = 0; j < rolled.length; j += 53) expect(rolled[j]).toBe(historicalVar(r.subarray(j, j + window), c));
      expect(rolled[rolled.length - 1]).toBe(historicalVar(r.subarray(r.length - window), c));
    }
  });

  it.each(SERIES)('equals numpy’s per-window np.quantile on %s (window 250, 99 %%) to 1e-9', (name) => {
    const r = Object.freeze(simpleReturns(reference.series[name].prices));
    const e = quant.series[name].rolling_var;
    const rolled = rollingHistoricalVar(r, e.window, e.confidence);
    expect(rolled.length).toBe(e.var_returns.length);
    e.var_returns.forEach((v: number, j: number) => expectRel(rolled[j], v));
  });

  it('gives the backtest forecasts as its values but the last (VaR_t from the window before t)', () => {
    const r = simpleReturns(reference.series.CAC.prices);
    const rolled = rollingHistoricalVar(r, 250, 99);
    expect(Array.from(rollingVarForecasts(r, 250, 99, 'historical'))).toEqual(Array.from(rolled.subarray(0, rolled.length - 1)));
  });

  it('answers one value when the series is one window long', () => {
    const r = simpleReturns(reference.series.SMI.prices).slice(0, 100);
    expect(Array.from(rollingHistoricalVar(r, 100, 99))).toEqual([historicalVar(r, 99)]);
  });

  it('does not mutate its input', () => {
    const r = Object.freeze(simpleReturns(reference.series.SMI.prices).slice(0, 300));
    expect(rollingHistoricalVar(r, 100, 99)).toHaveLength(201);
  });

  it('refuses a window shorter than a historical VaR needs, or longer than the series (422)', () => {
    const r = simpleReturns(reference.series.SMI.prices);
    expect(() => rollingHistoricalVar(r, 99, 99)).toThrow(InsufficientDataError);
    expect(() => rollingHistoricalVar(r, 99, 99)).toThrow('window 99 is too short for historical VaR at 99 %: need at least 100 returns');
    expect(() => rollingHistoricalVar(r.slice(0, 50), 60, 95)).toThrow('Cannot compute a rolling VaR over windows of 60 from 50 returns: need at least 60');
  });

  it.each([0, 2.5, NaN])('refuses window %p (400)', (window) => {
    expect(() => rollingHistoricalVar([0.01, 0.02], window, 95)).toThrow(InvalidInputError);
  });

  it('refuses a bad confidence or return, naming it', () => {
    expect(() => rollingHistoricalVar([0.01], 20, 0.95)).toThrow('confidence is a percentage, e.g. 95');
    expect(() => rollingHistoricalVar([...new Array(20).fill(0.01), NaN], 20, 95)).toThrow('returns[20] must be a finite number');
  });
});
