import { cornishFisherVar, cornishFisherVarFromMoments, cornishFisherZ } from './cornish-fisher-var';
import { InsufficientDataError } from './errors';
import { moments } from './moments';
import { normalQuantile } from './normal';
import { expectRel, loadReference, SERIES, simpleReturns } from '../../test/support/reference';

const reference = loadReference();

describe('cornishFisherVar', () => {
  it.each(SERIES)('reproduces the reference modified VaR of %s (σ over n − 1, S and K over n)', (name) => {
    const r = Object.freeze(simpleReturns(reference.series[name].prices));
    for (const [c, e] of Object.entries(reference.series[name].expected.cases as Record<string, { cornish_fisher_var: number }>)) {
      expectRel(cornishFisherVar(r, Number(c)), e.cornish_fisher_var, 1e-12);
    }
  });

  it.each(SERIES)('reproduces PerformanceAnalytics on %s with σ over n (its only difference)', (name) => {
    const r = simpleReturns(reference.series[name].prices);
    const pa = reference.series[name].performance_analytics;
    const m = moments(r);
    const sigmaN = m.stdDev * Math.sqrt((m.count - 1) / m.count);
    for (const c of ['95', '97.5', '99']) {
      const alpha = (100 - Number(c)) / 100;
      expectRel(cornishFisherVarFromMoments(m.mean, sigmaN, m.skewness, m.excessKurtosis, alpha), pa[`pa_cornish_fisher_var_${c}`], 1e-12);
      const rel = Math.abs(cornishFisherVar(r, Number(c)) / pa[`pa_cornish_fisher_var_${c}`] - 1);
      expect(rel).toBeGreaterThan(1e-4);
      expect(rel).toBeLessThan(1e-3);
    }
  });

  it('gives a finite VaR for a series whose dispersion underflows the higher moments (the fuzz: [0, 3.14e-162])', () => {
    const v = cornishFisherVar([0, 3.1434555694052576e-162], 95);
    expect(Number.isFinite(v)).toBe(true);
    expect(v).toBeLessThan(0);
  });

  it('reduces to the Gaussian quantile without skewness and excess kurtosis, and follows the expansion otherwise', () => {
    const z = normalQuantile(0.01);
    expect(cornishFisherZ(z, 0, 0)).toBe(z);
    const z5 = normalQuantile(0.05);
    const expected = z5 + ((z5 * z5 - 1) * -0.5) / 6 + ((z5 ** 3 - 3 * z5) * 3) / 24 - ((2 * z5 ** 3 - 5 * z5) * 0.25) / 36;
    expect(cornishFisherZ(z5, -0.5, 3)).toBeCloseTo(expected, 15);
  });

  it('answers μ for a series without dispersion, and needs two returns', () => {
    expect(cornishFisherVar([0.002, 0.002, 0.002], 99)).toBe(0.002);
    expect(() => cornishFisherVar([0.01], 99)).toThrow(InsufficientDataError);
    expect(() => cornishFisherVar([0.01], 99)).toThrow('Cannot compute Cornish-Fisher VaR from 1 return at 99 %: need at least 2');
  });
});
