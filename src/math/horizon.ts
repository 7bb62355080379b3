import { Scaling, VarMethod } from './types';

/**
 * How a method takes a one-period figure to a horizon of h periods (docs/math.md "Horizon"):
 * `none` when h = 1; else `mean_variance` (parametric: μh + zσ√h), `sqrt_time` (historical and
 * Cornish–Fisher, EWMA and filtered historical: one-period figure × √h) or `simulated` (Monte Carlo:
 * compounded h-period paths).
 */
export function horizonScaling(method: VarMethod, horizonDays: number): Scaling {
  if (horizonDays === 1) return 'none';
  switch (method) {
    case 'parametric':
      return 'mean_variance';
    case 'historical':
    case 'cornish_fisher':
    case 'ewma':
    case 'filtered_historical':
      return 'sqrt_time';
    case 'monte_carlo':
      return 'simulated';
  }
}

/** Square-root-of-time rule: a one-period figure × √h. */
export function sqrtTimeScale(onePeriod: number, horizonDays: number): number {
  return horizonDays === 1 ? onePeriod : onePeriod * Math.sqrt(horizonDays);
}
