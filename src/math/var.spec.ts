import { InsufficientDataError, InvalidInputError } from './errors';
import { monteCarloVar } from './monte-carlo-var';
import { VarMethod } from './types';
import { computeRisk, minObservations } from './var';
import { expectRel, loadQuantReference, loadReference, simpleReturns } from '../../test/support/reference';

const reference = loadReference();
const quant = loadQuantReference();

const cac = Object.freeze(simpleReturns(reference.series.CAC.prices));
const E = reference.series.CAC.expected;

describe('computeRisk (the facade of /v1/var and /v1/cvar)', () => {
  it('refuses returns whose statistics overflow float64 (INVALID_INPUT on returns), never a NaN VaR (the fuzz: [1.94e154, 0], monte_carlo)', () => {
    for (const method of ['parametric', 'cornish_fisher'] as VarMethod[]) {
      for (const wantCvar of [false, true]) {
        let caught: unknown;
        try {
          computeRisk({ returns: [1.9395909213103956e154, 0], method, confidence: 95, horizonDays: 2, simulations: 100, seed: 7, wantCvar });
        } catch (err) {
          caught = err;
        }
        expect(caught).toBeInstanceOf(InvalidInputError);
        expect((caught as InvalidInputError).field).toBe('returns');
      }
    }
  });

  it('answers every method with the statistics of the input', () => {
    for (const method of ['historical', 'parametric', 'cornish_fisher', 'monte_carlo'] as const) {
      const r = computeRisk({ returns: cac, confidence: 99, method, wantCvar: true, seed: 1 });
      expect(r).toMatchObject({ method, confidenceLevel: 99, horizonDays: 1, scaling: 'none' });
      expect(r.statistics.count).toBe(1859);
      expectRel(r.statistics.stdDev, E.std_dev, 1e-12);
      expect(r.cvarReturn!).toBeLessThanOrEqual(r.varReturn);
      expect(r.monteCarlo === undefined).toBe(method !== 'monte_carlo');
    }
  });

  it('leaves out the CVaR unless asked', () => {
    expect(computeRisk({ returns: cac, confidence: 95, method: 'historical' }).cvarReturn).toBeUndefined();
  });

  it.each<[VarMethod, string]>([
    ['historical', 'sqrt_time'],
    ['cornish_fisher', 'sqrt_time'],
    ['parametric', 'mean_variance'],
    ['monte_carlo', 'simulated'],
  ])('%s over 10 days is scaled by %s', (method, scaling) => {
    const one = computeRisk({ returns: cac, confidence: 97.5, method, wantCvar: true, seed: 9 });
    const ten = computeRisk({ returns: cac, confidence: 97.5, method, horizonDays: 10, wantCvar: true, seed: 9 });
    expect(ten.scaling).toBe(scaling);
    if (scaling === 'sqrt_time') {
      expect(ten.varReturn).toBeCloseTo(one.varReturn * Math.sqrt(10), 15);
      expect(ten.cvarReturn!).toBeCloseTo(one.cvarReturn! * Math.sqrt(10), 15);
    } else {
      expect(ten.varReturn).toBeLessThan(one.varReturn);
    }
  });

  it('reproduces the 10-day reference figures', () => {
    expectRel(computeRisk({ returns: cac, confidence: 99, method: 'historical', horizonDays: 10 }).varReturn, E.cases['99'].historical_var_10d, 1e-12);
    expectRel(computeRisk({ returns: cac, confidence: 99, method: 'parametric', horizonDays: 10 }).varReturn, E.cases['99'].parametric_var_10d, 1e-12);
  });

  it('gives the same Monte Carlo answer as monteCarloVar and reports its parameters', () => {
    const r = computeRisk({ returns: cac, confidence: 99, method: 'monte_carlo', seed: 77, simulations: 30_000, distribution: 'bootstrap', horizonDays: 5, wantCvar: true });
    const m = monteCarloVar({ returns: cac, confidence: 99, seed: 77, simulations: 30_000, distribution: 'bootstrap', horizonDays: 5 });
    expect(r.varReturn).toBe(m.varReturn);
    expect(r.cvarReturn).toBe(m.cvarReturn);
    expect(r.monteCarlo).toEqual({ simulations: 30_000, seed: 77, distribution: 'bootstrap', standardError: m.standardError });
    const drawn = computeRisk({ returns: cac, confidence: 99, method: 'monte_carlo' });
    expect(drawn.monteCarlo!.simulations).toBe(10_000);
    expect(drawn.monteCarlo!.distribution).toBe('normal');
    expect(Number.isInteger(drawn.monteCarlo!.seed)).toBe(true);
  });

  it('needs 2 returns, or ⌈1/α⌉ for historical and bootstrap', () => {
    expect(minObservations('parametric', 99)).toBe(2);
    expect(minObservations('historical', 99.9)).toBe(1000);
    expect(minObservations('monte_carlo', 99, 'normal')).toBe(2);
    expect(minObservations('monte_carlo', 99, 'bootstrap')).toBe(100);
    expect(() => computeRisk({ returns: cac.slice(0, 19), confidence: 95, method: 'historical' })).toThrow('Cannot compute historical VaR from 19 returns at 95 %: need at least 20');
    expect(() => computeRisk({ returns: [0.01], confidence: 95, method: 'cornish_fisher' })).toThrow('Cannot compute Cornish-Fisher VaR from 1 return at 95 %: need at least 2');
    expect(() => computeRisk({ returns: [], confidence: 95, method: 'parametric' })).toThrow(InsufficientDataError);
    expect(() => computeRisk({ returns: cac.slice(0, 30), confidence: 99, method: 'monte_carlo', distribution: 'bootstrap' })).toThrow(InsufficientDataError);
    expect(computeRisk({ returns: cac.slice(0, 2), confidence: 99, method: 'monte_carlo', seed: 1 }).varReturn).toBeLessThan(0.1);
  });

  it.each<[Record<string, unknown>, RegExp | string]>([
    [{ method: 'magic' }, 'method must be one of historical, parametric, cornish_fisher, monte_carlo, ewma, filtered_historical, got "magic"'],
    [{ confidence: 0.95 }, 'confidence is a percentage, e.g. 95'],
    [{ confidence: 100 }, /confidence must be greater than 50 and less than 100/],
    [{ confidence: 50 }, /confidence must be greater than 50/],
    [{ confidence: 0 }, /confidence must be greater than 50/],
    [{ horizonDays: 0 }, 'horizon_days must be an integer from 1 to 250, got 0'],
    [{ horizonDays: 1.5 }, 'horizon_days must be an integer from 1 to 250, got 1.5'],
    [{ horizonDays: 251 }, 'horizon_days must be an integer from 1 to 250, got 251'],
    [{ method: 'monte_carlo', simulations: 0 }, 'simulations must be an integer from 1 to 1000000, got 0'],
    [{ method: 'monte_carlo', simulations: 1_000_001 }, 'simulations must be an integer from 1 to 1000000, got 1000001'],
    [{ method: 'monte_carlo', simulations: 2.5 }, 'simulations must be an integer from 1 to 1000000, got 2.5'],
    [{ method: 'monte_carlo', seed: -3 }, 'seed must be an integer from 0 to 4294967295, got -3'],
    [{ method: 'monte_carlo', distribution: 'cauchy' }, 'distribution must be one of normal, bootstrap, got "cauchy"'],
    [{ method: 'ewma', lambda: 1 }, 'lambda must be a number greater than 0 and less than 1 (e.g. 0.94), got 1'],
    [{ method: 'filtered_historical', lambda: 0 }, 'lambda must be a number greater than 0 and less than 1 (e.g. 0.94), got 0'],
    [{ returns: [...cac.slice(0, 30), NaN] }, 'returns[30] must be a finite number'],
    [{ returns: [...cac.slice(0, 30), Infinity] }, 'returns[30] must be a finite number'],
    [{ returns: [...cac.slice(0, 30), -1] }, 'returns[30] must be greater than -1 (a simple return of -100 % or worse)'],
  ])('rejects %p', (patch, message) => {
    const input = { returns: cac, confidence: 95, method: 'historical' as VarMethod, ...patch } as Parameters<typeof computeRisk>[0];
    expect(() => computeRisk(input)).toThrow(InvalidInputError);
    expect(() => computeRisk(input)).toThrow(message);
  });

  it.each(['ewma', 'filtered_historical'] as const)('%s answers the decay and the one-period volatility forecast, and √h over a horizon', (method) => {
    const one = computeRisk({ returns: cac, confidence: 99, method, lambda: 0.97, wantCvar: true });
    const ten = computeRisk({ returns: cac, confidence: 99, method, lambda: 0.97, horizonDays: 10, wantCvar: true });
    const ref = (quant.series.CAC.volatility as Array<Record<string, number>>).find((e) => e.lam === 0.97 && e.confidence === 99)!;
    const prefix = method === 'ewma' ? 'ewma' : 'fhs';
    expect(one.volatility!.lambda).toBe(0.97);
    expectRel(one.volatility!.sigmaForecast, ref.sigma_forecast);
    expectRel(one.varReturn, ref[`${prefix}_var`]);
    expectRel(one.cvarReturn!, ref[`${prefix}_cvar`]);
    expect(ten).toMatchObject({ scaling: 'sqrt_time', volatility: one.volatility });
    expectRel(ten.varReturn, one.varReturn * Math.sqrt(10), 1e-15);
    expectRel(ten.cvarReturn!, one.cvarReturn! * Math.sqrt(10), 1e-15);
    expect(one.scaling).toBe('none');
  });

  it('needs 2 returns for ewma and ⌈1/α⌉ for filtered_historical', () => {
    expect(minObservations('ewma', 99)).toBe(2);
    expect(minObservations('filtered_historical', 99)).toBe(100);
    expect(() => computeRisk({ returns: [0.01], confidence: 95, method: 'ewma' })).toThrow('Cannot compute EWMA VaR from 1 return at 95 %: need at least 2');
    expect(() => computeRisk({ returns: cac.slice(0, 99), confidence: 99, method: 'filtered_historical' })).toThrow(
      'Cannot compute filtered historical VaR from 99 returns at 99 %: need at least 100',
    );
  });

  it('ignores lambda for the methods without a volatility model, and answers no volatility there', () => {
    const r = computeRisk({ returns: cac, confidence: 95, method: 'historical', lambda: 7 });
    expect(r.volatility).toBeUndefined();
    expect(r.varReturn).toBe(computeRisk({ returns: cac, confidence: 95, method: 'historical' }).varReturn);
  });

  it('does not mutate a frozen or typed input', () => {
    const typed = Float64Array.from(cac);
    for (const method of ['historical', 'parametric', 'cornish_fisher', 'monte_carlo', 'ewma', 'filtered_historical'] as const) {
      computeRisk({ returns: cac, confidence: 99, method, wantCvar: true, seed: 1 });
      computeRisk({ returns: typed, confidence: 99, method, wantCvar: true, seed: 1 });
    }
    expect(Array.from(typed)).toEqual(cac);
  });
});
