import fc from 'fast-check';
import { drawdownFromReturns } from './drawdown';
import { InsufficientDataError, InvalidInputError } from './errors';
import {
  annualizedReturn,
  annualizedVolatility,
  calmarRatio,
  cumulativeReturn,
  performanceStatistics,
  sharpeRatio,
  sortinoRatio,
  winRate,
} from './performance';
import { expectRel, loadQuantReference, loadReference, SERIES, simpleReturns } from '../../test/support/reference';

const reference = loadReference();
const quant = loadQuantReference();

const CASES = SERIES.flatMap((name) =>
  (quant.series[name].performance as Array<Record<string, number | null>>).map((e) => [name, e.periods_per_year, e.risk_free_rate, e] as const),
);

describe('performance statistics', () => {
  describe.each(CASES)('of %s with P = %p and rf = %p', (name, P, rf, e) => {
    const r = Object.freeze(simpleReturns(reference.series[name].prices));
    const opts = { periodsPerYear: P!, riskFreeRate: rf! };
    const s = performanceStatistics(r, opts);

    it('equal numpy to 1e-9', () => {
      expect(s.count).toBe(e.count);
      for (const [ours, theirs] of [
        [s.cumulativeReturn, e.cumulative_return],
        [s.annualizedReturn, e.annualized_return],
        [s.annualizedVolatility, e.annualized_volatility],
        [s.sharpe, e.sharpe],
        [s.sortino, e.sortino],
        [s.calmar, e.calmar],
        [s.maxDrawdown, e.max_drawdown],
        [s.bestPeriod, e.best_period],
        [s.worstPeriod, e.worst_period],
        [s.winRate, e.win_rate],
      ] as const) {
        expectRel(ours!, theirs!);
      }
    });

    it('equal the single-figure functions', () => {
      expect(cumulativeReturn(r)).toBe(s.cumulativeReturn);
      expect(annualizedReturn(r, opts)).toBe(s.annualizedReturn);
      expect(annualizedVolatility(r, opts)).toBe(s.annualizedVolatility);
      expect(sharpeRatio(r, opts)).toBe(s.sharpe);
      expect(sortinoRatio(r, opts)).toBe(s.sortino);
      expect(calmarRatio(r, opts)).toBe(s.calmar);
      expect(winRate(r)).toBe(s.winRate);
      expect(s.maxDrawdown).toBe(drawdownFromReturns(r).maxDrawdown);
    });
  });

  it('defaults to 252 periods a year and no risk-free rate', () => {
    const r = simpleReturns(reference.series.SMI.prices);
    expect(performanceStatistics(r)).toEqual(performanceStatistics(r, { periodsPerYear: 252, riskFreeRate: 0 }));
  });

  it('answers null for Sharpe when every return is equal', () => {
    const s = performanceStatistics([0.01, 0.01, 0.01]);
    expect(s.sharpe).toBeNull();
    expect(s.annualizedVolatility).toBe(0);
  });

  it('answers null for Sortino when no excess return is negative', () => {
    expect(performanceStatistics([0.01, 0.02, 0], { riskFreeRate: 0 }).sortino).toBeNull();
    // the same returns fall below a 3 % risk-free rate on the flat day: Sortino exists
    expect(performanceStatistics([0.01, 0.02, 0], { riskFreeRate: 0.03 }).sortino).not.toBeNull();
  });

  it('answers null for Calmar when the curve never falls', () => {
    const s = performanceStatistics([0.01, 0, 0.02]);
    expect(s.maxDrawdown).toBe(0);
    expect(s.calmar).toBeNull();
  });

  it('answers null for Sortino when the only losses are too small to square', () => {
    expect(performanceStatistics([-5e-324, 0, 0]).sortino).toBeNull();
  });

  it('answers null for the win rate when every return is 0, and counts flat periods neither way', () => {
    expect(performanceStatistics([0, 0]).winRate).toBeNull();
    expect(winRate([0.01, 0, -0.01, 0.02])).toBe(2 / 3);
  });

  it('follows the definitions on a small series', () => {
    const r = [0.1, -0.05, 0.02, -0.01];
    const s = performanceStatistics(r, { periodsPerYear: 4, riskFreeRate: 0.04 });
    const growth = 1.1 * 0.95 * 1.02 * 0.99;
    expect(s.cumulativeReturn).toBeCloseTo(growth - 1, 15);
    expect(s.annualizedReturn).toBeCloseTo(growth - 1, 15); // P = n: one year
    const a = r.map((x) => x - 0.01);
    const mean = a.reduce((x, y) => x + y) / 4;
    const sd = Math.sqrt(a.reduce((x, y) => x + (y - mean) ** 2, 0) / 3);
    expect(s.sharpe!).toBeCloseTo((mean / sd) * 2, 14);
    const dd = Math.sqrt(a.reduce((x, y) => x + Math.min(y, 0) ** 2, 0) / 4);
    expect(s.sortino!).toBeCloseTo((mean * 4) / (dd * 2), 14);
    expect(s.maxDrawdown).toBeCloseTo(0.05, 15); // 1.1 → 1.045, then the curve stays above 1.045
    expect(s).toMatchObject({ count: 4, bestPeriod: 0.1, worstPeriod: -0.05, winRate: 0.5 });
  });

  it('never answers NaN or Infinity on random series', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double({ min: -0.5, max: 0.5, noNaN: true }), fc.constant(0)), { minLength: 2, maxLength: 300 }), (r) => {
        for (const v of Object.values(performanceStatistics(r))) if (v !== null) expect(Number.isFinite(v)).toBe(true);
      }),
    );
  });

  it('refuses a cumulative return beyond the largest double instead of answering Infinity', () => {
    expect(() => performanceStatistics(new Float64Array(1_000_000).fill(0.001))).toThrow(/overflows a double/);
  });

  it('refuses fewer than 2 returns, naming what it needs', () => {
    expect(() => performanceStatistics([0.01])).toThrow(InsufficientDataError);
    expect(() => performanceStatistics([0.01])).toThrow('Cannot compute performance statistics from 1 return: need at least 2');
    expect(() => sharpeRatio([])).toThrow('Cannot compute a Sharpe ratio from 0 returns: need at least 2');
    expect(() => calmarRatio([])).toThrow('Cannot compute an annualized return from 0 returns: need at least 1');
  });

  it.each([
    [{ periodsPerYear: 0 }, 'periods_per_year'],
    [{ periodsPerYear: Infinity }, 'periods_per_year'],
    [{ riskFreeRate: -1 }, 'risk_free_rate'],
    [{ riskFreeRate: NaN }, 'risk_free_rate'],
  ])('refuses options %p, naming the field', (opts, field) => {
    expect(() => performanceStatistics([0.01, 0.02], opts)).toThrow(InvalidInputError);
    expect(() => performanceStatistics([0.01, 0.02], opts)).toThrow(new RegExp(`^${field}`));
  });

  it('refuses a bad return, naming the element', () => {
    expect(() => performanceStatistics([0.01, -1])).toThrow('returns[1] must be greater than -1');
  });
});
