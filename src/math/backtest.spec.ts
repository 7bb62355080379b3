import { expectRel, loadQuantReference, loadReference, SERIES, simpleReturns } from '../../test/support/reference';
import { backtest } from './backtest';
import { InsufficientDataError } from './errors';
import { historicalVar } from './historical-var';

const smi = Object.freeze(simpleReturns(loadReference().series.SMI.prices));

const reference = loadReference();
const quant = loadQuantReference();

describe('backtest', () => {
  it.each(SERIES)('names the exceptions of the rolling 99 %% backtest of %s as numpy does (indices into returns)', (name) => {
    const r = Object.freeze(simpleReturns(reference.series[name].prices));
    const e = quant.series[name].backtest;
    const res = backtest({ returns: r, confidence: e.confidence, window: e.window, method: 'historical' });
    expect(Array.from(res.exceptionIndices)).toEqual(e.exception_indices);
    expect(res.exceptionIndices.length).toBe(res.exceptions);
  });

  it('gives the indices of the exceptions against own forecasts', () => {
    const res = backtest({ returns: [0.01, -0.05, 0.02, -0.03, -0.02], varForecasts: [-0.02, -0.02, -0.02, -0.02, -0.02], confidence: 95 });
    expect(Array.from(res.exceptionIndices)).toEqual([1, 3]);
  });

  it('points each rolling exception at a return below the VaR of the window before it', () => {
    const res = backtest({ returns: smi, confidence: 95, window: 100 });
    for (const t of res.exceptionIndices) {
      expect(t).toBeGreaterThanOrEqual(100);
      expect(smi[t]).toBeLessThan(historicalVar(smi.slice(t - 100, t), 95));
    }
    expect(res.exceptionIndices.length).toBe(res.exceptions);
  });

  it('counts every observation as an exception when each return is below its forecast, with finite statistics', () => {
    const all = backtest({ returns: [-0.5, -0.5, -0.5], varForecasts: [0, 0, 0], confidence: 95 });
    expect(all.exceptions).toBe(3);
    expect(Number.isFinite(all.conditionalCoverage.lr)).toBe(true);
  });

  it('colours the Basel traffic light at 99 % over 250 observations only', () => {
    const short = backtest({ returns: smi.slice(0, 300), confidence: 99, window: 100 });
    expect(short.observations).toBe(200);
    expect(short.trafficLight).toBeNull();
    expect(backtest({ returns: smi, confidence: 95, window: 250 }).trafficLight).toBeNull();
    expect(backtest({ returns: smi, confidence: 99, window: 250 }).trafficLight).toBe('green');
  });

  it('uses own forecasts and leaves the traffic light off below 99 %', () => {
    const res = backtest({ returns: [0.01, -0.05, 0.02, -0.03], varForecasts: [-0.02, -0.02, -0.02, -0.02], confidence: 95 });
    expect(res).toMatchObject({ observations: 4, exceptions: 2, trafficLight: null, exceptionsLast250: 2 });
  });

  it('counts exceptions r_t < VaR_t of given forecasts, the last 250 separately', () => {
    const n = 400;
    const returns = Array.from({ length: n }, (_, t) => (t % 40 === 0 ? -0.05 : 0.001));
    const res = backtest({ returns, varForecasts: new Float64Array(n).fill(-0.02), confidence: 99 });
    expect(res).toMatchObject({ observations: 400, exceptions: 10, exceptionsLast250: 6, trafficLight: 'yellow' });
    expectRel(res.expectedExceptions, 4, 1e-15);
    expect(backtest({ returns: [0.01, -0.02], varForecasts: [-0.02, -0.02], confidence: 99 }).exceptions).toBe(0); // not strictly below
  });

  it('runs rolling parametric and Cornish–Fisher backtests', () => {
    const p = backtest({ returns: smi, confidence: 99, window: 250, method: 'parametric' });
    const cf = backtest({ returns: smi, confidence: 99, window: 250, method: 'cornish_fisher' });
    expect(p.observations).toBe(1609);
    expect(p.exceptions).toBeGreaterThan(cf.exceptions); // fat tails: the Gaussian forecast is breached more often
  });

  it('refuses malformed forecasts', () => {
    expect(() => backtest({ returns: [0.01, 0.02], varForecasts: [-0.01], confidence: 99 })).toThrow('var_forecasts must have one value per return (2), got 1');
    expect(() => backtest({ returns: [0.01, 0.02], varForecasts: [-0.01, NaN], confidence: 99 })).toThrow('var_forecasts[1] must be a finite number');
    expect(() => backtest({ returns: [], varForecasts: [], confidence: 99 })).toThrow(InsufficientDataError);
    expect(() => backtest({ returns: smi, confidence: 0.99 })).toThrow('confidence is a percentage, e.g. 95');
  });
});
