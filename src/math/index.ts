/**
 * Public API of the risk maths (pure TypeScript: no Nest, no I/O, no big.js). Conventions:
 * docs/math.md — confidence is a percentage, returns are simple returns as fractions,
 * VaR / CVaR are in return terms with a loss negative, drawdowns are positive depths.
 */
export * from './errors';
export * from './types';
export * from './validation';
export { Xoshiro128, createRng } from './prng';
export { normalPdf, normalCdf, normalSf, normalQuantile, chiSquareSf1, chiSquareSf2 } from './normal';
export { quantileType7, quantileInPlace, quantileWithIndices, selectInPlace, lowTailQuantile } from './quantile';
export type { QuantileWithIndices } from './quantile';
export { moments, centralMoments, momentsFromCentral, sampleStdDev } from './moments';
export type { Moments, CentralMoments } from './moments';
export { historicalVar } from './historical-var';
export { parametricVar, gaussianVar } from './parametric-var';
export { cornishFisherVar, cornishFisherVarFromMoments, cornishFisherZ } from './cornish-fisher-var';
export {
  historicalCvar,
  parametricCvar,
  cornishFisherCvar,
  gaussianCvar,
  cornishFisherCvarFromMoments,
  cornishFisherTail,
  meanBelow,
  tailMeanBelow,
  modifiedEs,
} from './expected-shortfall';
export type { CornishFisherTail } from './expected-shortfall';
export { horizonScaling, sqrtTimeScale } from './horizon';
export { monteCarloVar, minObservationsMonteCarlo, drawSeed, MC_DEFAULT_SIMULATIONS, MC_MAX_SIMULATIONS } from './monte-carlo-var';
export type { MonteCarloOptions, MonteCarloResult } from './monte-carlo-var';
export { computeRisk, minObservations, RISK_METHODS, scalingFor } from './var';
export type { RiskInput, RiskResult, RiskMethod } from './var';
export { drawdownStats, drawdownFromReturns } from './drawdown';
export type { DrawdownStats } from './drawdown';
export { fixedFractionalFraction, kellyFraction, estimateKellyInputs, volatilityTargetWeight, applyCaps } from './position-size';
export type { KellyResult, KellyInputs, CappedFraction } from './position-size';
export {
  backtest,
  kupiecPof,
  christoffersen,
  christoffersenFromTransitions,
  christoffersenIndependence,
  conditionalCoverage,
  exceptionTransitions,
  transitionCounts,
  trafficLight,
  rollingVarForecasts,
  rollingHistoricalForecasts,
  BACKTEST_METHODS,
} from './backtest';
export type { BacktestMethod, BacktestInput, BacktestResult, LikelihoodRatioTest, Transitions, TrafficLight } from './backtest';
export { portfolioRisk, portfolioReturns, choleskyPsd, cornishFisherSensitivities } from './portfolio';
export type { PortfolioRiskInput, PortfolioRiskResult } from './portfolio';
