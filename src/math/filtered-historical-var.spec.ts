import fc from 'fast-check';
import { InsufficientDataError, InvalidInputError } from './errors';
import { ewmaRecursion, ewmaVolatility } from './ewma-var';
import { filteredHistoricalCvar, filteredHistoricalVar } from './filtered-historical-var';
import { meanBelow } from './expected-shortfall';
import { quantileType7 } from './quantile';
import { expectRel, loadQuantReference, loadReference, SERIES, simpleReturns } from '../../test/support/reference';

const reference = loadReference();
const quant = loadQuantReference();

const CASES = SERIES.flatMap((name) =>
  (quant.series[name].volatility as Array<Record<string, number>>).map((e) => [name, e.lam, e.confidence, e] as const),
);

/** e_t = r_t / σ_t, computed here from the recursion's σ_t. */
function residuals(r: readonly number[], lambda: number): number[] {
  const sigmas = new Float64Array(r.length);
  ewmaRecursion(r, r, lambda, sigmas);
  return r.map((v, t) => v / sigmas[t]);
}

describe('filtered historical VaR and CVaR', () => {
  it.each(CASES)('equal numpy on %s with λ = %p at %p %%', (name, lambda, confidence, e) => {
    const r = Object.freeze(simpleReturns(reference.series[name].prices));
    expectRel(filteredHistoricalVar(r, confidence, lambda), e.fhs_var);
    expectRel(filteredHistoricalCvar(r, confidence, lambda), e.fhs_cvar);
  });

  it('is the forecast σ times the type-7 quantile and tail mean of the standardised residuals', () => {
    const r = simpleReturns(reference.series.CAC.prices);
    const e = residuals(r, 0.94);
    const s = ewmaVolatility(r, 0.94);
    const q = quantileType7(e, 0.01);
    expect(filteredHistoricalVar(r, 99)).toBe(s * q);
    expect(filteredHistoricalCvar(r, 99)).toBe(s * meanBelow(e, q));
  });

  it('keeps CVaR at or below VaR on random series', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.3, max: 0.3, noNaN: true }).filter((v) => Math.abs(v) > 1e-6), { minLength: 100, maxLength: 400 }),
        fc.constantFrom(95, 99),
        (r, c) => {
          expect(filteredHistoricalCvar(r, c)).toBeLessThanOrEqual(filteredHistoricalVar(r, c));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('does not mutate its input', () => {
    const r = Object.freeze(simpleReturns(reference.series.SMI.prices));
    expect(() => filteredHistoricalVar(r, 95)).not.toThrow();
  });

  it('refuses a series whose EWMA volatility is 0 before a return (its residual is undefined)', () => {
    const r = [...Array.from({ length: 40 }, () => 0), ...Array.from({ length: 60 }, (_, i) => (i % 2 ? 0.01 : -0.01))];
    expect(() => filteredHistoricalVar(r, 95)).toThrow(InsufficientDataError);
    expect(() => filteredHistoricalVar(r, 95)).toThrow('the EWMA volatility before returns[0] is 0 (the first 30 returns and all before it are 0)');
  });

  it('needs ⌈1/α⌉ returns, like historical VaR', () => {
    const r = simpleReturns(reference.series.SMI.prices).slice(0, 99);
    expect(() => filteredHistoricalVar(r, 99)).toThrow('Cannot compute filtered historical VaR from 99 returns at 99 %: need at least 100');
    expect(() => filteredHistoricalCvar(r.slice(0, 19), 95)).toThrow('Cannot compute filtered historical CVaR from 19 returns at 95 %: need at least 20');
  });

  it('refuses a bad λ', () => {
    expect(() => filteredHistoricalVar(simpleReturns(reference.series.SMI.prices), 95, 1)).toThrow(InvalidInputError);
  });
});
