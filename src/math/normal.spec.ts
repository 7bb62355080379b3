import { chiSquareSf1, chiSquareSf2, normalCdf, normalPdf, normalQuantile } from './normal';
import { expectRel } from '../../test/support/reference';

// Φ and 1 − Φ: mpmath 1.x ncdf at 50 digits, rounded to 17 (scipy's ndtr is itself off by up to
// 3e-14 relative in the far tail, e.g. at −20).
const CDF: Array<[number, number, number]> = [
  [-20, 2.7536241186062337e-89, 1.0],
  [-10, 7.6198530241605261e-24, 1.0],
  [-5.7, 5.9903714010635282e-9, 0.9999999940096286],
  [-5, 2.8665157187919391e-7, 0.99999971334842812],
  [-3, 0.0013498980316300945, 0.99865010196836991],
  [-1.5, 0.066807201268858066, 0.93319279873114193],
  [-0.66291, 0.25369409838973994, 0.74630590161026006],
  [-0.5, 0.3085375387259869, 0.6914624612740131],
  [-1e-10, 0.49999999996010577, 0.50000000003989423],
  [0, 0.5, 0.5],
  [0.3, 0.61791142218895263, 0.38208857781104737],
  [0.7, 0.75803634777692697, 0.24196365222307303],
  [1.96, 0.97500210485177956, 0.024997895148220436],
  [3.5, 0.99976737092096447, 0.00023262907903552504],
  [8, 0.99999999999999938, 6.2209605742717841e-16],
];
// Φ⁻¹: scipy 1.17.1 scipy.stats.norm.ppf.
const PPF: Array<[number, number]> = [
  [1e-300, -37.0470962993612],
  [1e-20, -9.262340089798409],
  [1e-12, -7.034483825301131],
  [1e-5, -4.264890793922825],
  [0.001, -3.090232306167813],
  [0.01, -2.3263478740408408],
  [0.025, -1.9599639845400545],
  [0.05, -1.6448536269514729],
  [0.075, -1.4395314709384563],
  [0.2, -0.8416212335729142],
  [0.8, 0.8416212335729143],
  [0.925, 1.4395314709384563],
  [0.99, 2.3263478740408408],
  [1 - 1e-12, 7.0344869100478356],
];

describe('standard normal distribution', () => {
  it.each(CDF)('Φ(%p) and 1 − Φ agree with mpmath to 1e-14 relative, deep tails included', (x, cdf, sf) => {
    expectRel(normalCdf(x), cdf, 1e-14);
    expectRel(normalCdf(-x), sf, 1e-14); // the upper tail without cancellation
  });

  it.each(PPF)('Φ⁻¹(%p) agrees with scipy to 1e-15 relative', (p, q) => {
    expectRel(normalQuantile(p), q, 1e-15);
  });

  it('is exactly symmetric and centred', () => {
    expect(normalQuantile(0.5)).toBe(0);
    // dyadic p, so that 1 − p is exact: both tails take the same branch with the same r
    for (const p of [2 ** -40, 2 ** -10, 0.0625, 0.25]) expect(normalQuantile(1 - p)).toBe(-normalQuantile(p));
    expect(normalCdf(0)).toBe(0.5);
  });

  it('inverts the distribution function', () => {
    for (let p = 0.0005; p < 1; p += 0.0137) expectRel(normalCdf(normalQuantile(p)), p, 2e-15);
  });

  it('gives the density 1/√(2π) at 0 and scipy’s value at 1.96', () => {
    expect(normalPdf(0)).toBe(0.3989422804014327);
    expectRel(normalPdf(1.96), 0.058440944333451476, 1e-15); // scipy.stats.norm.pdf(1.96)
  });

  it('maps the ends of [0, 1] to ∓∞ and refuses probabilities outside it', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(() => normalQuantile(1.5)).toThrow(/between 0 and 1/);
    expect(() => normalQuantile(NaN)).toThrow(/between 0 and 1/);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
  });

  it.each([
    [0.5, 0.47950012218695337, 0.7788007830714049],
    [3.84, 0.05004352124870519, 0.14660696213035013],
    [10.978931578268657, 0.0009215354301085308, 0.0041300499025746845],
    [40, 2.5396285894708634e-10, 2.0611536224385566e-9],
    [200, 2.0884875837625688e-45, 3.7200759760208177e-44],
  ])('χ² survival at %p for 1 and 2 degrees of freedom (scipy chi2.sf)', (x, sf1, sf2) => {
    expectRel(chiSquareSf1(x), sf1, 1e-13);
    expectRel(chiSquareSf2(x), sf2, 1e-14);
  });

  it('gives survival 1 at a statistic of 0', () => {
    expect(chiSquareSf1(0)).toBe(1);
    expect(chiSquareSf2(0)).toBe(1);
  });
});
