import fc from 'fast-check';
import { InsufficientDataError, InvalidInputError } from './errors';
import { monteCarloVar, quantileStandardError, simulateReturns } from './monte-carlo-var';
import { moments } from './moments';
import { normalPdf } from './normal';
import { parametricVar } from './parametric-var';
import { Xoshiro128 } from './prng';
import { quantileType7 } from './quantile';
import { loadReference, simpleReturns } from '../../test/support/reference';

const reference = loadReference();

const smi = Object.freeze(simpleReturns(reference.series.SMI.prices));

function normalSample(n: number, seed: number, mu: number, sigma: number): number[] {
  const rng = new Xoshiro128(seed);
  return Array.from({ length: n }, () => mu + sigma * rng.nextNormal());
}

describe('monteCarloVar', () => {
  it('gives the same figures for the same seed, bit for bit, and returns the seed', () => {
    for (const distribution of ['normal', 'bootstrap'] as const) {
      for (const horizonDays of [1, 10]) {
        const a = monteCarloVar({ returns: smi, confidence: 99, seed: 42, distribution, horizonDays, simulations: 20_000 });
        const b = monteCarloVar({ returns: Float64Array.from(smi), confidence: 99, seed: 42, distribution, horizonDays, simulations: 20_000 });
        expect(Object.is(a.varReturn, b.varReturn)).toBe(true);
        expect(Object.is(a.cvarReturn, b.cvarReturn)).toBe(true);
        expect(Object.is(a.standardError, b.standardError)).toBe(true);
        expect(a).toMatchObject({ seed: 42, simulations: 20_000, distribution, horizonDays });
      }
    }
    const c = monteCarloVar({ returns: smi, confidence: 99, seed: 43 });
    expect(c.varReturn).not.toBe(monteCarloVar({ returns: smi, confidence: 99, seed: 42 }).varReturn);
  });

  it('draws a seed when none is given and reports it, so the figure can be reproduced', () => {
    const a = monteCarloVar({ returns: smi, confidence: 95 });
    expect(Number.isInteger(a.seed) && a.seed >= 0 && a.seed <= 4294967295).toBe(true);
    expect(monteCarloVar({ returns: smi, confidence: 95, seed: a.seed }).varReturn).toBe(a.varReturn);
  });

  it('is the type-7 quantile of the simulated returns, and CVaR their mean below it', () => {
    const mc = monteCarloVar({ returns: smi, confidence: 97.5, seed: 7, simulations: 5000 });
    const m = moments(smi);
    const again = Float64Array.from(simulateReturns(smi, m.mean, m.stdDev, 'normal', 5000, 1, 7).subarray(0, 5000));
    const q = quantileType7(again, 0.025);
    expect(mc.varReturn).toBe(q);
    const below = Array.from(again).filter((v) => v < q);
    expect(mc.cvarReturn).toBeCloseTo(below.reduce((a, b) => a + b, 0) / below.length, 15);
  });

  it('reports the standard error √(α(1−α)/N)/f(Q) of the normal fitted to the simulations', () => {
    const mc = monteCarloVar({ returns: smi, confidence: 99, seed: 3, simulations: 40_000 });
    const m = moments(smi);
    const sims = simulateReturns(smi, m.mean, m.stdDev, 'normal', 40_000, 1, 3).subarray(0, 40_000);
    const s = moments(sims);
    const f = normalPdf((mc.varReturn - s.mean) / s.stdDev) / s.stdDev;
    expect(mc.standardError).toBeCloseTo(Math.sqrt((0.01 * 0.99) / 40_000) / f, 14);
    expect(quantileStandardError(0.01, 100, 0, 0, 0)).toBe(0);
  });

  it('lands within 4 standard errors of the closed form on normal data', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.double({ min: 0.002, max: 0.04, noNaN: true }), fc.constantFrom(95, 97.5, 99), (seed, sigma, c) => {
        const r = normalSample(800, seed ^ 0x9e3779b9, 0.0004, sigma);
        const mc = monteCarloVar({ returns: r, confidence: c, seed, simulations: 40_000 });
        expect(Math.abs(mc.varReturn - parametricVar(r, c))).toBeLessThan(4 * mc.standardError);
      }),
      { numRuns: 25 },
    );
  });

  it('compounds h-period paths: close to the log-normal approximation over 10 days', () => {
    const mc = monteCarloVar({ returns: smi, confidence: 99, seed: 11, simulations: 200_000, horizonDays: 10 });
    // log(1 + r) ≈ N(log(1 + μ) − σ²/2, σ²) per day: VaR_10 ≈ exp(10 μ_log + z √10 σ) − 1
    const m = moments(smi);
    const muLog = Math.log(1 + m.mean) - (m.stdDev * m.stdDev) / 2;
    const approx = Math.exp(10 * muLog - 2.3263478740408408 * Math.sqrt(10) * m.stdDev) - 1;
    expect(Math.abs(mc.varReturn - approx)).toBeLessThan(6 * mc.standardError + 5e-4);
    expect(mc.horizonDays).toBe(10);
  });

  it('resamples only historical values with a one-period bootstrap', () => {
    const r = Array.from({ length: 40 }, (_, i) => (i - 20) / 1000);
    const sims = simulateReturns(r, 0, 0, 'bootstrap', 2000, 1, 5);
    const allowed = new Set(r);
    const strangers = Array.from(sims.subarray(0, 2000)).filter((v) => !allowed.has(v));
    expect(strangers).toEqual([]);
    const mc = monteCarloVar({ returns: r, confidence: 97.5, seed: 5, distribution: 'bootstrap', simulations: 2000 });
    expect(mc.varReturn).toBeGreaterThanOrEqual(-0.02);
    expect(mc.varReturn).toBeLessThan(-0.015);
  });

  it('never simulates a loss beyond −100 %', () => {
    const wild = [0.5, -0.6, 0.7, -0.5, 0.4];
    const mc = monteCarloVar({ returns: wild, confidence: 99, seed: 1, simulations: 20_000, horizonDays: 5 });
    expect(mc.varReturn).toBeGreaterThanOrEqual(-1);
    expect(mc.cvarReturn).toBeGreaterThanOrEqual(-1);
  });

  it('validates its options, naming the field', () => {
    expect(() => monteCarloVar({ returns: smi, confidence: 99, simulations: 0 })).toThrow('simulations must be an integer from 1 to 1000000, got 0');
    expect(() => monteCarloVar({ returns: smi, confidence: 99, simulations: 1_000_001 })).toThrow(InvalidInputError);
    expect(() => monteCarloVar({ returns: smi, confidence: 99, simulations: 2.5 })).toThrow(/simulations/);
    expect(() => monteCarloVar({ returns: smi, confidence: 99, seed: 1.5 })).toThrow(/seed must be an integer/);
    expect(() => monteCarloVar({ returns: smi, confidence: 99, distribution: 'student' as 'normal' })).toThrow(/distribution must be one of normal, bootstrap/);
    expect(() => monteCarloVar({ returns: smi, confidence: 99, horizonDays: 251 })).toThrow(/horizon_days/);
    expect(() => monteCarloVar({ returns: [0.01], confidence: 99 })).toThrow(InsufficientDataError);
    expect(() => monteCarloVar({ returns: smi.slice(0, 50), confidence: 99, distribution: 'bootstrap' })).toThrow(
      'Cannot compute Monte Carlo VaR from 50 returns at 99 %: need at least 100',
    );
    expect(monteCarloVar({ returns: smi.slice(0, 50), confidence: 99, simulations: 1 }).standardError).toBe(0);
  });
});
