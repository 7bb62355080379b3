/**
 * Worked examples shown in Swagger UI: daily simple returns of the SMI index (R's public-domain
 * EuStockMarkets, first trading days of 1991, rounded to 6 places).
 */
const SMI_40 = [0.006197, -0.005863, 0.003277, 0.001484, -0.008894, 0.00676, 0.0123, -0.003581, 0.011075, 0.00437, 0.003887, -0.001791, 0.003416, 0.000404, -0.003287, 0.005092, -0.008059, 0.00029, -0.002669, 0.00128, 0.002382, 0.001101, 0.0, 0.002547, -0.004331, -0.004176, 0.003786, -0.000232, 0.003134, -0.003645, 0.001394, 0.005277, 0.003115, -0.007361, -0.080408, 0.027214, 0.033669, 0.009374, 0.009816, 0.004773];
const SMI_120 = [0.006197, -0.005863, 0.003277, 0.001484, -0.008894, 0.00676, 0.0123, -0.003581, 0.011075, 0.00437, 0.003887, -0.001791, 0.003416, 0.000404, -0.003287, 0.005092, -0.008059, 0.00029, -0.002669, 0.00128, 0.002382, 0.001101, 0.0, 0.002547, -0.004331, -0.004176, 0.003786, -0.000232, 0.003134, -0.003645, 0.001394, 0.005277, 0.003115, -0.007361, -0.080408, 0.027214, 0.033669, 0.009374, 0.009816, 0.004773, -0.005561, 0.005359, 0.006722, -0.00046, -0.002419, -0.000693, -0.002484, 0.000521, -0.004399, -0.00279, -0.003906, 0.002517, 0.000292, 0.002626, -0.009488, 0.0, -0.009872, 0.001365, 0.002015, -0.003726, -0.002612, -0.004167, -0.005858, 0.003728, -0.002756, 0.004565, 0.009209, -0.000533, -0.000119, -0.006403, 0.000955, -0.002504, -0.004901, 0.003784, 0.000658, 0.002272, 0.009784, 0.002304, 0.011553, -0.001632, -0.004786, 0.003636, -0.000877, -0.012399, 0.0061, 0.000647, -0.004118, -0.005375, -0.002791, -0.003156, 0.005974, 0.002672, 0.003258, 0.01594, -0.001743, 0.009139, -0.00225, 0.003411, -0.000864, -0.020068, -0.012181, -0.001847, -0.003223, -0.010718, -0.01041, 0.012171, -0.007795, -0.00201, -0.009825, -0.016332, 0.010212, 0.007814, -0.008923, -0.002422, 0.002552, -0.004718, -0.007236, 0.008608, 0.010092, 0.000678];

/** Weekdays from 1991-01-02, one per SMI_40 return. */
const DATES_40 = Array.from({ length: 56 }, (_, i) => new Date(Date.UTC(1991, 0, 2 + i)))
  .filter((d) => d.getUTCDay() !== 0 && d.getUTCDay() !== 6)
  .slice(0, 40)
  .map((d) => d.toISOString().slice(0, 10));

/** The example series, for the other example files of this module. */
export const EXAMPLE_RETURNS = { smi40: SMI_40, smi120: SMI_120, dates40: DATES_40 };

export const EXAMPLES = {
  var: {
    historical: { summary: 'Historical VaR 95 % on SMI returns', value: { returns: SMI_40, confidence: 95, method: 'historical', portfolio_value: '1000000', portfolio_id: 'desk-7', asset_class: 'EQUITY', risk_limit: '50000' } },
    parametric_10d: { summary: 'Parametric VaR 99 %, 10 days', value: { returns: SMI_40, confidence: 99, method: 'parametric', horizon_days: 10, portfolio_value: '1000000' } },
    cornish_fisher: { summary: 'Cornish–Fisher VaR 97.5 %', value: { returns: SMI_40, confidence: 97.5, method: 'cornish_fisher', portfolio_value: '250000.00' } },
    monte_carlo: { summary: 'Monte Carlo VaR 99 %, bootstrap, seeded', value: { returns: SMI_40, confidence: 99, method: 'monte_carlo', simulations: 100000, seed: 42, distribution: 'bootstrap', portfolio_value: '1000000' } },
    ewma: { summary: 'EWMA (RiskMetrics) VaR 99 %, λ = 0.94, 10 days', value: { returns: SMI_40, confidence: 99, method: 'ewma', lambda: 0.94, horizon_days: 10, portfolio_value: '1000000' } },
    filtered_historical: { summary: 'Filtered historical VaR 95 %', value: { returns: SMI_40, confidence: 95, method: 'filtered_historical', lambda: 0.97, portfolio_value: '1000000' } },
  },
  cvar: {
    historical: { summary: 'Historical expected shortfall 95 %', value: { returns: SMI_40, confidence: 95, method: 'historical', portfolio_value: '1000000' } },
    parametric: { summary: 'Parametric expected shortfall 97.5 %', value: { returns: SMI_40, confidence: 97.5, method: 'parametric', portfolio_value: '1000000' } },
    ewma: { summary: 'EWMA expected shortfall 99 %', value: { returns: SMI_40, confidence: 99, method: 'ewma', portfolio_value: '1000000' } },
  },
  drawdown: {
    values: { summary: 'From an equity curve', value: { values: [100, 104, 98, 95, 101, 107, 103] } },
    returns: { summary: 'From returns', value: { returns: SMI_40 } },
    episodes: {
      summary: 'The 3 deepest episodes and the underwater curve, dated',
      value: { values: [100, 104, 98, 95, 101, 107, 103], top: 3, underwater: true, dates: ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08', '2024-01-09'] },
    },
  },
  positionSize: {
    fixed_fractional: { summary: 'Risk 1 % of equity between entry 50 and stop 48, capped at 10 %', value: { method: 'fixed_fractional', equity: '1000000', risk_fraction: 0.01, entry_price: '50.00', stop_price: '48.00', max_position_size_percent: 10 } },
    kelly: { summary: 'Half Kelly from p and b', value: { method: 'kelly', equity: '1000000', win_probability: 0.55, win_loss_ratio: 1.5, kelly_multiplier: 0.5 } },
    volatility_target: { summary: '10 % annual volatility target', value: { method: 'volatility_target', equity: '1000000', target_annual_vol: 0.1, daily_volatility: 0.012 } },
  },
  backtest: {
    rolling: { summary: 'Rolling historical VaR 95 %, 60-day window', value: { returns: SMI_120, confidence: 95, method: 'historical', window: 60 } },
    dated: { summary: 'Rolling 95 %, 20-day window, exceptions dated', value: { returns: SMI_40, confidence: 95, window: 20, dates: DATES_40 } },
    forecasts: { summary: 'Your own forecasts', value: { returns: SMI_40.slice(0, 8), var_forecasts: [-0.012, -0.012, -0.011, -0.012, -0.013, -0.012, -0.012, -0.011], confidence: 99 } },
  },
};
