/**
 * Public API of the risk maths (pure TypeScript: no Nest, no I/O, no big.js). Conventions:
 * docs/math.md — confidence is a percentage, returns are simple returns as fractions,
 * VaR / CVaR are in return terms with a loss negative, drawdowns are positive depths.
 * One function per quantity; the building blocks they share (selection, moments, guards) stay
 * inside the folder.
 */
export { InsufficientDataError, InvalidInputError, RiskMathError } from './errors';
export type { RiskErrorType } from './errors';
export { MC_DISTRIBUTIONS, VAR_METHODS, VOLATILITY_METHODS } from './types';
export type { EulerVarMethod, McDistribution, Scaling, Series, VarMethod } from './types';
export { Xoshiro128 } from './prng';
export { moments } from './moments';
export type { Moments } from './moments';
export { historicalVar } from './historical-var';
export { parametricVar } from './parametric-var';
export { cornishFisherVar } from './cornish-fisher-var';
export { cornishFisherCvar, historicalCvar, parametricCvar } from './expected-shortfall';
export { monteCarloVar } from './monte-carlo-var';
export type { MonteCarloOptions, MonteCarloResult, MonteCarloRun } from './monte-carlo-var';
export { ewmaCvar, ewmaVar, ewmaVolatility } from './ewma-var';
export { filteredHistoricalCvar, filteredHistoricalVar } from './filtered-historical-var';
export type { RiskOptions } from './validation';
export { computeRisk, minObservations } from './var';
export type { RiskInput, RiskResult, VolatilityModel } from './var';
export type { EulerFigures } from './euler-contributions';
export { portfolioReturns, portfolioRisk, portfolioVarReturn } from './portfolio-risk';
export { marginalVar } from './marginal-var';
export { compoundedReturn, historicalScenarioReturns, shockReturns, worstWindow } from './stress';
export type { AssetHistory, WorstWindow } from './stress';
export type { PortfolioRiskInput, PortfolioRiskResult } from './portfolio-risk';
export { drawdownFromReturns, drawdownStats } from './drawdown';
export type { DrawdownStats } from './drawdown';
export { drawdownEpisodes, drawdownEpisodesFromReturns } from './drawdown-episodes';
export type { DrawdownEpisode } from './drawdown-episodes';
export { underwater, underwaterFromReturns } from './underwater';
export {
  annualizedReturn,
  annualizedVolatility,
  calmarRatio,
  cumulativeReturn,
  performanceStatistics,
  sharpeRatio,
  sortinoRatio,
  winRate,
} from './performance';
export type { PerformanceOptions, PerformanceStatistics } from './performance';
export { applyCaps, estimateKellyInputs, fixedFractionalFraction, kellyFraction, volatilityTargetWeight } from './position-size';
export type { CappedFraction, KellyInputs, KellyResult } from './position-size';
export { backtest } from './backtest';
export type { BacktestInput, BacktestResult } from './backtest';
export { christoffersen, conditionalCoverage, kupiecPof, trafficLight } from './backtest-statistics';
export type { LikelihoodRatioTest, TrafficLight, Transitions } from './backtest-statistics';
export { BACKTEST_METHODS, rollingVarForecasts } from './rolling-var';
export { rollingHistoricalVar } from './rolling-historical-var';
export type { BacktestMethod } from './rolling-var';
