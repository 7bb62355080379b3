import { quantileType7 } from './quantile';
import { assertConfidence, assertMinCount, assertReturns, minObservationsHistorical, tailProbability } from './validation';

/**
 * Historical VaR: the type-7 quantile at α = 1 − c/100 of the returns, one period, in
 * return terms (a loss is negative). `confidence` is a percentage. Needs ⌈100/(100 − c)⌉
 * returns so the quantile lies inside the sample. Reference: numpy.quantile(r, α).
 */
export function historicalVar(returns: ArrayLike<number>, confidence: number): number {
  assertConfidence(confidence);
  assertReturns(returns);
  assertMinCount(returns.length, minObservationsHistorical(confidence), 'historical VaR', confidence);
  return quantileType7(returns, tailProbability(confidence));
}

/** The mean of the values of `x` strictly below `q`; `q` itself when there are none. */
export function tailMeanBelow(x: ArrayLike<number>, q: number, n = x.length): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v < q) {
      sum += v;
      count++;
    }
  }
  return count === 0 ? q : sum / count;
}
