import fc from 'fast-check';
import { expectRel, loadQuantReference, loadReference, simpleReturns } from '../../test/support/reference';
import { syntheticAssets } from '../../test/support/synthetic-returns';
import { portfolioReturns, portfolioRisk, portfolioVarReturn } from './portfolio-risk';
import { Xoshiro128 } from './prng';
import { EulerVarMethod, VarMethod } from './types';
import { computeRisk } from './var';

const reference = loadReference();
const quant = loadQuantReference();
const smi = simpleReturns(reference.series.SMI.prices);
const cac = simpleReturns(reference.series.CAC.prices);
const sum = (x: Float64Array) => x.reduce((a, b) => a + b, 0);

describe('portfolioRisk', () => {
  const weights = [0.6, 0.4];
  const assets = [smi, cac];

  it.each<EulerVarMethod>(['historical', 'parametric', 'cornish_fisher'])('%s: equals the VaR and CVaR of the weighted series', (method) => {
    for (const h of [1, 10]) {
      const p = portfolioRisk({ weights, assetReturns: assets, confidence: 99, method, horizonDays: h });
      const direct = computeRisk({ returns: portfolioReturns(weights, assets), confidence: 99, method, horizonDays: h, wantCvar: true });
      expect(p.varReturn).toBeCloseTo(direct.varReturn, 14);
      expect(p.cvarReturn).toBeCloseTo(direct.cvarReturn!, 14);
      expect(Math.abs(sum(p.varComponents) - p.varReturn)).toBeLessThan(1e-12 * Math.abs(p.varReturn));
      expect(Math.abs(sum(p.cvarComponents) - p.cvarReturn)).toBeLessThan(1e-12 * Math.abs(p.cvarReturn));
    }
  });

  it.each<EulerVarMethod>(['historical', 'parametric', 'cornish_fisher', 'monte_carlo'])('%s: components sum to the figure for random books, shorts included', (method) => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 1e9 }), fc.constantFrom(95, 99), (k, seed, c) => {
        const R = syntheticAssets(k, 300, seed);
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

  it('a single asset with weight 1 has the VaR of its series and one component equal to it', () => {
    for (const method of ['historical', 'parametric', 'cornish_fisher'] as const) {
      const p = portfolioRisk({ weights: [1], assetReturns: [smi], confidence: 97.5, method, horizonDays: 3 });
      const direct = computeRisk({ returns: smi, confidence: 97.5, method, horizonDays: 3, wantCvar: true });
      expect(p.varReturn).toBe(direct.varReturn);
      expect(p.varComponents[0]).toBeCloseTo(p.varReturn, 15);
      expect(p.cvarComponents[0]).toBeCloseTo(direct.cvarReturn!, 15);
    }
  });

  it('refuses mismatched inputs', () => {
    expect(() => portfolioRisk({ weights: [1], assetReturns: [smi, cac], confidence: 95, method: 'historical' })).toThrow(/one weight per asset/);
    expect(() => portfolioRisk({ weights: [0.5, 0.5], assetReturns: [smi, cac.slice(1)], confidence: 95, method: 'historical' })).toThrow(/aligned/);
  });
});

