import fc from 'fast-check';
import { backtest, christoffersen, conditionalCoverage, kupiecPof, rollingVarForecasts, trafficLight } from './backtest';
import { cornishFisherVar } from './cornish-fisher-var';
import { InsufficientDataError, InvalidInputError } from './errors';
import { historicalVar } from './historical-var';
import { parametricVar } from './parametric-var';
import { Xoshiro128 } from './prng';
import { expectRel, loadReference, simpleReturns } from '../../test/support/reference';

const reference = loadReference();

const smi = Object.freeze(simpleReturns(reference.series.SMI.prices));

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

  it('equal historicalVar on long windows too (the Fenwick-tree path above 4096)', () => {
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

describe('backtest statistics', () => {
  it('Kupiec POF against scipy (chi2.sf, 1 df)', () => {
    // numpy/scipy: LR = −2[(T−x)ln(1−α) + x ln α] + 2[(T−x)ln(1−x/T) + x ln(x/T)]
    const a = kupiecPof(250, 5, 0.01);
    expectRel(a.lr, 1.956809788230622, 1e-12);
    expectRel(a.pValue, 0.1618549171960387, 1e-12);
    const b = kupiecPof(1000, 3, 0.05);
    expectRel(b.lr, 79.40737372173999, 1e-12);
    expectRel(b.pValue, 5.053714343413487e-19, 1e-10);
  });

  it('stays finite at x = 0, x = T and every observation an exception (0·ln 0 = 0)', () => {
    for (const [T, x] of [[250, 0], [250, 250], [1, 1], [1, 0]]) {
      const k = kupiecPof(T, x, 0.01);
      expect(Number.isFinite(k.lr) && Number.isFinite(k.pValue)).toBe(true);
    }
    for (const ind of [[0, 0, 0], [1, 1, 1], [1], [], [0, 1], [1, 0, 1, 0]]) {
      const c = christoffersen(ind);
      expect(Number.isFinite(c.lr) && c.lr >= 0 && c.pValue <= 1).toBe(true);
    }
    const all = backtest({ returns: [-0.5, -0.5, -0.5], varForecasts: [0, 0, 0], confidence: 95 });
    expect(all.exceptions).toBe(3);
    expect(Number.isFinite(all.conditionalCoverage.lr)).toBe(true);
  });

  it('Christoffersen independence from the transition counts (scipy chi2.sf)', () => {
    const c = christoffersen([0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0]);
    expect(c.transitions).toEqual({ n00: 8, n01: 4, n10: 4, n11: 3 });
    expectRel(c.lr, 0.17112602175623692, 1e-12);
    expectRel(c.pValue, 0.6791130093713824, 1e-12);
    const cc = conditionalCoverage({ lr: 1, pValue: 0 }, c);
    expectRel(cc.pValue, Math.exp(-(1 + c.lr) / 2), 1e-15);
  });

  it('colours the Basel traffic light at 99 % over 250 observations only', () => {
    expect([0, 4, 5, 9, 10, 30].map(trafficLight)).toEqual(['green', 'green', 'yellow', 'yellow', 'red', 'red']);
    const short = backtest({ returns: smi.slice(0, 300), confidence: 99, window: 100 });
    expect(short.observations).toBe(200);
    expect(short.trafficLight).toBeNull();
    expect(backtest({ returns: smi, confidence: 95, window: 250 }).trafficLight).toBeNull();
    expect(backtest({ returns: smi, confidence: 99, window: 250 }).trafficLight).toBe('green');
  });

  it('counts exceptions r_t < VaR_t of given forecasts, the last 250 separately', () => {
    const n = 400;
    const returns = Array.from({ length: n }, (_, t) => (t % 40 === 0 ? -0.05 : 0.001));
    const res = backtest({ returns, varForecasts: new Float64Array(n).fill(-0.02), confidence: 99 });
    expect(res).toMatchObject({ observations: 400, exceptions: 10, exceptionsLast250: 6, trafficLight: 'yellow' });
    expectRel(res.expectedExceptions, 4, 1e-15);
    expect(backtest({ returns: [0.01, -0.02], varForecasts: [-0.02, -0.02], confidence: 99 }).exceptions).toBe(0); // not strictly below
  });

  it('runs rolling parametric and Cornish–Fisher backtests', () => {
    const p = backtest({ returns: smi, confidence: 99, window: 250, method: 'parametric' });
    const cf = backtest({ returns: smi, confidence: 99, window: 250, method: 'cornish_fisher' });
    expect(p.observations).toBe(1609);
    expect(p.exceptions).toBeGreaterThan(cf.exceptions); // fat tails: the Gaussian forecast is breached more often
  });

  it('refuses malformed forecasts', () => {
    expect(() => backtest({ returns: [0.01, 0.02], varForecasts: [-0.01], confidence: 99 })).toThrow('var_forecasts must have one value per return (2), got 1');
    expect(() => backtest({ returns: [0.01, 0.02], varForecasts: [-0.01, NaN], confidence: 99 })).toThrow('var_forecasts[1] must be a finite number');
    expect(() => backtest({ returns: [], varForecasts: [], confidence: 99 })).toThrow(InsufficientDataError);
    expect(() => backtest({ returns: smi, confidence: 0.99 })).toThrow('confidence is a percentage, e.g. 95');
  });
});
