import { InsufficientDataError, InvalidInputError } from './errors';
import { christoffersen, conditionalCoverage, kupiecPof, LikelihoodRatioTest, TrafficLight, trafficLight, Transitions } from './backtest-statistics';
import { BacktestMethod, rollingVarForecasts } from './rolling-var';
import { Series } from './types';
import { assertConfidence, assertFiniteSeries, assertReturns, tailProbability } from './validation';

export interface BacktestInput {
  /** Realised simple returns, oldest first (not mutated). */
  returns: Series;
  /** Own VaR forecasts in return terms, one per return (then window and method are not used). */
  varForecasts?: Series;
  /** A percentage, 50 < c < 100. */
  confidence: number;
  /** Rolling window (default 250). */
  window?: number;
  /** Rolling forecast method (default historical). */
  method?: BacktestMethod;
}

export interface BacktestResult {
  /** T: the returns tested (n − window with rolling forecasts, n with given forecasts). */
  observations: number;
  /** x: the count of r_t < VaR_t. */
  exceptions: number;
  /** α·T. */
  expectedExceptions: number;
  kupiec: LikelihoodRatioTest;
  christoffersen: LikelihoodRatioTest;
  conditionalCoverage: LikelihoodRatioTest;
  /** Basel zone of exceptionsLast250; null unless the confidence is 99 and T ≥ 250. */
  trafficLight: TrafficLight | null;
  /** Exceptions among the last min(250, T) observations. */
  exceptionsLast250: number;
  /** The 0-based indices into `returns` of the exceptions, ascending (x of them). */
  exceptionIndices: Int32Array;
  transitions: Transitions;
}

/**
 * VaR backtest (docs/math.md "VaR backtesting"): exceptions r_t < VaR_t against rolling forecasts
 * (the `window` returns before t) or given `varForecasts`; Kupiec POF, Christoffersen
 * independence and conditional coverage likelihood ratios with χ² p-values, and the Basel
 * traffic light over the last 250 observations (at 99 % only, and only when there are 250); the
 * exceptions' indices into `returns` (with rolling forecasts the first is ≥ window).
 */
export function backtest(input: BacktestInput): BacktestResult {
  const { returns, varForecasts, confidence } = input;
  assertConfidence(confidence);
  let forecasts: Series;
  let offset = 0; // forecasts[t] is for returns[offset + t]
  if (varForecasts !== undefined) {
    assertReturns(returns);
    if (varForecasts.length !== returns.length) {
      throw new InvalidInputError(`var_forecasts must have one value per return (${returns.length}), got ${varForecasts.length}`, 'var_forecasts');
    }
    assertFiniteSeries(varForecasts, 'var_forecasts');
    if (returns.length < 1) throw new InsufficientDataError('Cannot backtest 0 returns: need at least 1', 'returns');
    forecasts = varForecasts;
  } else {
    const window = input.window ?? 250;
    forecasts = rollingVarForecasts(returns, window, confidence, input.method ?? 'historical');
    offset = window;
  }
  const T = forecasts.length;
  const indicators = new Uint8Array(T);
  let x = 0;
  for (let t = 0; t < T; t++) {
    if (returns[offset + t] < forecasts[t]) {
      indicators[t] = 1;
      x++;
    }
  }
  const exceptionIndices = new Int32Array(x);
  for (let t = 0, j = 0; j < x; t++) if (indicators[t]) exceptionIndices[j++] = offset + t;
  let last250 = 0;
  for (let t = Math.max(0, T - 250); t < T; t++) last250 += indicators[t];
  const alpha = tailProbability(confidence);
  const pof = kupiecPof(T, x, alpha);
  const ind = christoffersen(indicators);
  return {
    observations: T,
    exceptions: x,
    expectedExceptions: alpha * T,
    kupiec: pof,
    christoffersen: { lr: ind.lr, pValue: ind.pValue },
    conditionalCoverage: conditionalCoverage(pof, ind),
    trafficLight: confidence === 99 && T >= 250 ? trafficLight(last250) : null,
    exceptionsLast250: last250,
    exceptionIndices,
    transitions: ind.transitions,
  };
}
