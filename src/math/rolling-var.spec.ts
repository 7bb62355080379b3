import fc from 'fast-check';
import { expectRel, loadReference, simpleReturns } from '../../test/support/reference';
import { cornishFisherVar } from './cornish-fisher-var';
import { InvalidInputError } from './errors';
import { historicalVar } from './historical-var';
import { parametricVar } from './parametric-var';
import { Xoshiro128 } from './prng';
import { rollingVarForecasts } from './rolling-var';

const smi = Object.freeze(simpleReturns(loadReference().series.SMI.prices));

function fatTailed(n: number, seed: number): Float64Array {
  const rng = new Xoshiro128(seed);
  return Float64Array.from({ length: n }, () => 0.0003 + 0.01 * rng.nextNormal() * (rng.nextDouble() < 0.05 ? 3 : 1));
}

describe('rolling VaR forecasts', () => {
  it('equal historicalVar on each window (t excluded), exactly', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: -0.2, max: 0.2, noNaN: true }), fc.constantFrom(0, 0.01, -0.01)), { minLength: 120, maxLength: 400 }),
        fc.constantFrom(95, 99),
        fc.integer({ min: 100, max: 119 }),
        (r, c, window) => {
          const f = rollingVarForecasts(r, window, c, 'historical');
          expect(f.length).toBe(r.length - window);
          for (let t = window; t < r.length; t++) expect(f[t - window]).toBe(historicalVar(r.slice(t - window, t), c));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('equal historicalVar on long windows too', () => {
    const r = Float64Array.from(fatTailed(9000, 3), (v, i) => (i % 7 === 0 ? Math.round(v * 1000) / 1000 : v)); // ties included
    for (const window of [4096, 4097, 6000]) {
      const f = rollingVarForecasts(r, window, 99, 'historical');
      for (let t = window; t < r.length; t += 37) expect(f[t - window]).toBe(historicalVar(r.subarray(t - window, t), 99));
      expect(f[r.length - 1 - window]).toBe(historicalVar(r.subarray(r.length - 1 - window, r.length - 1), 99));
    }
  });

  it('equal parametric and Cornish–Fisher VaR on each window to 1e-11, long windows included', () => {
    for (const [n, window] of [[600, 50], [12_000, 5000]]) {
      const r = fatTailed(n, n);
      const p = rollingVarForecasts(r, window, 99, 'parametric');
      const cf = rollingVarForecasts(r, window, 97.5, 'cornish_fisher');
      for (let t = window; t < n; t += n > 1000 ? 97 : 1) {
        const w = r.subarray(t - window, t);
        expectRel(p[t - window], parametricVar(w, 99), 1e-12);
        expectRel(cf[t - window], cornishFisherVar(w, 97.5), 1e-11);
      }
    }
  });

  it('refuses windows it cannot use', () => {
    expect(() => rollingVarForecasts(smi, 1, 99, 'parametric')).toThrow('window must be an integer of at least 2, got 1');
    expect(() => rollingVarForecasts(smi, 2.5, 99, 'parametric')).toThrow(InvalidInputError);
    expect(() => rollingVarForecasts(smi, 50, 99, 'historical')).toThrow('window 50 is too short for historical VaR at 99 %: need at least 100 returns');
    expect(() => rollingVarForecasts(smi.slice(0, 250), 250, 99, 'historical')).toThrow('Cannot backtest 250 returns with a window of 250: need at least 251 returns');
    expect(() => rollingVarForecasts(smi, 250, 99, 'monte_carlo' as 'historical')).toThrow(/method must be one of historical, parametric, cornish_fisher/);
  });
});
