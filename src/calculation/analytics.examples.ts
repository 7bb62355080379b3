import { EXAMPLE_RETURNS } from './calculation.examples';

/** Worked Swagger examples of POST /v1/performance and POST /v1/var/rolling (SMI daily returns, 1991). */
export const ANALYTICS_EXAMPLES = {
  performance: {
    daily: { summary: 'Daily returns, no risk-free rate', value: { returns: EXAMPLE_RETURNS.smi120, periods_per_year: 252 } },
    risk_free: { summary: 'With a 2 % yearly risk-free rate', value: { returns: EXAMPLE_RETURNS.smi120, periods_per_year: 252, risk_free_rate: 0.02 } },
  },
  rolling: {
    plain: { summary: '95 % historical VaR over rolling 20-day windows', value: { returns: EXAMPLE_RETURNS.smi40, confidence: 95, window: 20 } },
    dated: {
      summary: 'Dated: each value labelled with the last day of its window',
      value: { returns: EXAMPLE_RETURNS.smi40.slice(0, 22), confidence: 95, window: 20, dates: EXAMPLE_RETURNS.dates40.slice(0, 22) },
    },
  },
};
