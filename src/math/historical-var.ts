import { quantileType7 } from './quantile';
import { Series } from './types';
import { assertConfidence, assertReturns, minObservationsHistorical, requireObservations, tailProbability } from './validation';

/**
 * Historical VaR in return terms: the type-7 α-quantile of the returns, α = 1 − c/100
 * (docs/math.md "VaR"; numpy `np.quantile(r, α)`, PerformanceAnalytics `VaR(method = "historical")`).
 * A loss is negative. One period (the facade applies √h for a horizon).
 *
 * @param returns simple returns as fractions, oldest first (not mutated)
 * @param confidence a percentage, 50 < c < 100 (e.g. 99)
 * @throws InvalidInputError on a bad value or confidence; InsufficientDataError below
 *   ⌈1/α⌉ returns ("Cannot compute historical VaR from 3 returns at 99 %: need at least 100")
 */
export function historicalVar(returns: Series, confidence: number): number {
  assertConfidence(confidence);
  assertReturns(returns);
  requireObservations(returns.length, minObservationsHistorical(confidence), 'historical VaR', confidence);
  return quantileType7(returns, tailProbability(confidence));
}
