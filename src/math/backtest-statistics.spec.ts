import { expectRel } from '../../test/support/reference';
import { christoffersen, christoffersenFromTransitions, conditionalCoverage, exceptionTransitions, kupiecPof, trafficLight } from './backtest-statistics';

describe('backtest statistics', () => {
  it('Kupiec POF against scipy (chi2.sf, 1 df)', () => {
    // numpy/scipy: LR = −2[(T−x)ln(1−α) + x ln α] + 2[(T−x)ln(1−x/T) + x ln(x/T)]
    const a = kupiecPof(250, 5, 0.01);
    expectRel(a.lr, 1.956809788230622, 1e-12);
    expectRel(a.pValue, 0.1618549171960387, 1e-12);
    const b = kupiecPof(1000, 3, 0.05);
    expectRel(b.lr, 79.40737372173999, 1e-12);
    expectRel(b.pValue, 5.053714343413487e-19, 1e-10);
  });

  it('stays finite at x = 0, x = T and every observation an exception (0·ln 0 = 0)', () => {
    for (const [T, x] of [[250, 0], [250, 250], [1, 1], [1, 0]]) {
      const k = kupiecPof(T, x, 0.01);
      expect(Number.isFinite(k.lr) && Number.isFinite(k.pValue)).toBe(true);
    }
    for (const ind of [[0, 0, 0], [1, 1, 1], [1], [], [0, 1], [1, 0, 1, 0]]) {
      const c = christoffersen(ind);
      expect(Number.isFinite(c.lr) && c.lr >= 0 && c.pValue <= 1).toBe(true);
    }
  });

  it('gives the closed forms with no exception and with every observation an exception', () => {
    expect(kupiecPof(250, 0, 0.01).lr).toBeCloseTo(-2 * 250 * Math.log(0.99), 10);
    const all = kupiecPof(10, 10, 0.01);
    expect(Number.isFinite(all.lr)).toBe(true);
    expect(all.lr).toBeCloseTo(-2 * 10 * Math.log(0.01), 10);
    const ind = christoffersenFromTransitions(exceptionTransitions([1, 1, 1, 1]));
    expect(ind).toEqual({ lr: 0, pValue: 1 });
  });

  it('counts transitions of the exception indicator', () => {
    expect(exceptionTransitions([0, 0, 1, 1, 0, 1])).toEqual({ n00: 1, n01: 2, n10: 1, n11: 1 });
  });

  it('Christoffersen independence from the transition counts (scipy chi2.sf)', () => {
    const c = christoffersen([0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0]);
    expect(c.transitions).toEqual({ n00: 8, n01: 4, n10: 4, n11: 3 });
    expectRel(c.lr, 0.17112602175623692, 1e-12);
    expectRel(c.pValue, 0.6791130093713824, 1e-12);
    const cc = conditionalCoverage({ lr: 1, pValue: 0 }, c);
    expectRel(cc.pValue, Math.exp(-(1 + c.lr) / 2), 1e-15);
  });

  it('colours the Basel traffic light green up to 4, yellow 5–9, red from 10 exceptions', () => {
    expect([0, 4, 5, 9, 10, 30].map(trafficLight)).toEqual(['green', 'green', 'yellow', 'yellow', 'red', 'red']);
  });
});
