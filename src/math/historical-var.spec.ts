import fc from 'fast-check';
import { InsufficientDataError, InvalidInputError } from './errors';
import { historicalVar } from './historical-var';
import { Xoshiro128 } from './prng';
import { quantileInPlace, quantileType7, selectInPlace } from './quantile';
import { expectRel, loadReference, SERIES, simpleReturns } from '../../test/support/reference';
import { expectOracleQuantile, sortedQuantile } from '../../test/support/quantile-oracle';

const reference = loadReference();

describe('historicalVar', () => {
  it.each(SERIES)('reproduces the reference VaR of %s at every confidence (numpy type 7)', (name) => {
    const r = Object.freeze(simpleReturns(reference.series[name].prices));
    for (const [c, e] of Object.entries(reference.series[name].expected.cases as Record<string, { historical_var: number }>)) {
      expectRel(historicalVar(r, Number(c)), e.historical_var, 1e-12);
      expectRel(historicalVar(Float64Array.from(r), Number(c)), e.historical_var, 1e-12);
    }
  });

  it('interpolates between the two order statistics', () => {
    // numpy 2.4: np.quantile(np.arange(1, 21) / 100 - 0.1, 0.05) == -0.0805 (h = 0.95 between -0.09 and -0.08)
    const x = Array.from({ length: 20 }, (_, i) => (i + 1) / 100 - 0.1).reverse();
    expect(historicalVar(x, 95)).toBeCloseTo(-0.0805, 15);
  });

  it('gets more negative as confidence rises', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.3, max: 0.3, noNaN: true }), { minLength: 200, maxLength: 2000 }),
        fc.double({ min: 50.1, max: 99, noNaN: true }),
        fc.double({ min: 50.1, max: 99, noNaN: true }),
        (r, a, b) => {
          const [lo, hi] = a < b ? [a, b] : [b, a];
          expect(historicalVar(r, hi)).toBeLessThanOrEqual(historicalVar(r, lo));
        },
      ),
    );
  });

  it('refuses too few returns with a message that says how many are needed', () => {
    expect(() => historicalVar([0.01, -0.02, 0.03], 99)).toThrow(InsufficientDataError);
    expect(() => historicalVar([0.01, -0.02, 0.03], 99)).toThrow('Cannot compute historical VaR from 3 returns at 99 %: need at least 100');
    expect(() => historicalVar(new Float64Array(999), 99.9)).toThrow('need at least 1000');
    expect(historicalVar(new Float64Array(1000), 99.9)).toBe(0);
  });

  it('refuses bad values and confidences', () => {
    const r = Array.from({ length: 100 }, (_, i) => Math.sin(i) / 100);
    expect(() => historicalVar([...r, NaN], 95)).toThrow('returns[100] must be a finite number');
    expect(() => historicalVar([...r, -1], 95)).toThrow('returns[100] must be greater than -1');
    expect(() => historicalVar(r, 0.95)).toThrow('confidence is a percentage, e.g. 95');
    expect(() => historicalVar(r, 100)).toThrow(InvalidInputError);
  });
});

describe('type-7 quantile by selection', () => {
  const withTies = fc.array(fc.oneof(fc.double({ min: -1, max: 1, noNaN: true }), fc.constantFrom(-0.01, 0, 0.01, 0.02)), { minLength: 1, maxLength: 5000 });

  it('equals numpy type 7 by full sort on random arrays with duplicates, every p', () => {
    fc.assert(
      fc.property(withTies, fc.double({ min: 0, max: 1, noNaN: true }), (x, p) => {
        expectOracleQuantile(quantileType7(x, p), x, p);
        expectOracleQuantile(quantileType7(Float64Array.from(x), p), x, p);
      }),
      { numRuns: 400 },
    );
  });

  it('handles large arrays (Floyd–Rivest sampling) and adversarial orders (introselect fallback)', () => {
    const rng = new Xoshiro128(9);
    const n = 200_001;
    const base = Float64Array.from({ length: n }, () => Math.round(rng.nextNormal() * 1000) / 1e5); // many ties
    const shapes: Record<string, Float64Array> = {
      random: base,
      ascending: Float64Array.from(base).sort(),
      descending: Float64Array.from(base).sort().reverse(),
      organPipe: Float64Array.from({ length: n }, (_, i) => Math.min(i, n - i)),
      constant: new Float64Array(n).fill(0.5),
      twoValues: Float64Array.from({ length: n }, (_, i) => (i % 2 ? 1 : -1)),
    };
    const failures: string[] = [];
    for (const [name, x] of Object.entries(shapes)) {
      for (const p of [0, 0.001, 0.01, 0.05, 0.5, 0.99, 1]) {
        const got = quantileType7(x, p);
        if (got !== sortedQuantile(x, p)) failures.push(`${name} at ${p}: ${got} ≠ ${sortedQuantile(x, p)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(quantileType7(shapes.constant, 0.3)).toBe(0.5);
  });

  it('partitions around the k-th order statistic in place', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 2000 }), fc.nat(), (xs, j) => {
        const a = Float64Array.from(xs);
        const k = j % a.length;
        selectInPlace(a, k);
        const sorted = Float64Array.from(xs).sort();
        expect(a[k]).toBe(sorted[k]);
        for (let i = 0; i < k; i++) expect(a[i]).toBeLessThanOrEqual(a[k]);
        for (let i = k + 1; i < a.length; i++) expect(a[i]).toBeGreaterThanOrEqual(a[k]);
      }),
      { numRuns: 200 },
    );
  });

  it('leaves frozen and typed inputs untouched, and quantileInPlace works on the first n values only', () => {
    const x = Object.freeze([0.3, -0.2, 0.1, -0.4, 0.0]);
    const t = Float64Array.from(x);
    quantileType7(x, 0.25);
    quantileType7(t, 0.25);
    expect(Array.from(t)).toEqual(x);
    const buf = Float64Array.from([5, 4, 3, 2, 1, -100, -100]);
    expect(quantileInPlace(buf, 5, 0.5)).toBe(3);
  });
});
