import fc from 'fast-check';
import { InsufficientDataError } from './errors';
import { centralMoments, moments } from './moments';
import { expectRel } from '../../test/support/reference';

describe('moments', () => {
  it('matches numpy / scipy on a small sample', () => {
    // numpy 2.4 / scipy 1.17: x = [0.01, -0.02, 0.03, 0.005, -0.04, 0.012, 0.0, 0.025]
    // x.mean(), x.std(ddof=1), scipy.stats.skew(x), scipy.stats.kurtosis(x)
    const x = Object.freeze([0.01, -0.02, 0.03, 0.005, -0.04, 0.012, 0.0, 0.025]);
    const m = moments(x);
    expect(m.count).toBe(8);
    expectRel(m.mean, 0.0027499999999999994, 1e-13);
    expectRel(m.stdDev, 0.023094526253143687, 1e-13);
    expectRel(m.skewness, -0.7127893137663525, 1e-12);
    expectRel(m.excessKurtosis, -0.4663886306659708, 1e-12);
    expect(m.min).toBe(-0.04);
    expect(m.max).toBe(0.03);
  });

  it('answers σ = S = K = 0 for one value and for a constant series, never NaN', () => {
    expect(moments([0.01])).toEqual({ count: 1, mean: 0.01, stdDev: 0, skewness: 0, excessKurtosis: 0, min: 0.01, max: 0.01 });
    expect(moments(new Float64Array(50).fill(0.003))).toEqual({ count: 50, mean: 0.003, stdDev: 0, skewness: 0, excessKurtosis: 0, min: 0.003, max: 0.003 });
  });

  it('answers S = K = 0, not NaN, when the dispersion is too small for m2^1.5 or m2^2 in float64 (found by the fuzz: [0, 3.14e-162])', () => {
    for (const x of [[0, 3.1434555694052576e-162], [1e-170, -1e-170, 0], [5e-324, 0, 0, 5e-324]]) {
      const m = moments(x);
      expect([m.skewness, m.excessKurtosis]).toEqual([0, 0]);
      expect(Number.isFinite(m.stdDev)).toBe(true);
    }
    // Just above the underflow the figures are still computed.
    expectRel(moments([0, 1e-75, 3e-75]).skewness, moments([0, 1, 3]).skewness, 1e-12);
  });

  it('refuses an empty series', () => {
    expect(() => moments([])).toThrow(InsufficientDataError);
    expect(() => moments([])).toThrow('Cannot compute moments of 0 returns: need at least 1');
  });

  it('is invariant to a shift (skewness, kurtosis, σ) and to order', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { minLength: 3, maxLength: 300 }), (x) => {
        const a = moments(x);
        if (a.stdDev < 1e-6) return;
        const b = moments(x.map((v) => v + 0.01));
        const c = moments([...x].reverse());
        expect(b.stdDev).toBeCloseTo(a.stdDev, 10);
        expect(b.skewness).toBeCloseTo(a.skewness, 6);
        expect(c.excessKurtosis).toBeCloseTo(a.excessKurtosis, 9);
      }),
    );
  });

  it('reports central moments over n', () => {
    const c = centralMoments([1, 2, 3, 4]);
    expect(c).toMatchObject({ count: 4, mean: 2.5, m2: 1.25, m3: 0, m4: 2.5625, degenerate: false });
  });
});
