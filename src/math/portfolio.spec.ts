import fc from 'fast-check';
import { computeRisk, RiskMethod } from './var';
import { choleskyPsd, portfolioRisk, portfolioReturns, PortfolioRiskInput } from './portfolio';
import { loadReference, simpleReturns } from '../../test/support/reference';
import { Xoshiro128 } from './prng';

const reference = loadReference();

const smi = simpleReturns(reference.series.SMI.prices);
const cac = simpleReturns(reference.series.CAC.prices);

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

describe('portfolio Euler contributions: further checks', () => {
  const weights = Object.freeze([0.7, 0.5, -0.2]);
  const R = synthetic(3, 400, 99).map((s) => Object.freeze(s));

  it('historical: components are the weighted asset returns at the two order-statistic dates', () => {
    const rp = portfolioReturns(weights, R);
    const order = Array.from(rp.keys()).sort((a, b) => rp[a] - rp[b] || a - b);
    const h = (rp.length - 1) * 0.05;
    const k = Math.floor(h);
    const f = h - k;
    const p = portfolioRisk({ weights, assetReturns: R, confidence: 95, method: 'historical' });
    const tail = order.filter((t) => rp[t] < p.varReturn);
    for (let i = 0; i < 3; i++) {
      expect(p.varComponents[i]).toBeCloseTo(weights[i] * ((1 - f) * R[i][order[k]] + f * R[i][order[k + 1]]), 15);
      expect(p.cvarComponents[i]).toBeCloseTo((weights[i] * tail.reduce((a, t) => a + R[i][t], 0)) / tail.length, 15);
    }
  });

  it.each<RiskMethod>(['historical', 'parametric', 'cornish_fisher', 'monte_carlo'])('%s: the horizon rule applies to each term (10 days)', (method) => {
    const p = portfolioRisk({ weights, assetReturns: R, confidence: 99, method, horizonDays: 10, seed: 4, simulations: 5000 });
    expect(p.scaling).toBe(method === 'parametric' ? 'mean_variance' : method === 'monte_carlo' ? 'simulated' : 'sqrt_time');
    expect(Math.abs(sum(p.varComponents) - p.varReturn)).toBeLessThan(1e-12);
    expect(Math.abs(sum(p.cvarComponents) - p.cvarReturn)).toBeLessThan(1e-12);
    if (method === 'historical' || method === 'cornish_fisher') {
      const one = portfolioRisk({ weights, assetReturns: R, confidence: 99, method });
      for (let i = 0; i < 3; i++) expect(p.varComponents[i]).toBeCloseTo(one.varComponents[i] * Math.sqrt(10), 15);
    }
  });

  it('cornish_fisher CVaR components are wᵢ ∂mES/∂wᵢ on the Edgeworth branch (finite differences)', () => {
    const w = [0.6, 0.4];
    const base = portfolioRisk({ weights: w, assetReturns: [smi, cac], confidence: 95, method: 'cornish_fisher' });
    expect(base.cvarReturn).toBeLessThan(base.varReturn); // E_G < z_cf: not the floor
    for (let i = 0; i < 2; i++) {
      const eps = 1e-6;
      const up = [...w];
      const dn = [...w];
      up[i] += eps;
      dn[i] -= eps;
      const f = (ww: number[]) => portfolioRisk({ weights: ww, assetReturns: [smi, cac], confidence: 95, method: 'cornish_fisher' }).cvarReturn;
      expect(base.cvarComponents[i]).toBeCloseTo((w[i] * (f(up) - f(dn))) / (2 * eps), 9);
    }
  });

  it('a single asset with weight 1 has the VaR of its series and one component equal to it', () => {
    for (const method of ['historical', 'parametric', 'cornish_fisher'] as const) {
      const p = portfolioRisk({ weights: [1], assetReturns: [smi], confidence: 97.5, method, horizonDays: 3 });
      const direct = computeRisk({ returns: smi, confidence: 97.5, method, horizonDays: 3, wantCvar: true });
      expect(p.varReturn).toBe(direct.varReturn);
      expect(p.varComponents[0]).toBeCloseTo(p.varReturn, 15);
      expect(p.cvarComponents[0]).toBeCloseTo(direct.cvarReturn!, 15);
    }
  });

  it('monte carlo: bootstrap resamples whole dates, reproducibly; collinear assets still simulate', () => {
    const a = portfolioRisk({ weights, assetReturns: R, confidence: 99, method: 'monte_carlo', distribution: 'bootstrap', seed: 8, simulations: 20_000 });
    const b = portfolioRisk({ weights, assetReturns: R, confidence: 99, method: 'monte_carlo', distribution: 'bootstrap', seed: 8, simulations: 20_000 });
    expect(Array.from(a.varComponents)).toEqual(Array.from(b.varComponents));
    expect(Math.abs(sum(a.varComponents) - a.varReturn)).toBeLessThan(1e-14);
    // one-period bootstrap scenarios are historical portfolio returns: the VaR lies within their range
    const hist = portfolioReturns(weights, R);
    expect(a.varReturn).toBeGreaterThanOrEqual(Math.min(...hist));
    expect(a.varReturn).toBeLessThanOrEqual(Math.max(...hist));
    const twin = portfolioRisk({ weights: [0.5, 0.5], assetReturns: [smi, smi], confidence: 99, method: 'monte_carlo', seed: 2, simulations: 50_000 });
    const single = portfolioRisk({ weights: [1], assetReturns: [smi], confidence: 99, method: 'parametric' });
    expect(Math.abs(twin.varReturn - single.varReturn)).toBeLessThan(4 * twin.monteCarlo!.standardError);
    expect(twin.varComponents[0]).toBeCloseTo(twin.varComponents[1], 15);
  });

  it('factors a positive semi-definite covariance (L Lᵀ = Σ), rank-deficient included', () => {
    const a = Float64Array.from([4, 2, 2, 2, 1, 1, 2, 1, 3]); // the second column is half the first on rows 1–2
    const l = choleskyPsd(a, 3);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let m = 0; m < 3; m++) s += l[i * 3 + m] * l[j * 3 + m];
        expect(s).toBeCloseTo(a[i * 3 + j], 12);
      }
    }
    expect(l[1 * 3 + 1]).toBe(0);
  });

  it('refuses bad weights, series and too few dates', () => {
    expect(() => portfolioRisk({ weights: [NaN, 1], assetReturns: [smi, cac], confidence: 95, method: 'parametric' })).toThrow('weights[0] must be a finite number');
    expect(() => portfolioRisk({ weights: [], assetReturns: [], confidence: 95, method: 'parametric' })).toThrow(/at least one asset/);
    expect(() => portfolioRisk({ weights: [0.5, 0.5], assetReturns: [smi, [...cac.slice(0, -1), NaN]], confidence: 95, method: 'parametric' })).toThrow(
      `asset_returns[1][${cac.length - 1}] must be a finite number`,
    );
    expect(() => portfolioRisk({ weights: [0.5, 0.5], assetReturns: [smi.slice(0, 50), cac.slice(0, 50)], confidence: 99, method: 'historical' })).toThrow(
      'Cannot compute historical VaR from 50 aligned dates at 99 %: need at least 100',
    );
    expect(() => portfolioRisk({ weights: [1], assetReturns: [smi], confidence: 0.99, method: 'historical' })).toThrow('confidence is a percentage, e.g. 95');
  });
});
