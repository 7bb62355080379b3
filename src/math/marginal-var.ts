import { InvalidInputError } from './errors';
import { Series } from './types';

/**
 * Marginal VaR (docs/math.md "What-if and marginal VaR"): ∂VaR/∂wᵢ of the current book, read off its
 * Euler allocation as componentᵢ / wᵢ (return terms, over the horizon of the components, a loss
 * negative); null for an asset of weight 0, whose component says nothing about its gradient.
 *
 * @param weights wᵢ, finite (not mutated)
 * @param components the Euler components of the same book, one per weight (not mutated)
 */
export function marginalVar(weights: Series, components: Series): Array<number | null> {
  if (weights.length !== components.length) {
    throw new InvalidInputError(`marginal VaR needs one component per weight: ${weights.length} weights, ${components.length} components`, 'components');
  }
  const out: Array<number | null> = new Array(weights.length);
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i];
    if (typeof w !== 'number' || !Number.isFinite(w)) throw new InvalidInputError(`weights[${i}] must be a finite number`, `weights[${i}]`);
    out[i] = w === 0 ? null : components[i] / w;
  }
  return out;
}
