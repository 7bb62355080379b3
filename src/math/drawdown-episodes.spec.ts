import fc from 'fast-check';
import { drawdownFromReturns, drawdownStats } from './drawdown';
import { DrawdownEpisode, drawdownEpisodes, drawdownEpisodesFromReturns } from './drawdown-episodes';
import { InvalidInputError } from './errors';
import { expectRel, loadQuantReference, loadReference, SERIES, simpleReturns } from '../../test/support/reference';

const reference = loadReference();
const quant = loadQuantReference();

/** numpy's episode (snake_case, scripts/reference/quant_reference.py) against ours. */
function expectEpisodes(actual: DrawdownEpisode[], expected: Array<Record<string, number | null>>, tol: number): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((e, i) => {
    const x = expected[i];
    expect({ peak: e.peakIndex, trough: e.troughIndex, recovery: e.recoveryIndex, length: e.length, recoveryPeriods: e.recoveryPeriods }).toEqual({
      peak: x.peak_index,
      trough: x.trough_index,
      recovery: x.recovery_index,
      length: x.length,
      recoveryPeriods: x.recovery_periods,
    });
    expectRel(e.depth, x.depth as number, tol);
  });
}

describe('drawdown episodes', () => {
  it.each(SERIES)('equal numpy on the %s closes (top 10)', (name) => {
    const prices = Object.freeze(reference.series[name].prices);
    expectEpisodes(drawdownEpisodes(prices, 10), quant.series[name].episodes_prices, 1e-15);
  });

  it.each(SERIES)('equal numpy on the %s returns (top 10, curve V_0 = 1)', (name) => {
    const r = Object.freeze(simpleReturns(reference.series[name].prices));
    expectEpisodes(drawdownEpisodesFromReturns(r, 10), quant.series[name].episodes_returns, 1e-9);
  });

  it('lists every episode when top exceeds their number', () => {
    expect(drawdownEpisodes(reference.series.SMI.prices, 1000)).toHaveLength(quant.series.SMI.episode_count_prices);
  });

  it('starts a new episode where the curve returned exactly to its maximum', () => {
    expect(drawdownEpisodes([100, 80, 100, 90, 100, 120, 60], 5)).toEqual([
      { peakIndex: 5, troughIndex: 6, recoveryIndex: null, depth: 0.5, length: 1, recoveryPeriods: null },
      { peakIndex: 0, troughIndex: 1, recoveryIndex: 2, depth: 1 - 80 / 100, length: 1, recoveryPeriods: 1 },
      { peakIndex: 2, troughIndex: 3, recoveryIndex: 4, depth: 1 - 90 / 100, length: 1, recoveryPeriods: 1 },
    ]);
  });

  it('takes the first time an episode reaches its depth as its trough', () => {
    expect(drawdownEpisodes([10, 5, 7, 5, 11], 1)).toEqual([{ peakIndex: 0, troughIndex: 1, recoveryIndex: 4, depth: 0.5, length: 1, recoveryPeriods: 3 }]);
  });

  it('orders equal depths by the earlier peak', () => {
    const e = drawdownEpisodes([100, 50, 100, 200, 100, 200, 400, 200], 3);
    expect(e.map((x) => [x.peakIndex, x.depth])).toEqual([
      [0, 0.5],
      [3, 0.5],
      [6, 0.5],
    ]);
  });

  it('has no episode on a curve that never falls', () => {
    expect(drawdownEpisodes([1, 1, 2, 3, 3], 5)).toEqual([]);
    expect(drawdownEpisodesFromReturns([0, 0.01, 0], 5)).toEqual([]);
  });

  it('puts the max drawdown first, with its depth and trough, and never overlaps episodes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: -0.3, max: 0.3, noNaN: true }), fc.constant(0)), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 25 }),
        (r, top) => {
          const episodes = drawdownEpisodesFromReturns(r, top);
          const stats = drawdownFromReturns(r);
          if (stats.maxDrawdown === 0) {
            expect(episodes).toEqual([]);
            return;
          }
          expect(episodes[0].depth).toBe(stats.maxDrawdown);
          expect(episodes[0].troughIndex).toBe(stats.troughIndex);
          expect(episodes.length).toBeLessThanOrEqual(top);
          for (let i = 1; i < episodes.length; i++) expect(episodes[i].depth).toBeLessThanOrEqual(episodes[i - 1].depth);
          const spans = episodes.map((e) => [e.peakIndex, e.recoveryIndex ?? r.length] as const).sort((a, b) => a[0] - b[0]);
          for (let i = 1; i < spans.length; i++) expect(spans[i][0]).toBeGreaterThanOrEqual(spans[i - 1][1]);
          for (const e of episodes) {
            expect(e.length).toBe(e.troughIndex - e.peakIndex);
            expect(e.length).toBeGreaterThan(0);
            expect(e.recoveryPeriods).toBe(e.recoveryIndex === null ? null : e.recoveryIndex - e.troughIndex);
          }
        },
      ),
    );
  });

  it('agrees with drawdownStats on the deepest episode of an equity curve', () => {
    const prices = reference.series.CAC.prices;
    const [first] = drawdownEpisodes(prices, 1);
    const stats = drawdownStats(prices);
    expect(first).toMatchObject({ depth: stats.maxDrawdown, troughIndex: stats.troughIndex, peakIndex: stats.peakIndex, recoveryIndex: stats.recoveryIndex });
  });

  it.each([0, -1, 2.5, NaN])('refuses top = %p', (top) => {
    expect(() => drawdownEpisodes([1, 2], top)).toThrow(InvalidInputError);
    expect(() => drawdownEpisodesFromReturns([0.1], top)).toThrow(`top must be a positive integer, got ${top}`);
  });
});
