import { backtest } from './backtest';
import { drawdownStats } from './drawdown';
import { VarMethod } from './types';
import { computeRisk } from './var';
import { moments } from './moments';
import { expectRel, loadReference, SERIES, simpleReturns } from '../../test/support/reference';
import { normalQuantile, normalPdf } from './normal';

const reference = loadReference();

describe.each(SERIES)('reference figures of %s (numpy/scipy, 1e-9 relative)', (name) => {
  const series = reference.series[name];
  const r = Object.freeze(simpleReturns(series.prices));
  const E = series.expected;
  const risk = (method: VarMethod, confidence: number, horizonDays = 1) =>
    computeRisk({ returns: r, confidence, method, horizonDays, wantCvar: true });

  it('reproduces the moments', () => {
    const m = moments(r);
    expect(m.count).toBe(E.n);
    expectRel(m.mean, E.mean);
    expectRel(m.stdDev, E.std_dev);
    expectRel(m.skewness, E.skewness);
    expectRel(m.excessKurtosis, E.excess_kurtosis);
    expectRel(m.min, E.min);
    expectRel(m.max, E.max);
  });

  describe.each(Object.keys(E.cases))('at %s %%', (c) => {
    const k = E.cases[c];
    const conf = Number(c);
    it('historical VaR and CVaR', () => {
      expectRel(risk('historical', conf).varReturn, k.historical_var);
      expectRel(risk('historical', conf).cvarReturn!, k.historical_cvar);
    });
    it('parametric VaR and CVaR', () => {
      expectRel(risk('parametric', conf).varReturn, k.parametric_var);
      expectRel(risk('parametric', conf).cvarReturn!, k.parametric_cvar);
    });
    it('Cornish-Fisher VaR', () => {
      expectRel(risk('cornish_fisher', conf).varReturn, k.cornish_fisher_var);
    });
    it('10-day VaR: square-root-of-time (historical) and mean-variance (parametric)', () => {
      const h = risk('historical', conf, 10);
      const p = risk('parametric', conf, 10);
      expect(h.scaling).toBe('sqrt_time');
      expect(p.scaling).toBe('mean_variance');
      expectRel(h.varReturn, k.historical_var_10d);
      expectRel(p.varReturn, k.parametric_var_10d);
    });
  });

  it('reproduces the drawdown of the closes', () => {
    const d = drawdownStats(series.prices);
    const e = E.drawdown_prices;
    expectRel(d.maxDrawdown, e.max_drawdown);
    expectRel(d.currentDrawdown, e.current_drawdown);
    expect(d).toMatchObject({
      peakIndex: e.peak_index,
      troughIndex: e.trough_index,
      recoveryIndex: e.recovery_index,
      currentDrawdownPeriods: e.current_drawdown_periods,
      longestDrawdownPeriods: e.longest_drawdown_periods,
      count: series.prices.length,
    });
  });

  it('reproduces the rolling 99 % backtest', () => {
    const b = E.backtest;
    const res = backtest({ returns: r, confidence: b.confidence, window: b.window, method: 'historical' });
    expect(res).toMatchObject({
      observations: b.observations,
      exceptions: b.exceptions,
      exceptionsLast250: b.exceptions_last_250,
      trafficLight: b.traffic_light,
      transitions: b.transitions,
    });
    expectRel(res.expectedExceptions, b.expected);
    expectRel(res.kupiec.lr, b.kupiec_lr);
    expectRel(res.kupiec.pValue, b.kupiec_p_value);
    expectRel(res.christoffersen.lr, b.christoffersen_lr);
    expectRel(res.christoffersen.pValue, b.christoffersen_p_value);
    expectRel(res.conditionalCoverage.lr, b.conditional_coverage_lr);
    expectRel(res.conditionalCoverage.pValue, b.conditional_coverage_p_value);
  });

  describe('PerformanceAnalytics figures', () => {
    const pa = series.performance_analytics;
    it.each(['95', '97.5', '99'])('matches its historical VaR and CVaR at %s %%', (c) => {
      expectRel(risk('historical', Number(c)).varReturn, pa[`pa_historical_var_${c}`]);
      expectRel(risk('historical', Number(c)).cvarReturn!, pa[`pa_historical_cvar_${c}`]);
    });
    it('matches its max drawdown, skewness and excess kurtosis', () => {
      expectRel(drawdownStats(series.prices).maxDrawdown, pa.pa_max_drawdown);
      expectRel(moments(r).skewness, pa.pa_skewness);
      expectRel(moments(r).excessKurtosis, pa.pa_excess_kurtosis);
    });
    it.each(['95', '97.5', '99'])('differs in parametric VaR at %s %% only through σ over n (PA) instead of n − 1', (c) => {
      const m = moments(r);
      const n = m.count;
      const alpha = 1 - Number(c) / 100;
      const sigmaN = m.stdDev * Math.sqrt((n - 1) / n);
      const z = normalQuantile(alpha);
      expectRel(m.mean + z * sigmaN, pa[`pa_parametric_var_${c}`], 1e-12);
      expectRel(m.mean - (sigmaN * normalPdf(z)) / alpha, pa[`pa_parametric_cvar_${c}`], 1e-12);
      // Ours (sample σ) is a different figure, from the 4th significant digit on.
      const ours = risk('parametric', Number(c)).varReturn;
      expect(Math.abs(ours - pa[`pa_parametric_var_${c}`]) / Math.abs(ours)).toBeGreaterThan(1e-4);
    });
  });
});
