import { InvalidInputError } from './errors';
import { marginalVar } from './marginal-var';
import { portfolioRisk } from './portfolio-risk';
import { EulerVarMethod } from './types';
import { expectRel, loadQuantReference, loadReference, simpleReturns } from '../../test/support/reference';

const reference = loadReference();
const quant = loadQuantReference();
const assets = [simpleReturns(reference.series.SMI.prices), simpleReturns(reference.series.CAC.prices)];

const CASES = Object.entries(quant.portfolio as Record<string, any>).flatMap(([book, p]) =>
  (p.marginal as Array<Record<string, any>>).map((m) => [book, m.method as EulerVarMethod, m.confidence as number, p.weights as number[], m] as const),
);

describe('marginal VaR', () => {
  it.each(CASES)('of the %s book by %s at %p %% equals numpy (components / weights)', (_book, method, confidence, weights, m) => {
    const p = portfolioRisk({ weights, assetReturns: assets, confidence, method });
    expectRel(p.varReturn, m.var);
    p.varComponents.forEach((c, i) => expectRel(c, m.components[i]));
    marginalVar(weights, p.varComponents).forEach((v, i) => expectRel(v!, m.marginal[i]));
  });

  it('is null for an asset of weight 0 and componentᵢ / wᵢ otherwise', () => {
    expect(marginalVar([0.5, 0, -0.5], [-0.01, 0, 0.004])).toEqual([-0.02, null, -0.008]);
  });

  it('is the VaR itself for a one-asset book', () => {
    const p = portfolioRisk({ weights: [1], assetReturns: [assets[0]], confidence: 99, method: 'parametric' });
    expect(marginalVar([1], p.varComponents)).toEqual([p.varReturn]);
  });

  it('refuses mismatched lengths and bad weights', () => {
    expect(() => marginalVar([1, 0], [0.1])).toThrow(InvalidInputError);
    expect(() => marginalVar([NaN], [0.1])).toThrow('weights[0] must be a finite number');
  });
});
