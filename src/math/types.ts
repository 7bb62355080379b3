/** Shared types of the risk maths. */

/** A numeric series (returns, equity values): never mutated by the maths. */
export type Series = Float64Array | readonly number[];

/** VaR / CVaR estimation methods (docs/math.md "VaR" and "Volatility-model VaR"). */
export const VAR_METHODS = ['historical', 'parametric', 'cornish_fisher', 'monte_carlo', 'ewma', 'filtered_historical'] as const;
export type VarMethod = (typeof VAR_METHODS)[number];

/** The methods that take an EWMA volatility with decay `lambda` (docs/math.md "Volatility-model VaR"). */
export const VOLATILITY_METHODS = ['ewma', 'filtered_historical'] as const;

/** The methods whose portfolio VaR has an Euler allocation (filtered_historical has none: docs/math.md). */
export type EulerVarMethod = Exclude<VarMethod, 'filtered_historical'>;

/** Monte Carlo return distributions (docs/math.md "Monte Carlo"). */
export const MC_DISTRIBUTIONS = ['normal', 'bootstrap'] as const;
export type McDistribution = (typeof MC_DISTRIBUTIONS)[number];

/** How a one-period figure was taken to the horizon (docs/math.md "Horizon"). */
export type Scaling = 'none' | 'sqrt_time' | 'mean_variance' | 'simulated';
