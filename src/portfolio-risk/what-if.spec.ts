import Big from 'big.js';
import { InvalidStateError } from '../common/errors';
import { portfolioRisk, VarMethod } from '../math';
import { whatIf } from './what-if';
import { expectRel, loadQuantReference, loadReference, simpleReturns } from '../../test/support/reference';

const reference = loadReference();
const quant = loadQuantReference();
const assets = [simpleReturns(reference.series.SMI.prices), simpleReturns(reference.series.CAC.prices)].map((s) => Object.freeze(s));
const W = quant.what_if;
const big = (xs: string[]) => xs.map((x) => new Big(x));

describe('whatIf', () => {
  it.each((W.cases as Array<Record<string, any>>).map((c) => [c.method as VarMethod, c.confidence as number, c] as const))(
    '%s at %p %%: before, after, incremental and marginal VaR equal numpy',
    (method, confidence, c) => {
      const r = whatIf({ assetIds: W.assets, marketValues: big(W.market_values), changes: big(W.changes), assetReturns: assets, options: { method, confidence } });
      expectRel(r.before.varReturn, c.before.var_return);
      expectRel(r.after.varReturn, c.after.var_return);
      expect([r.before.var, r.after.var, r.incrementalVar]).toEqual([c.before.var, c.after.var, c.incremental_var]);
      r.marginal.forEach((m, i) => {
        expect(m.assetId).toBe(W.assets[i]);
        expectRel(m.marginalVarReturn!, c.marginal_var_returns[i]);
      });
    },
  );

  it('answers an incremental VaR of 0 for no change', () => {
    const r = whatIf({ assetIds: ['SMI', 'CAC'], marketValues: big(['600', '400']), changes: big(['0', '0']), assetReturns: assets, options: { method: 'historical', confidence: 99 } });
    expect(r.after).toEqual(r.before);
    expect(r.incrementalVar).toBe('0.00');
  });

  it('gives a new asset (weight 0 now) a null marginal VaR', () => {
    const r = whatIf({ assetIds: ['SMI', 'CAC'], marketValues: big(['1000', '0']), changes: big(['0', '500']), assetReturns: assets, options: { method: 'parametric', confidence: 95 } });
    expect(r.marginal[1].marginalVarReturn).toBeNull();
    expect(r.marginal[0].marginalVarReturn).toBe(r.before.varReturn);
  });

  it('answers no marginal VaR for filtered_historical (no Euler allocation)', () => {
    const r = whatIf({ assetIds: ['SMI', 'CAC'], marketValues: big(['600', '400']), changes: big(['100', '0']), assetReturns: assets, options: { method: 'filtered_historical', confidence: 99 } });
    expect(r.marginal.map((m) => m.marginalVarReturn)).toEqual([null, null]);
    const weights = ['700', '400'].map((v) => Number(new Big(v).div('1100')));
    expect(r.after.varReturn).toBe(portfolioRisk({ weights, assetReturns: assets, confidence: 99, method: 'filtered_historical' }).varReturn);
  });

  it('simulates both Monte Carlo books with one seed, so a zero trade changes nothing', () => {
    const r = whatIf({ assetIds: ['SMI', 'CAC'], marketValues: big(['600', '400']), changes: big(['0', '0']), assetReturns: assets, options: { method: 'monte_carlo', confidence: 99, simulations: 2000 } });
    expect(r.incrementalVar).toBe('0.00');
  });

  it('refuses a trade that leaves the book without a positive value (422)', () => {
    expect(() =>
      whatIf({ assetIds: ['SMI', 'CAC'], marketValues: big(['600', '400']), changes: big(['-600', '-400']), assetReturns: assets, options: { method: 'historical', confidence: 99 } }),
    ).toThrow(InvalidStateError);
  });
});
