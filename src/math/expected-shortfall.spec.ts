import fc from 'fast-check';
import { cornishFisherVar } from './cornish-fisher-var';
import { InsufficientDataError } from './errors';
import { cornishFisherCvar, cornishFisherTail, historicalCvar, meanBelow, parametricCvar } from './expected-shortfall';
import { historicalVar } from './historical-var';
import { parametricVar } from './parametric-var';
import { expectRel, loadReference, SERIES, simpleReturns } from '../../test/support/reference';

const reference = loadReference();

// Modified ES, independent computation: scipy 1.17 integrate.quad of u·φ(u)[1 + S He3/6 + K He4/24
// + S² He6/72] (scipy.special.eval_hermitenorm) from −∞ to g = z_cf, divided by α; then
// μ + σ·min(E_G, g) with σ over n − 1 and S, K over n (docs/math.md). SMI at 99 % is floored at the
// modified VaR (E_G > g there: the expansion is outside its domain at K = 5.2).
const MODIFIED_ES: Record<'SMI' | 'CAC', Record<string, number>> = {
  SMI: { '95': -0.0283853355733382, '97.5': -0.04811276511668972, '99': -0.03447912722766794 },
  CAC: { '95': -0.026187413030450614, '97.5': -0.03783312077663642, '99': -0.039771798547863585 },
};

describe('expected shortfall', () => {
  describe.each(SERIES)('%s reference figures', (name) => {
    const r = Object.freeze(simpleReturns(reference.series[name].prices));
    const cases = reference.series[name].expected.cases as Record<string, { historical_cvar: number; parametric_cvar: number }>;
    it.each(Object.keys(cases))('historical and parametric CVaR at %s %%', (c) => {
      expectRel(historicalCvar(r, Number(c)), cases[c].historical_cvar, 1e-12);
      expectRel(parametricCvar(r, Number(c)), cases[c].parametric_cvar, 1e-12);
      expectRel(historicalCvar(r, Number(c)), reference.series[name].performance_analytics[`pa_historical_cvar_${c}`], 1e-9);
    });
    it.each(['95', '97.5', '99'])('modified (Cornish–Fisher) CVaR at %s %% equals the quadrature of the Edgeworth tail', (c) => {
      expectRel(cornishFisherCvar(r, Number(c)), MODIFIED_ES[name][c], 1e-10);
      expect(cornishFisherCvar(r, Number(c))).toBeLessThanOrEqual(cornishFisherVar(r, Number(c)));
    });
  });

  it('takes the mean strictly below the quantile, and the quantile when nothing is below', () => {
    expect(meanBelow([1, 2, 3, 4], 2.5)).toBe(1.5);
    expect(meanBelow([1, 2, 3], 1)).toBe(1);
    expect(historicalCvar(new Float64Array(20).fill(0.01), 95)).toBe(0.01);
  });

  it('gives the Gaussian tail mean: μh − σ√h φ(z)/α', () => {
    const r = [0.01, -0.02, 0.015, 0.003, -0.007];
    // numpy/scipy: m, s = x.mean(), x.std(ddof=1); norm.pdf(norm.ppf(0.05)) = 0.10313564037537128
    const m = 0.0002;
    const s = 0.013989281611290838;
    expectRel(parametricCvar(r, 95, 9), 9 * m - (s * 3 * 0.10313564037537128) / 0.05, 1e-12);
  });

  it('falls back to the modified VaR when the Edgeworth tail mean lies above it', () => {
    const t = cornishFisherTail(0.01, -0.53, 5.2);
    expect(t.edgeworthMean).toBeGreaterThan(t.g);
    expect(t.es).toBe(t.g);
    const u = cornishFisherTail(0.05, -0.1, 0.5);
    expect(u.es).toBe(u.edgeworthMean);
    expect(u.es).toBeLessThan(u.g);
  });

  it('is at or below the VaR of the same method', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -0.2, max: 0.2, noNaN: true }), { minLength: 100, maxLength: 600 }), fc.constantFrom(95, 97.5, 99), (r, c) => {
        expect(historicalCvar(r, c)).toBeLessThanOrEqual(historicalVar(r, c));
        expect(parametricCvar(r, c)).toBeLessThanOrEqual(parametricVar(r, c));
        expect(cornishFisherCvar(r, c)).toBeLessThanOrEqual(cornishFisherVar(r, c));
      }),
    );
  });

  it('needs as many returns as the matching VaR', () => {
    expect(() => historicalCvar([0.01, 0.02], 95)).toThrow(InsufficientDataError);
    expect(() => historicalCvar([0.01, 0.02], 95)).toThrow('Cannot compute historical CVaR from 2 returns at 95 %: need at least 20');
    expect(() => parametricCvar([0.01], 95)).toThrow(InsufficientDataError);
    expect(() => cornishFisherCvar([0.01], 95)).toThrow(InsufficientDataError);
  });
});
