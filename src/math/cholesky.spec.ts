import { choleskyPsd } from './cholesky';

describe('choleskyPsd', () => {
  it('factors a positive semi-definite covariance (L Lᵀ = Σ), rank-deficient included', () => {
    const a = Float64Array.from([4, 2, 2, 2, 1, 1, 2, 1, 3]); // the second column is half the first on rows 1–2
    const l = choleskyPsd(a, 3);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let m = 0; m < 3; m++) s += l[i * 3 + m] * l[j * 3 + m];
        expect(s).toBeCloseTo(a[i * 3 + j], 12);
      }
    }
    expect(l[1 * 3 + 1]).toBe(0);
  });

  it('factors a positive definite matrix as the textbook Cholesky does', () => {
    const l = choleskyPsd(Float64Array.from([4, 2, 2, 3]), 2); // L = [[2, 0], [1, √2]]
    expect(Array.from(l)).toEqual([2, 0, 1, Math.SQRT2]);
  });

  it('leaves the factor of a zero matrix zero (no dispersion: nothing to simulate)', () => {
    expect(Array.from(choleskyPsd(new Float64Array(4), 2))).toEqual([0, 0, 0, 0]);
  });
});
