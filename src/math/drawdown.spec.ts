import fc from 'fast-check';
import { drawdownFromReturns, drawdownStats } from './drawdown';
import { InsufficientDataError, InvalidInputError } from './errors';
import { expectRel, loadReference, SERIES, simpleReturns } from '../../test/support/reference';

const reference = loadReference();

// Ulcer index of the closes: numpy 2.4, V = prices, DD = 1 − V / np.maximum.accumulate(V), np.sqrt(np.mean(DD**2)).
const ULCER = { SMI: 0.08232162795271655, CAC: 0.11791663429340479 };

describe('drawdown', () => {
  it.each(SERIES)('reproduces the reference drawdown of the %s closes', (name) => {
    const prices = Object.freeze(reference.series[name].prices);
    const e = reference.series[name].expected.drawdown_prices;
    const d = drawdownStats(prices);
    expectRel(d.maxDrawdown, e.max_drawdown, 1e-12);
    expectRel(d.currentDrawdown, e.current_drawdown, 1e-12);
    expectRel(d.maxDrawdown, reference.series[name].performance_analytics.pa_max_drawdown, 1e-9);
    expectRel(d.ulcerIndex, ULCER[name], 1e-12);
    expect(d).toMatchObject({
      peakIndex: e.peak_index,
      troughIndex: e.trough_index,
      recoveryIndex: e.recovery_index,
      currentDrawdownPeriods: e.current_drawdown_periods,
      longestDrawdownPeriods: e.longest_drawdown_periods,
      count: prices.length,
    });
  });

  it.each(SERIES)('gives the same answer from the %s returns (V_0 = 1) as from the closes', (name) => {
    const prices = reference.series[name].prices;
    const fromPrices = drawdownStats(prices);
    const fromReturns = drawdownFromReturns(simpleReturns(prices));
    expect(fromReturns.count).toBe(prices.length);
    expectRel(fromReturns.maxDrawdown, fromPrices.maxDrawdown, 1e-12);
    expectRel(fromReturns.currentDrawdown, fromPrices.currentDrawdown, 1e-11);
    expectRel(fromReturns.ulcerIndex, fromPrices.ulcerIndex, 1e-11);
    const { peakIndex, troughIndex, recoveryIndex, currentDrawdownPeriods, longestDrawdownPeriods } = fromPrices;
    expect(fromReturns).toMatchObject({ peakIndex, troughIndex, recoveryIndex, currentDrawdownPeriods, longestDrawdownPeriods });
  });

  it('follows the definitions on small curves', () => {
    // not recovered
    expect(drawdownStats([100, 90, 95])).toMatchObject({ peakIndex: 0, troughIndex: 1, recoveryIndex: null, currentDrawdownPeriods: 2, longestDrawdownPeriods: 2, count: 3 });
    expect(drawdownStats([100, 90, 95]).maxDrawdown).toBeCloseTo(0.1, 15);
    expect(drawdownStats([100, 90, 95]).currentDrawdown).toBeCloseTo(0.05, 15);
    // recovered exactly at the peak value; the running max keeps its first index
    expect(drawdownStats([100, 80, 100, 90])).toMatchObject({ peakIndex: 0, troughIndex: 1, recoveryIndex: 2, currentDrawdownPeriods: 3, longestDrawdownPeriods: 1 });
    // peak is the FIRST index of the highest value before the trough
    expect(drawdownStats([100, 90, 100, 80, 105])).toMatchObject({ peakIndex: 0, troughIndex: 3, recoveryIndex: 4, currentDrawdown: 0, currentDrawdownPeriods: 0 });
    // trough is the first time the maximum depth is reached
    expect(drawdownStats([10, 5, 10, 5, 6])).toMatchObject({ peakIndex: 0, troughIndex: 1, recoveryIndex: 2 });
    // a later, deeper drawdown moves the peak
    expect(drawdownStats([10, 9, 12, 6, 7])).toMatchObject({ peakIndex: 2, troughIndex: 3, recoveryIndex: null });
  });

  it('answers all zeros (recovery 0) for a curve that never falls', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 0.05, noNaN: true }), { maxLength: 400 }), (steps) => {
        const r = Object.freeze(steps);
        const curve = [1];
        for (const s of steps) curve.push(curve[curve.length - 1] * (1 + s));
        for (const d of [drawdownStats(curve), ...(steps.length ? [drawdownFromReturns(r)] : [])]) {
          expect(d).toMatchObject({ maxDrawdown: 0, peakIndex: 0, troughIndex: 0, recoveryIndex: 0, currentDrawdown: 0, longestDrawdownPeriods: 0, ulcerIndex: 0 });
        }
      }),
    );
  });

  it('keeps depths in [0, 1] and the indices ordered on random curves', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { minLength: 1, maxLength: 500 }), (r) => {
        const d = drawdownFromReturns(r);
        expect(d.maxDrawdown).toBeGreaterThanOrEqual(0);
        expect(d.maxDrawdown).toBeLessThanOrEqual(1);
        expect(d.currentDrawdown).toBeLessThanOrEqual(d.maxDrawdown);
        expect(d.peakIndex).toBeLessThanOrEqual(d.troughIndex);
        if (d.recoveryIndex !== null && d.maxDrawdown > 0) expect(d.recoveryIndex).toBeGreaterThan(d.troughIndex);
        expect(d.longestDrawdownPeriods).toBeLessThanOrEqual(r.length);
      }),
    );
  });

  it('builds the curve from returns with V_0 = 1', () => {
    const d = drawdownFromReturns([0.1, -0.5, 0.2, 1]);
    expect(d.count).toBe(5);
    expect(d.maxDrawdown).toBeCloseTo(0.5, 15);
    expect(d).toMatchObject({ peakIndex: 1, troughIndex: 2, recoveryIndex: 4, currentDrawdown: 0 });
  });

  it('does not overflow on a very long rising series', () => {
    const r = new Float64Array(1_000_000).fill(0.001); // V_n = 1.001^1e6 overflows a double
    r[500_000] = -0.2;
    const d = drawdownFromReturns(r);
    expect(d.maxDrawdown).toBeCloseTo(0.2, 12);
    expect(d.troughIndex).toBe(500_001);
    expect(d.recoveryIndex).toBe(500_001 + Math.ceil(Math.log(1 / 0.8) / Math.log(1.001)));
    expect(d.currentDrawdown).toBe(0);
    expect(d.currentDrawdownPeriods).toBe(0);
    expect(Number.isFinite(d.ulcerIndex)).toBe(true);
  });

  it('refuses bad curves and returns, naming the element', () => {
    expect(() => drawdownStats([])).toThrow(InsufficientDataError);
    expect(() => drawdownStats([1, 0])).toThrow('values[1] must be a finite number greater than 0');
    expect(() => drawdownStats([1, NaN])).toThrow(InvalidInputError);
    expect(() => drawdownStats([1, -5])).toThrow('values[1] must be a finite number greater than 0');
    expect(() => drawdownFromReturns([])).toThrow('Cannot compute drawdown from 0 returns: need at least 1 return');
    expect(() => drawdownFromReturns([0.1, -1])).toThrow('returns[1] must be greater than -1');
  });
});
