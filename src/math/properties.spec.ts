import fc from 'fast-check';
import { drawdownFromReturns, drawdownStats } from './drawdown';
import { VarMethod } from './types';
import { computeRisk } from './var';
import { monteCarloVar } from './monte-carlo-var';
import { parametricVar } from './parametric-var';
import { Xoshiro128 } from './prng';
import { cornishFisherCvarFromMoments } from './expected-shortfall';
import { cornishFisherZ } from './cornish-fisher-var';
import { normalPdf, normalQuantile } from './normal';
import { tailProbability } from './validation';

const returns = fc.array(fc.double({ min: -0.2, max: 0.2, noNaN: true }), { minLength: 100, maxLength: 800 });
const confidencePair = fc
  .tuple(fc.double({ min: 50.5, max: 99, noNaN: true }), fc.double({ min: 50.5, max: 99, noNaN: true }))
  .filter(([a, b]) => a !== b)
  .map(([a, b]): [number, number] => (a < b ? [a, b] : [b, a]));

describe('risk maths properties', () => {
  it.each<VarMethod>(['historical', 'parametric'])('%s VaR does not rise with confidence', (method) => {
    fc.assert(
      fc.property(returns, confidencePair, (r, [lo, hi]) => {
        const a = computeRisk({ returns: r, confidence: lo, method }).varReturn;
        const b = computeRisk({ returns: r, confidence: hi, method }).varReturn;
        expect(b).toBeLessThanOrEqual(a + 1e-15);
      }),
      { numRuns: 150 },
    );
  });

  it.each<VarMethod>(['historical', 'parametric', 'cornish_fisher', 'monte_carlo'])('%s CVaR is at or below VaR', (method) => {
    fc.assert(
      fc.property(returns, fc.constantFrom(95, 97.5, 99), fc.integer({ min: 1, max: 10 }), (r, c, h) => {
        const res = computeRisk({ returns: r, confidence: c, method, horizonDays: h, wantCvar: true, seed: 1, simulations: 2000 });
        expect(res.cvarReturn!).toBeLessThanOrEqual(res.varReturn + 1e-15);
      }),
      { numRuns: 60 },
    );
  });

  it('never changes the caller’s arrays', () => {
    fc.assert(
      fc.property(returns, (r) => {
        const frozen = Object.freeze([...r]);
        for (const method of ['historical', 'parametric', 'cornish_fisher', 'monte_carlo'] as const) {
          computeRisk({ returns: frozen, confidence: 99, method, wantCvar: true, seed: 3, simulations: 500 });
        }
        drawdownFromReturns(frozen);
        const typed = Float64Array.from(r);
        computeRisk({ returns: typed, confidence: 95, method: 'historical', wantCvar: true });
        expect(Array.from(typed)).toEqual(r);
      }),
      { numRuns: 50 },
    );
  });

  it('finds no drawdown in a curve that never falls', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 0.1, noNaN: true }), { minLength: 1, maxLength: 500 }), (steps) => {
        const curve: number[] = [100];
        for (const s of steps) curve.push(curve[curve.length - 1] * (1 + s));
        const d = drawdownStats(curve);
        expect(d).toMatchObject({ maxDrawdown: 0, currentDrawdown: 0, peakIndex: 0, troughIndex: 0, recoveryIndex: 0, longestDrawdownPeriods: 0 });
      }),
    );
  });

  it('gives the same Monte Carlo figure for the same seed, bit for bit', () => {
    fc.assert(
      fc.property(returns, fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom('normal', 'bootstrap') as fc.Arbitrary<'normal' | 'bootstrap'>, (r, seed, distribution) => {
        const a = monteCarloVar({ returns: r, confidence: 99, seed, distribution, simulations: 3000, horizonDays: 3 });
        const b = monteCarloVar({ returns: r, confidence: 99, seed, distribution, simulations: 3000, horizonDays: 3 });
        expect(Object.is(a.varReturn, b.varReturn) && Object.is(a.cvarReturn, b.cvarReturn)).toBe(true);
        expect(a.seed).toBe(seed);
      }),
      { numRuns: 30 },
    );
  });

  it('puts a normal Monte Carlo VaR within 4 standard errors of the closed form on normal data', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.double({ min: 0.002, max: 0.05, noNaN: true }), fc.constantFrom(95, 99), (seed, sigma, c) => {
        const rng = new Xoshiro128(seed ^ 0x5bd1e995);
        const r = Array.from({ length: 500 }, () => 0.0003 + sigma * rng.nextNormal());
        const mc = monteCarloVar({ returns: r, confidence: c, seed, simulations: 50_000 });
        expect(Math.abs(mc.varReturn - parametricVar(r, c))).toBeLessThan(4 * mc.standardError);
      }),
      { numRuns: 25 },
    );
  });

  it('modified ES is the Edgeworth tail mean below the Cornish-Fisher quantile (numerical quadrature)', () => {
    const cases: Array<[number, number, number]> = [[95, -0.3, 1.5], [99, -0.5, 3], [97.5, 0.2, 0.5], [99, 0, 0]];
    for (const [c, S, K] of cases) {
      const alpha = 1 - c / 100;
      const g = cornishFisherZ(normalQuantile(alpha), S, K);
      const density = (u: number) => {
        const h3 = u ** 3 - 3 * u;
        const h4 = u ** 4 - 6 * u ** 2 + 3;
        const h6 = u ** 6 - 15 * u ** 4 + 45 * u ** 2 - 15;
        return normalPdf(u) * (1 + (S / 6) * h3 + (K / 24) * h4 + ((S * S) / 72) * h6);
      };
      // Simpson's rule on [−12, g]
      const steps = 20000;
      const a = -12;
      const w = (g - a) / steps;
      let sum = 0;
      for (let i = 0; i <= steps; i++) {
        const u = a + i * w;
        sum += (i === 0 || i === steps ? 1 : i % 2 ? 4 : 2) * u * density(u);
      }
      const eg = (sum * w) / 3 / alpha;
      const expected = Math.min(0.001 + 0.02 * eg, 0.001 + 0.02 * g);
      expect(cornishFisherCvarFromMoments(0.001, 0.02, S, K, tailProbability(c))).toBeCloseTo(expected, 10);
    }
  });
});
