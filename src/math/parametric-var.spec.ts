import fc from 'fast-check';
import { InsufficientDataError } from './errors';
import { moments } from './moments';
import { normalQuantile } from './normal';
import { gaussianVar, parametricVar } from './parametric-var';
import { expectRel, loadReference, SERIES, simpleReturns } from '../../test/support/reference';

const reference = loadReference();

describe('parametricVar', () => {
  it.each(SERIES)('reproduces the reference one-day and 10-day VaR of %s (scipy norm.ppf, σ over n − 1)', (name) => {
    const r = Object.freeze(simpleReturns(reference.series[name].prices));
    for (const [c, e] of Object.entries(reference.series[name].expected.cases as Record<string, { parametric_var: number; parametric_var_10d: number }>)) {
      expectRel(parametricVar(r, Number(c)), e.parametric_var, 1e-12);
      expectRel(parametricVar(r, Number(c), 10), e.parametric_var_10d, 1e-12);
    }
  });

  it.each(SERIES)('reproduces PerformanceAnalytics on %s only with σ over n, and differs from it from the 4th digit', (name) => {
    // PA's VaR(method = "gaussian") uses σ = √m2 (divisor n): same formula, smaller σ.
    const r = simpleReturns(reference.series[name].prices);
    const pa = reference.series[name].performance_analytics;
    const m = moments(r);
    const sigmaN = m.stdDev * Math.sqrt((m.count - 1) / m.count);
    for (const c of ['95', '97.5', '99']) {
      const alpha = (100 - Number(c)) / 100;
      expectRel(gaussianVar(m.mean, sigmaN, alpha), pa[`pa_parametric_var_${c}`], 1e-12);
      const rel = Math.abs(parametricVar(r, Number(c)) / pa[`pa_parametric_var_${c}`] - 1);
      expect(rel).toBeGreaterThan(1e-4);
      expect(rel).toBeLessThan(1e-3);
    }
  });

  it('scales by mean–variance: μh + zσ√h', () => {
    const r = [0.01, -0.02, 0.015, 0.003, -0.007];
    const m = moments(r);
    const z = normalQuantile(0.05);
    expect(parametricVar(r, 95, 4)).toBeCloseTo(4 * m.mean + 2 * z * m.stdDev, 15);
  });

  it('gets more negative as confidence rises', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.3, max: 0.3, noNaN: true }), { minLength: 2, maxLength: 500 }),
        fc.double({ min: 50.1, max: 99.9, noNaN: true }),
        fc.double({ min: 50.1, max: 99.9, noNaN: true }),
        (r, a, b) => {
          const [lo, hi] = a < b ? [a, b] : [b, a];
          expect(parametricVar(r, hi)).toBeLessThanOrEqual(parametricVar(r, lo));
        },
      ),
    );
  });

  it('needs two returns', () => {
    expect(() => parametricVar([0.01], 95)).toThrow(InsufficientDataError);
    expect(() => parametricVar([0.01], 95)).toThrow('Cannot compute parametric VaR from 1 return at 95 %: need at least 2');
    expect(() => parametricVar([0.01, 0.02], 95, 0)).toThrow(/horizon_days/);
  });
});
