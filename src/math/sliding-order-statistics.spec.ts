import fc from 'fast-check';
import { SlidingOrderStatistics } from './sliding-order-statistics';

describe('SlidingOrderStatistics', () => {
  it('holds the k-th and (k+1)-th smallest of the window after every slide', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(1, 2, 3), fc.integer({ min: -50, max: 50 })), { minLength: 2, maxLength: 200 }),
        fc.integer({ min: 2, max: 40 }),
        fc.nat(),
        (xs, w0, kSeed) => {
          const w = Math.min(w0, xs.length);
          const k = kSeed % (w - 1);
          const s = new SlidingOrderStatistics(xs, w, k);
          for (let j = 0; ; j++) {
            const sorted = xs.slice(j, j + w).sort((a, b) => a - b);
            expect([s.lower, s.upper]).toEqual([sorted[k], sorted[k + 1]]);
            if (j + w >= xs.length) break;
            s.push(xs[j + w]);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('handles the extreme ranks k = 0 and k = w − 2', () => {
    const s = new SlidingOrderStatistics([5, 1, 4], 3, 0);
    expect([s.lower, s.upper]).toEqual([1, 4]);
    s.push(0); // window 1, 4, 0
    expect([s.lower, s.upper]).toEqual([0, 1]);
    const t = new SlidingOrderStatistics([5, 1, 4], 3, 1);
    expect([t.lower, t.upper]).toEqual([4, 5]);
    t.push(9); // window 1, 4, 9
    expect([t.lower, t.upper]).toEqual([4, 9]);
  });

  it('refuses a rank without a neighbour above it, or too few values', () => {
    expect(() => new SlidingOrderStatistics([1, 2, 3], 3, 2)).toThrow(RangeError);
    expect(() => new SlidingOrderStatistics([1, 2], 3, 0)).toThrow(RangeError);
    expect(() => new SlidingOrderStatistics([1], 1, 0)).toThrow(RangeError);
  });
});
