/** Shared types of the risk maths. */

/** A numeric series (returns, equity values): never mutated by the maths. */
export type Series = Float64Array | readonly number[];

/** VaR / CVaR estimation methods (docs/math.md "VaR"). */
export const VAR_METHODS = ['historical', 'parametric', 'cornish_fisher', 'monte_carlo'] as const;
export type VarMethod = (typeof VAR_METHODS)[number];

/** Monte Carlo return distributions (docs/math.md "Monte Carlo"). */
export const MC_DISTRIBUTIONS = ['normal', 'bootstrap'] as const;
export type McDistribution = (typeof MC_DISTRIBUTIONS)[number];

/** How a one-period figure was taken to the horizon (docs/math.md "Horizon"). */
export type Scaling = 'none' | 'sqrt_time' | 'mean_variance' | 'simulated';
