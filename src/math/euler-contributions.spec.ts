import { loadReference, simpleReturns } from '../../test/support/reference';
import { syntheticAssets } from '../../test/support/synthetic-returns';
import { portfolioReturns, portfolioRisk } from './portfolio-risk';

const reference = loadReference();
const smi = simpleReturns(reference.series.SMI.prices);
const cac = simpleReturns(reference.series.CAC.prices);

describe('Euler contributions in closed form', () => {
  const weights = [0.6, 0.4];
  const assets = [smi, cac];

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

  it('cornish_fisher components are wᵢ ∂VaR/∂wᵢ (central finite differences)', () => {
    const R = syntheticAssets(4, 500, 11);
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
});

describe('historical Euler contributions', () => {
  const weights = Object.freeze([0.7, 0.5, -0.2]);
  const R = syntheticAssets(3, 400, 99).map((s) => Object.freeze(s));

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
});