describe('portfolioRisk over a book with a short position', () => {
  const weights = Object.freeze([0.7, 0.5, -0.2]);
  const R = syntheticAssets(3, 400, 99).map((s) => Object.freeze(s));

  it.each<EulerVarMethod>(['historical', 'parametric', 'cornish_fisher', 'monte_carlo'])('%s: the horizon rule applies to each term (10 days)', (method) => {
    const p = portfolioRisk({ weights, assetReturns: R, confidence: 99, method, horizonDays: 10, seed: 4, simulations: 5000 });
    expect(p.scaling).toBe(method === 'parametric' ? 'mean_variance' : method === 'monte_carlo' ? 'simulated' : 'sqrt_time');
    expect(Math.abs(sum(p.varComponents) - p.varReturn)).toBeLessThan(1e-12);
    expect(Math.abs(sum(p.cvarComponents) - p.cvarReturn)).toBeLessThan(1e-12);
    if (method === 'historical' || method === 'cornish_fisher') {
      const one = portfolioRisk({ weights, assetReturns: R, confidence: 99, method });
      for (let i = 0; i < 3; i++) expect(p.varComponents[i]).toBeCloseTo(one.varComponents[i] * Math.sqrt(10), 15);
    }
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

describe('portfolioRisk with a volatility model', () => {
  const assets = [smi, cac].map((s) => Object.freeze(s));
  const BOOKS = Object.entries(quant.portfolio as Record<string, any>);

  describe.each(BOOKS)('of the %s SMI/CAC book', (_book, ref) => {
    const weights = Object.freeze(ref.weights as number[]);

    it.each((ref.ewma as Array<Record<string, any>>).map((e) => [e.lam, e.confidence, e] as const))(
      'ewma with λ = %p at %p %%: VaR, CVaR and Euler components with the EWMA covariance equal numpy',
      (lambda, confidence, e) => {
        const p = portfolioRisk({ weights, assetReturns: assets, confidence, method: 'ewma', lambda });
        expectRel(p.varReturn, e.var);
        expectRel(p.cvarReturn, e.cvar);
        expectRel(p.volatility!.sigmaForecast, e.sigma_forecast);
        for (let i = 0; i < 2; i++) {
          expectRel(p.varComponents[i], e.var_components[i]);
          expectRel(p.cvarComponents[i], e.cvar_components[i]);
        }
        expectRel(sum(p.varComponents), p.varReturn, 1e-13);
        expectRel(sum(p.cvarComponents), p.cvarReturn, 1e-13);
      },
    );

    it.each((ref.filtered_historical as Array<Record<string, any>>).map((e) => [e.lam, e.confidence, e] as const))(
      'filtered_historical with λ = %p at %p %%: VaR and CVaR of r_p equal numpy, no contributions',
      (lambda, confidence, e) => {
        const p = portfolioRisk({ weights, assetReturns: assets, confidence, method: 'filtered_historical', lambda });
        expectRel(p.varReturn, e.fhs_var);
        expectRel(p.cvarReturn, e.fhs_cvar);
        expectRel(p.volatility!.sigmaForecast, e.sigma_forecast);
        expect(p.varComponents).toBeNull();
        expect(p.cvarComponents).toBeNull();
      },
    );
  });

  it('ewma: the figure of the weighted series, components summing to it for random books, √h on each term', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 1e9 }), fc.constantFrom(95, 99), fc.integer({ min: 1, max: 20 }), (k, seed, c, h) => {
        const R = syntheticAssets(k, 200, seed);
        const rng = new Xoshiro128(seed + 1);
        const w = Array.from({ length: k }, () => rng.nextDouble() * 2 - 0.5);
        const p = portfolioRisk({ weights: w, assetReturns: R, confidence: c, method: 'ewma', horizonDays: h });
        const direct = computeRisk({ returns: portfolioReturns(w, R), confidence: c, method: 'ewma', horizonDays: h, wantCvar: true });
        expect(p.varReturn).toBe(direct.varReturn);
        expect(p.cvarReturn).toBe(direct.cvarReturn);
        expect(Math.abs(sum(p.varComponents) - p.varReturn)).toBeLessThan(1e-12 * Math.max(1e-6, Math.abs(p.varReturn)));
        expect(Math.abs(sum(p.cvarComponents) - p.cvarReturn)).toBeLessThan(1e-12 * Math.max(1e-6, Math.abs(p.cvarReturn)));
      }),
      { numRuns: 40 },
    );
  });

  it('filtered_historical equals computeRisk on the weighted series', () => {
    const w = [0.3, 0.7];
    const p = portfolioRisk({ weights: w, assetReturns: [smi, cac], confidence: 97.5, method: 'filtered_historical', horizonDays: 5 });
    const direct = computeRisk({ returns: portfolioReturns(w, [smi, cac]), confidence: 97.5, method: 'filtered_historical', horizonDays: 5, wantCvar: true });
    expect([p.varReturn, p.cvarReturn, p.scaling]).toEqual([direct.varReturn, direct.cvarReturn, 'sqrt_time']);
  });

  it('ewma: a book without volatility has VaR 0 and zero components', () => {
    const flat = new Float64Array(50);
    const p = portfolioRisk({ weights: [0.5, 0.5], assetReturns: [flat, flat], confidence: 99, method: 'ewma' });
    expect([p.varReturn, ...p.varComponents, ...p.cvarComponents]).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('portfolioVarReturn (the VaR of portfolioRisk alone)', () => {
  // Monte Carlo is portfolioRisk's own figure (the same call).
  const methods: VarMethod[] = ['historical', 'parametric', 'cornish_fisher', 'ewma', 'filtered_historical', 'monte_carlo'];

  it.each(methods.filter((m) => m !== 'monte_carlo'))('%s: the same figure as portfolioRisk, bit for bit, for random books, shorts, horizons and ties included', (method) => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 100, max: 700 }),
        fc.integer({ min: 0, max: 1e9 }),
        fc.constantFrom(90, 95, 97.5, 99),
        fc.constantFrom(1, 5, 10),
        fc.constantFrom(0.9, 0.94, 0.97),
        fc.boolean(),
        (k, n, seed, confidence, horizonDays, lambda, rounded) => {
          // Rounded returns (to 0.1 %) make ties among the portfolio's returns, where order statistics could disagree.
          const R = syntheticAssets(k, n, seed).map((s) => (rounded ? s.map((r) => Math.round(r * 1000) / 1000) : s));
          const rng = new Xoshiro128(seed + 1);
          const raw = Array.from({ length: k }, () => rng.nextDouble() * 2 - 0.5);
          const total = raw.reduce((a, b) => a + b, 0) || 1;
          const input = { weights: raw.map((x) => x / total), assetReturns: R, confidence, method, horizonDays, lambda, seed, simulations: 500 };
          expect(Object.is(portfolioVarReturn(input), portfolioRisk(input).varReturn)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it.each(methods)('%s: a book without dispersion (constant returns) gives the same figure', (method) => {
    const input = { weights: [0.5, 0.5], assetReturns: [new Array(200).fill(0.001), new Array(200).fill(-0.002)], confidence: 99, method, seed: 3, simulations: 500 };
    expect(Object.is(portfolioVarReturn(input), portfolioRisk(input).varReturn)).toBe(true);
  });

  it('refuses what portfolioRisk refuses, with the same message', () => {
    const bad = [
      { weights: [NaN, 1], assetReturns: [smi, cac], confidence: 95, method: 'parametric' as const },
      { weights: [1], assetReturns: [smi, cac], confidence: 95, method: 'historical' as const },
      { weights: [0.5, 0.5], assetReturns: [smi, cac.slice(1)], confidence: 95, method: 'historical' as const },
      { weights: [0.5, 0.5], assetReturns: [smi, [...cac.slice(0, -1), NaN]], confidence: 95, method: 'ewma' as const },
      { weights: [0.5, 0.5], assetReturns: [smi.slice(0, 50), cac.slice(0, 50)], confidence: 99, method: 'historical' as const },
      { weights: [1], assetReturns: [smi], confidence: 0.99, method: 'historical' as const },
    ];
    for (const input of bad) {
      const expected = (() => {
        try {
          portfolioRisk(input);
        } catch (err) {
          return (err as Error).message;
        }
        throw new Error('portfolioRisk accepted a bad input');
      })();
      expect(() => portfolioVarReturn(input)).toThrow(expected);
    }
  });
});

describe('portfolioReturns', () => {
  it('sums in asset order, bit for bit as one asset per pass, for any number of assets (groups of four and the rest)', () => {
    for (let k = 1; k <= 9; k++) {
      const R = syntheticAssets(k, 257, k);
      const rng = new Xoshiro128(k);
      const w = Array.from({ length: k }, () => rng.nextDouble() * 3 - 1);
      const expected = new Float64Array(257);
      for (let i = 0; i < k; i++) for (let t = 0; t < 257; t++) expected[t] += w[i] * R[i][t];
      for (const columns of [R, R.map((s) => Float64Array.from(s))]) {
        // Into a new array, and into a used one of the same length (what portfolioVarReturn does).
        const used = new Float64Array(257).fill(0.5);
        for (const rp of [portfolioReturns(w, columns), portfolioReturns(w, columns, used)]) {
          expect(rp.length).toBe(257);
          for (let t = 0; t < 257; t++) if (!Object.is(rp[t], expected[t])) throw new Error(`k = ${k}, t = ${t}: ${rp[t]} ≠ ${expected[t]}`);
        }
      }
    }
    expect(portfolioReturns([], []).length).toBe(0);
  });

  it('holds no −0 (where the quantile functions could disagree on the sign of a zero)', () => {
    // A short position in an asset with zero returns, and a hedged book: products −0 and sums ±0.
    for (const k of [1, 2, 4, 5, 8]) {
      const w = Array.from({ length: k }, (_, i) => (i % 2 ? 1 : -1));
      const R = Array.from({ length: k }, () => Array.from({ length: 30 }, (_, t) => (t % 3 === 0 ? 0 : 0.01)));
      for (const rp of [portfolioReturns(w, R), portfolioReturns(w, R, new Float64Array(30).fill(-0))]) {
        for (let t = 0; t < 30; t++) if (Object.is(rp[t], -0)) throw new Error(`k = ${k}, t = ${t}: −0`);
      }
    }
  });
});
