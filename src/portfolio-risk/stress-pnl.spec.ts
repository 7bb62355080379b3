import Big from 'big.js';
import { InvalidStateError } from '../common/errors';
import { compoundedReturn, historicalScenarioReturns, portfolioReturns, shockReturns, worstWindow } from '../math';
import { stressPnl } from './stress-pnl';
import { expectRel, loadQuantReference, stressHistories } from '../../test/support/reference';

const quant = loadQuantReference();
const { histories, aligned } = stressHistories();
const ids = quant.stress.assets as string[];
const values = (quant.stress.market_values as string[]).map((v) => new Big(v));

/** Rᵢ of a scenario of quant-reference.json, by the maths of src/math/stress.ts. */
function scenarioReturns(s: Record<string, any>): Float64Array {
  switch (s.type) {
    case 'shock':
      return shockReturns(ids, s.shocks);
    case 'historical':
      return historicalScenarioReturns(histories, s.from, s.to);
    default: {
      const w = worstWindow(portfolioReturns([0.6, 0.4], aligned), s.days);
      return Float64Array.from(aligned, (col) => compoundedReturn(col, w.start, w.end + 1));
    }
  }
}

describe('stress P&L', () => {
  it.each((quant.stress.scenarios as Array<Record<string, any>>).map((s) => [s.name, s] as const))(
    '%s: P&L per asset and in total, to the cent, and its return equal numpy',
    (_name, s) => {
      const p = stressPnl(ids, values, scenarioReturns(s));
      expect(p.pnl).toBe(s.pnl);
      expect(p.assets.map((a) => a.pnl)).toEqual(s.assets.map((a: { pnl: string }) => a.pnl));
      expect(p.assets.map((a) => a.assetId)).toEqual(ids);
      expectRel(p.pnlReturn, s.pnl_return);
    },
  );

  it('totals the unrounded terms, then rounds half-even', () => {
    // 0.005 and 0.005 round to 0.00 each (half-even), their sum 0.01 stays 0.01
    const p = stressPnl(['A', 'B'], [new Big('0.5'), new Big('0.5')], [0.01, 0.01]);
    expect(p.assets.map((a) => a.pnl)).toEqual(['0.00', '0.00']);
    expect(p.pnl).toBe('0.01');
    expect(p.pnlReturn).toBe(0.01);
  });

  it('keeps money exact beyond a double', () => {
    const p = stressPnl(['A'], [new Big('12345678901234567.89')], [-0.1]);
    expect(p.pnl).toBe('-1234567890123456.79');
  });

  it('reports a short position’s gain on a fall', () => {
    const p = stressPnl(['A', 'B'], [new Big('150'), new Big('-50')], [-0.2, -0.2]);
    expect(p.assets.map((a) => a.pnl)).toEqual(['-30.00', '10.00']);
    expect(p.pnl).toBe('-20.00');
    expect(p.pnlReturn).toBeCloseTo(-0.2, 15);
  });

  it('refuses a book whose net market value is not positive (422)', () => {
    expect(() => stressPnl(['A', 'B'], [new Big('100'), new Big('-100')], [0.1, 0.1])).toThrow(InvalidStateError);
  });
});
