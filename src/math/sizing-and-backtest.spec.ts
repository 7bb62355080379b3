import { backtest, christoffersenIndependence, kupiecPof, trafficLight, transitionCounts } from './backtest';
import { drawdownFromReturns } from './drawdown';
import { estimateKellyInputs, kellyFraction, volatilityTargetWeight } from './position-size';

describe('position sizing ratios', () => {
  it('takes half Kelly by default and never goes short', () => {
    expect(kellyFraction(0.55, 1.5)).toEqual({ kellyFraction: 0.55 - 0.45 / 1.5, fraction: (0.55 - 0.45 / 1.5) * 0.5 });
    expect(kellyFraction(0.3, 1, 1).fraction).toBe(0);
  });
  it('estimates p and b from trades, flat trades counting in the total only', () => {
    const est = estimateKellyInputs([0.02, -0.01, 0.04, 0, -0.03]);
    expect(est.winProbability).toBeCloseTo(2 / 5, 15);
    expect(est.winLossRatio).toBeCloseTo(0.03 / 0.02, 15);
  });
  it('weights a volatility target by annualised σ', () => {
    expect(volatilityTargetWeight(0.1, 0.01, 252)).toBeCloseTo(0.1 / (0.01 * Math.sqrt(252)), 15);
  });
});

describe('backtest statistics', () => {
  it('gives finite statistics with no exception and with every observation an exception', () => {
    expect(kupiecPof(250, 0, 0.01).lr).toBeCloseTo(-2 * 250 * Math.log(0.99), 10);
    const all = kupiecPof(10, 10, 0.01);
    expect(Number.isFinite(all.lr)).toBe(true);
    expect(all.lr).toBeCloseTo(-2 * 10 * Math.log(0.01), 10);
    const ind = christoffersenIndependence(transitionCounts([1, 1, 1, 1]));
    expect(ind).toEqual({ lr: 0, pValue: 1 });
  });
  it('counts transitions of the exception indicator', () => {
    expect(transitionCounts([0, 0, 1, 1, 0, 1])).toEqual({ n00: 1, n01: 2, n10: 1, n11: 1 });
  });
  it('colours the traffic light at 4/5 and 9/10 exceptions', () => {
    expect([4, 5, 9, 10].map(trafficLight)).toEqual(['green', 'yellow', 'yellow', 'red']);
  });
  it('uses own forecasts and leaves the traffic light off below 99 %', () => {
    const res = backtest({ returns: [0.01, -0.05, 0.02, -0.03], varForecasts: [-0.02, -0.02, -0.02, -0.02], confidence: 95 });
    expect(res).toMatchObject({ observations: 4, exceptions: 2, trafficLight: null, exceptionsLast250: 2 });
  });
  it('builds the curve from returns with V_0 = 1', () => {
    const d = drawdownFromReturns([0.1, -0.5, 0.2, 1]);
    expect(d.count).toBe(5);
    expect(d.maxDrawdown).toBeCloseTo(0.5, 15);
    expect(d).toMatchObject({ peakIndex: 1, troughIndex: 2, recoveryIndex: 4, currentDrawdown: 0 });
  });
});
