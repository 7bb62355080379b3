import fc from 'fast-check';
import { computeRisk, RiskMethod } from './var';
import { portfolioRisk, portfolioReturns, PortfolioRiskInput } from './portfolio';
import { reference, returnsOf } from './testing/reference';
import { Xoshiro128 } from './prng';

const smi = returnsOf(reference.series.SMI.prices);
const cac = returnsOf(reference.series.CAC.prices);

function synthetic(k: number, n: number, seed: number): number[][] {
  const rng = new Xoshiro128(seed);
  const common = Array.from({ length: n }, () => rng.nextNormal());
  return Array.from({ length: k }, (_, i) =>
    Array.from({ length: n }, (_, t) => 0.0002 * i + 0.01 * (0.6 * common[t] + 0.8 * rng.nextNormal()) + (rng.nextDouble() < 0.03 ? -0.03 : 0)),
  );
}
const sum = (x: Float64Array) => x.reduce((a, b) => a + b, 0);

describe('portfolio VaR and Euler contributions', () => {
  const weights = [0.6, 0.4];
  const assets = [smi, cac];

  it.each<RiskMethod>(['historical', 'parametric', 'cornish_fisher'])('%s: equals the VaR and CVaR of the weighted series', (method) => {
    for (const h of [1, 10]) {
      const p = portfolioRisk({ weights, assetReturns: assets, confidence: 99, method, horizonDays: h });
      const direct = computeRisk({ returns: portfolioReturns(weights, assets), confidence: 99, method, horizonDays: h, wantCvar: true });
      expect(p.varReturn).toBeCloseTo(direct.varReturn, 14);
      expect(p.cvarReturn).toBeCloseTo(direct.cvarReturn!, 14);
      expect(Math.abs(sum(p.varComponents) - p.varReturn)).toBeLessThan(1e-12 * Math.abs(p.varReturn));
      expect(Math.abs(sum(p.cvarComponents) - p.cvarReturn)).toBeLessThan(1e-12 * Math.abs(p.cvarReturn));
    }
  });

  it.each<RiskMethod>(['historical', 'parametric', 'cornish_fisher', 'monte_carlo'])('%s: components sum to the figure for random books, shorts included', (method) => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 1e9 }), fc.constantFrom(95, 99), (k, seed, c) => {
        const R = synthetic(k, 300, seed);
        const rng = new Xoshiro128(seed + 1);
        const raw = Array.from({ length: k }, () => rng.nextDouble() * 2 - 0.5);
        const total = raw.reduce((a, b) => a + b, 0) || 1;
        const w = raw.map((x) => x / total);
        const p = portfolioRisk({ weights: w, assetReturns: R, confidence: c, method, seed, simulations: 2000 });
        const tol = 1e-10 * Math.max(1e-6, Math.abs(p.varReturn));
        expect(Math.abs(sum(p.varComponents) - p.varReturn)).toBeLessThan(tol);
        expect(Math.abs(sum(p.cvarComponents) - p.cvarReturn)).toBeLessThan(1e-10 * Math.max(1e-6, Math.abs(p.cvarReturn)));
      }),
      { numRuns: 25 },
    );
  });

  it('cornish_fisher components are wᵢ ∂VaR/∂wᵢ (central finite differences)', () => {
    const R = synthetic(4, 500, 11);
    const w = [0.4, 0.3, 0.5, -0.2];
    const f = (ww: number[], which: 'varReturn' | 'cvarReturn') => portfolioRisk({ weights: ww, assetReturns: R, confidence: 99, method: 'cornish_fisher' })[which];
    const base = portfolioRisk({ weights: w, assetReturns: R, confidence: 99, method: 'cornish_fisher' });
    for (const which of ['varReturn', 'cvarReturn'] as const) {
      const comps = which === 'varReturn' ? base.varComponents : base.cvarComponents;
      for (let i = 0; i < w.length; i++) {
        const eps = 1e-6;
        const up = [...w];
        const dn = [...w];
        up[i] += eps;
        dn[i] -= eps;
        const grad = (f(up, which) - f(dn, which)) / (2 * eps);
        expect(comps[i]).toBeCloseTo(w[i] * grad, 8);
      }
    }
  });

  it('parametric components match the covariance formula for two assets', () => {
    const p = portfolioRisk({ weights, assetReturns: assets, confidence: 95, method: 'parametric' });
    // Independent check: marginal of asset 1 = (Σw)_1 / σ_p with the sample covariance.
    const n = smi.length;
    const m1 = smi.reduce((a, b) => a + b, 0) / n;
    const m2 = cac.reduce((a, b) => a + b, 0) / n;
    let c11 = 0, c12 = 0, c22 = 0;
    for (let t = 0; t < n; t++) {
      c11 += (smi[t] - m1) ** 2;
      c12 += (smi[t] - m1) * (cac[t] - m2);
      c22 += (cac[t] - m2) ** 2;
    }
    [c11, c12, c22] = [c11 / (n - 1), c12 / (n - 1), c22 / (n - 1)];
    const sp = Math.sqrt(0.36 * c11 + 2 * 0.24 * c12 + 0.16 * c22);
    const z = -1.6448536269514722;
    expect(p.varComponents[0]).toBeCloseTo(0.6 * (m1 + (z * (0.6 * c11 + 0.4 * c12)) / sp), 12);
  });

  it('monte carlo is reproducible by seed and close to the parametric figure', () => {
    const input: PortfolioRiskInput = { weights, assetReturns: assets, confidence: 99, method: 'monte_carlo', seed: 5, simulations: 50_000 };
    const a = portfolioRisk(input);
    const b = portfolioRisk(input);
    expect(Object.is(a.varReturn, b.varReturn)).toBe(true);
    const param = portfolioRisk({ ...input, method: 'parametric' });
    expect(Math.abs(a.varReturn - param.varReturn)).toBeLessThan(4 * a.monteCarlo!.standardError);
  });

  it('refuses mismatched inputs', () => {
    expect(() => portfolioRisk({ weights: [1], assetReturns: [smi, cac], confidence: 95, method: 'historical' })).toThrow(/one weight per asset/);
    expect(() => portfolioRisk({ weights: [0.5, 0.5], assetReturns: [smi, cac.slice(1)], confidence: 95, method: 'historical' })).toThrow(/aligned/);
  });
});
