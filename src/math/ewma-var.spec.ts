import fc from 'fast-check';
import { InsufficientDataError, InvalidInputError } from './errors';
import { ewmaCvar, ewmaRecursion, ewmaVar, ewmaVolatility } from './ewma-var';
import { normalPdf, normalQuantile } from './normal';
import { expectRel, loadQuantReference, loadReference, SERIES, simpleReturns } from '../../test/support/reference';

const reference = loadReference();
const quant = loadQuantReference();

const CASES = SERIES.flatMap((name) =>
  (quant.series[name].volatility as Array<Record<string, number>>).map((e) => [name, e.lam, e.confidence, e] as const),
);

describe('EWMA VaR and CVaR', () => {
  it.each(CASES)('equal numpy on %s with λ = %p at %p %%', (name, lambda, confidence, e) => {
    const r = Object.freeze(simpleReturns(reference.series[name].prices));
    expectRel(ewmaVolatility(r, lambda), e.sigma_forecast);
    expectRel(ewmaVar(r, confidence, lambda), e.ewma_var);
    expectRel(ewmaCvar(r, confidence, lambda), e.ewma_cvar);
  });

  it('seeds σ²_1 with the mean square of the first min(30, n) returns', () => {
    // n = 2: σ²_1 = (r1² + r2²)/2, σ²_2 = λσ²_1 + (1 − λ)r1², σ²_3 = λσ²_2 + (1 − λ)r2²
    const r = [0.02, -0.01];
    const s1 = (0.02 ** 2 + 0.01 ** 2) / 2;
    const s3 = 0.9 * (0.9 * s1 + 0.1 * 0.02 ** 2) + 0.1 * 0.01 ** 2;
    expect(ewmaVolatility(r, 0.9)).toBeCloseTo(Math.sqrt(s3), 16);
    // n = 40: only the first 30 enter the seed (returns 31..40 are 0 here, so the seed is their mean over 30)
    const long = [...Array.from({ length: 30 }, () => 0.01), ...Array.from({ length: 10 }, () => 0)];
    expect(ewmaVolatility(long, 0.5)).toBeCloseTo(Math.sqrt(0.0001 * 0.5 ** 40 + (1 - 0.5 ** 30) * 0.0001 * 0.5 ** 10), 16);
  });

  it('writes σ_t from the seed and the returns before t only', () => {
    const r = Array.from({ length: 40 }, (_, i) => Math.sin(i) / 50);
    const sigmas = new Float64Array(40);
    ewmaRecursion(r, r, 0.94, sigmas);
    const changed = [...r.slice(0, 39), -0.5]; // r_40 is past the seed of 30
    const again = new Float64Array(40);
    const forecast = ewmaRecursion(changed, changed, 0.94, again);
    expect(Array.from(again)).toEqual(Array.from(sigmas)); // r_40 enters σ_41 only
    expect(forecast).toBeCloseTo(0.94 * sigmas[39] ** 2 + 0.06 * 0.25, 16);
  });

  it('is z σ and −σφ(z)/α of the forecast, so CVaR ≤ VaR < 0 for any series with volatility', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.3, max: 0.3, noNaN: true }), { minLength: 2, maxLength: 200 }).filter((r) => r.some((v) => Math.abs(v) > 1e-9)),
        fc.constantFrom(95, 97.5, 99),
        fc.double({ min: 0.5, max: 0.999, noNaN: true }),
        (r, c, lambda) => {
          const s = ewmaVolatility(r, lambda);
          const a = (100 - c) / 100;
          expect(ewmaVar(r, c, lambda)).toBe(normalQuantile(a) * s);
          expectRel(ewmaCvar(r, c, lambda), (-s * normalPdf(normalQuantile(a))) / a, 1e-15);
          expect(ewmaCvar(r, c, lambda)).toBeLessThan(ewmaVar(r, c, lambda));
        },
      ),
    );
  });

  it('defaults λ to 0.94', () => {
    const r = simpleReturns(reference.series.SMI.prices);
    expect(ewmaVar(r, 99)).toBe(ewmaVar(r, 99, 0.94));
  });

  it('is 0 for a series without movement', () => {
    expect(ewmaVar([0, 0, 0], 95)).toBe(0);
  });

  it.each([0, 1, -0.5, 1.2, NaN])('refuses λ = %p, naming the field', (lambda) => {
    expect(() => ewmaVar([0.01, 0.02], 95, lambda)).toThrow(InvalidInputError);
    expect(() => ewmaVar([0.01, 0.02], 95, lambda)).toThrow(/^lambda must be a number greater than 0 and less than 1/);
  });

  it('refuses fewer than 2 returns', () => {
    expect(() => ewmaVar([0.01], 95)).toThrow(InsufficientDataError);
    expect(() => ewmaCvar([0.01], 99)).toThrow('Cannot compute EWMA CVaR from 1 return at 99 %: need at least 2');
    expect(() => ewmaVolatility([])).toThrow('Cannot compute an EWMA volatility from 0 returns: need at least 1');
  });
});
