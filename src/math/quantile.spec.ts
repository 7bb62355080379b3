import fc from 'fast-check';
import { lowTailQuantile, quantileType7, quantileWithIndices } from './quantile';

/** numpy.quantile(x, p, method='linear') by a full sort, as the oracle. */
function sortedQuantile(x: readonly number[], p: number): number {
  const s = [...x].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const k = Math.floor(h);
  return k + 1 < s.length ? s[k] + (h - k) * (s[k + 1] - s[k]) : s[k];
}

const series = fc.array(fc.oneof(fc.double({ min: -0.5, max: 0.5, noNaN: true }), fc.constantFrom(0, 0.01, -0.01)), { minLength: 1, maxLength: 3000 });

describe('quantileType7', () => {
  it('equals the type-7 quantile of a full sort, duplicates included', () => {
    fc.assert(
      fc.property(series, fc.double({ min: 0, max: 1, noNaN: true }), (x, p) => {
        expect(quantileType7(x, p)).toBe(sortedQuantile(x, p));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same low-tail quantile from the one-pass small-tail buffer', () => {
    fc.assert(
      fc.property(series, fc.double({ min: 0, max: 0.05, noNaN: true }), (x, p) => {
        const q = lowTailQuantile(x, p);
        if (q !== undefined) expect(q).toBe(sortedQuantile(x, p));
      }),
      { numRuns: 300 },
    );
  });

  it('matches numpy on a small example', () => {
    // numpy 2.4: np.quantile([3, 1, 4, 1, 5, 9, 2, 6], 0.05) == 1.0; at 0.3 == 1.1 + 0.9 = 2.1
    expect(quantileType7([3, 1, 4, 1, 5, 9, 2, 6], 0.05)).toBe(1);
    expect(quantileType7([3, 1, 4, 1, 5, 9, 2, 6], 0.3)).toBeCloseTo(2.1, 14);
  });

  it('never changes its input', () => {
    fc.assert(
      fc.property(series, (x) => {
        const frozen = Object.freeze([...x]);
        const typed = Float64Array.from(x);
        quantileType7(frozen, 0.05);
        quantileType7(typed, 0.01);
        expect(Array.from(typed)).toEqual(x);
      }),
      { numRuns: 100 },
    );
  });

  it('gives the dates of the two order statistics it interpolates', () => {
    fc.assert(
      fc.property(series, fc.double({ min: 0, max: 1, noNaN: true }), (x, p) => {
        const q = quantileWithIndices(x, p);
        expect(q.value).toBeCloseTo(sortedQuantile(x, p), 12);
        expect((1 - q.fraction) * x[q.lowIndex] + q.fraction * x[q.highIndex]).toBeCloseTo(q.value, 12);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects an empty series and a probability outside [0, 1]', () => {
    expect(() => quantileType7([], 0.5)).toThrow(/empty/);
    expect(() => quantileType7([1], 1.5)).toThrow(/\[0, 1\]/);
  });
});
