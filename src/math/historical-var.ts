import { lowTailQuantile, quantileOfScratch, scratchOf } from './quantile';
import { assertConfidence, assertMinCount, assertReturns, minObservationsHistorical, tailProbability } from './validation';

/**
 * Historical VaR: the type-7 quantile at α = 1 − c/100 of the returns, one period, in
 * return terms (a loss is negative). `confidence` is a percentage. Needs ⌈100/(100 − c)⌉
 * returns so the quantile lies inside the sample. Reference: numpy.quantile(r, α).
 */
export function historicalVar(returns: ArrayLike<number>, confidence: number): number {
  assertConfidence(confidence);
  const n = returns.length;
  assertMinCount(n, minObservationsHistorical(confidence), 'historical VaR', confidence);
  const alpha = tailProbability(confidence);
  const throwFor = () => assertReturns(returns); // throws, naming the element
  const shallow = lowTailQuantile(returns, alpha, throwFor);
  if (shallow !== undefined) return shallow;
  // Validation fused with the copy into the selection buffer: one pass over the input.
  const a = scratchOf(n);
  for (let i = 0; i < n; i++) {
    const v = returns[i];
    if (!(v > -1 && v < Infinity)) assertReturns(returns); // throws, naming the element
    a[i] = v;
  }
  return quantileOfScratch(a, n, alpha);
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
