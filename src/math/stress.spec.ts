import fc from 'fast-check';
import { InsufficientDataError, InvalidInputError } from './errors';
import { portfolioReturns } from './portfolio-risk';
import { compoundedReturn, historicalScenarioReturns, shockReturns, worstWindow } from './stress';
import { expectRel, loadQuantReference, stressHistories } from '../../test/support/reference';

const quant = loadQuantReference();
const { histories, alignedDates, aligned } = stressHistories();
const scenarios = quant.stress.scenarios as Array<Record<string, any>>;
const byType = (type: string) => scenarios.filter((s) => s.type === type).map((s) => [s.name, s] as const);

/** The worst window by brute force: every window multiplied out left to right, the earliest on a tie. */
function bruteWorst(r: readonly number[], k: number): [number, number] {
  let best = -1;
  let value = Infinity;
  for (let j = 0; j + k <= r.length; j++) {
    let p = 1;
    for (let t = j; t < j + k; t++) p *= 1 + r[t];
    if (p - 1 < value) [best, value] = [j, p - 1];
  }
  return [best, value];
}

describe('stress scenario returns', () => {
  it('use a book whose aligned dates match numpy’s', () => {
    expect(alignedDates).toHaveLength(quant.stress.aligned_dates);
  });

  it.each(byType('shock'))('%s: the shock per asset, 0 for an asset not listed', (_name, s) => {
    expect(Array.from(shockReturns(['SMI', 'CAC'], s.shocks))).toEqual(s.assets.map((a: { return: number }) => a.return));
    expect(Array.from(shockReturns(['SMI', 'CAC', 'BOND'], { CAC: -0.1 }))).toEqual([0, -0.1, 0]);
  });

  it.each(byType('historical'))('%s: each asset compounded over its own dates in the range, as numpy', (_name, s) => {
    const R = historicalScenarioReturns(histories, s.from, s.to);
    s.assets.forEach((a: { return: number }, i: number) => expectRel(R[i], a.return));
  });

  it.each(byType('worst_window'))('%s of the aligned 60/40 book: the same dates and returns as numpy', (_name, s) => {
    const rp = portfolioReturns([0.6, 0.4], aligned);
    const w = worstWindow(rp, s.days);
    expect([alignedDates[w.start], alignedDates[w.end]]).toEqual([s.from, s.to]);
    expect(w.end - w.start + 1).toBe(s.days);
    expectRel(w.compoundedReturn, s.window_return);
    aligned.forEach((col, i) => expectRel(compoundedReturn(col, w.start, w.end + 1), s.assets[i].return));
  });

  it('finds the window the product definition gives, earliest on ties, on tie-heavy series', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(0, 0.01, -0.01, -0.02, 0.02), fc.double({ min: -0.2, max: 0.2, noNaN: true })), { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 1, max: 30 }),
        (r, k) => {
          fc.pre(k <= r.length);
          const w = worstWindow(r, k);
          const [start, value] = bruteWorst(r, k);
          expect([w.start, w.compoundedReturn]).toEqual([start, value]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('takes the earliest of equal windows', () => {
    expect(worstWindow([0.01, -0.05, 0.01, -0.05, 0.01], 1)).toEqual({ start: 1, end: 1, compoundedReturn: 1 - 0.05 - 1 });
    expect(worstWindow([0, 0, 0, 0], 2)).toEqual({ start: 0, end: 1, compoundedReturn: 0 });
  });

  it('ties windows whose returns are too small to move 1 + r, as the product does', () => {
    expect(worstWindow([5e-324, 0], 1)).toEqual({ start: 0, end: 0, compoundedReturn: 0 });
  });

  it('compounds left to right and answers 0 over an empty range', () => {
    expect(compoundedReturn([0.1, -0.1, 0.05])).toBe(1.1 * 0.9 * 1.05 - 1);
    expect(compoundedReturn([0.1, -0.1], 1, 1)).toBe(0);
  });

  it('refuses a shock on an asset the book does not hold (422) and a bad shock (400)', () => {
    expect(() => shockReturns(['SMI'], { CAC: -0.1 })).toThrow(InsufficientDataError);
    expect(() => shockReturns(['SMI'], { CAC: -0.1 })).toThrow('shocks.CAC: the portfolio holds no asset CAC');
    expect(() => shockReturns(['SMI'], { SMI: -1.5 })).toThrow(InvalidInputError);
    expect(() => shockReturns(['SMI'], { SMI: NaN })).toThrow(/^shocks.SMI must be a finite return of at least -1/);
  });

  it('refuses a historical range with no stored date for an asset, or backwards', () => {
    expect(() => historicalScenarioReturns(histories, '1980-01-01', '1980-12-31')).toThrow(InsufficientDataError);
    expect(() => historicalScenarioReturns(histories, '1980-01-01', '1980-12-31')).toThrow('asset_returns[0] has no stored date from 1980-01-01 to 1980-12-31');
    expect(() => historicalScenarioReturns(histories, '1995-02-01', '1995-01-01')).toThrow('from (1995-02-01) must not be after to (1995-01-01)');
    expect(() => historicalScenarioReturns([{ dates: ['2024-01-02', '2024-01-02'], returns: [0, 0] }], '2024-01-01', '2024-02-01')).toThrow(/strictly ascending/);
    expect(() => historicalScenarioReturns([{ dates: ['2024-01-02'], returns: [0, 0] }], '2024-01-01', '2024-02-01')).toThrow(/2 returns for 1 dates/);
  });

  it('refuses a window longer than the series or not a positive integer', () => {
    expect(() => worstWindow([0.01, 0.02], 3)).toThrow('Cannot find the worst 3-day window in 2 aligned dates: need at least 3');
    expect(() => worstWindow([0.01, 0.02], 0)).toThrow('days must be a positive integer, got 0');
    expect(() => worstWindow([0.01, 0.02], 1.5)).toThrow(InvalidInputError);
  });

  it('does not mutate frozen inputs', () => {
    const r = Object.freeze([0.01, -0.02, 0.03]);
    expect(worstWindow(r, 2).start).toBe(0);
    expect(compoundedReturn(r)).toBeCloseTo(1.01 * 0.98 * 1.03 - 1, 15);
  });
});
