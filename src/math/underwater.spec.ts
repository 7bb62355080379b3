import fc from 'fast-check';
import { drawdownFromReturns, drawdownStats } from './drawdown';
import { InsufficientDataError } from './errors';
import { underwater, underwaterFromReturns } from './underwater';
import { expectRel, loadQuantReference, loadReference, SERIES, simpleReturns } from '../../test/support/reference';

const reference = loadReference();
const quant = loadQuantReference();

/** Every depth equal to numpy's (1 − V / np.maximum.accumulate(V)) within `tol`; zeros exactly. */
function expectDepths(actual: Float64Array, expected: number[], tol: number): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let t = 0; t < expected.length; t++) {
    if (expected[t] === 0) expect(actual[t]).toBe(0);
    else {
      expectRel(actual[t], expected[t], tol);
      worst = Math.max(worst, Math.abs(actual[t] - expected[t]) / expected[t]);
    }
  }
  return worst;
}

describe('underwater', () => {
  it.each(SERIES)('equals numpy on the %s closes', (name) => {
    const prices = Object.freeze(reference.series[name].prices);
    expectDepths(underwater(prices), quant.series[name].underwater_prices, 1e-15);
  });

  it.each(SERIES)('equals numpy (cumulative product V_0 = 1) on the %s returns to 1e-9', (name) => {
    const r = Object.freeze(simpleReturns(reference.series[name].prices));
    expectDepths(underwaterFromReturns(r), quant.series[name].underwater_returns, 1e-9);
  });

  it('starts at 0 and peaks at the max drawdown, to the bit', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { minLength: 1, maxLength: 300 }), (r) => {
        const dd = underwaterFromReturns(r);
        expect(dd.length).toBe(r.length + 1);
        expect(dd[0]).toBe(0);
        expect(Math.max(...dd)).toBe(drawdownFromReturns(r).maxDrawdown);
        expect(dd[r.length]).toBe(drawdownFromReturns(r).currentDrawdown);
      }),
    );
  });

  it('is 0 where the curve stands at its running maximum and positive below it', () => {
    expect(Array.from(underwater([100, 80, 100, 120, 90, 120]))).toEqual([0, 1 - 80 / 100, 0, 0, 1 - 90 / 120, 0]);
    expect(Math.max(...underwater([100, 80, 100, 120, 90, 120]))).toBe(drawdownStats([100, 80, 100, 120, 90, 120]).maxDrawdown);
  });

  it('refuses an empty curve and bad values, naming the element', () => {
    expect(() => underwater([])).toThrow(InsufficientDataError);
    expect(() => underwater([1, -2])).toThrow('values[1] must be a finite number greater than 0');
    expect(() => underwaterFromReturns([])).toThrow(InsufficientDataError);
    expect(() => underwaterFromReturns([0.1, Infinity])).toThrow('returns[1] must be a finite number');
  });
});
