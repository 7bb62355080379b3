import { horizonScaling, sqrtTimeScale } from './horizon';
import { VAR_METHODS } from './types';

describe('horizon rules', () => {
  it.each(VAR_METHODS)('%s needs no scaling over one period', (method) => {
    expect(horizonScaling(method, 1)).toBe('none');
  });

  it.each([
    ['parametric', 'mean_variance'],
    ['historical', 'sqrt_time'],
    ['cornish_fisher', 'sqrt_time'],
    ['monte_carlo', 'simulated'],
    ['ewma', 'sqrt_time'],
    ['filtered_historical', 'sqrt_time'],
  ] as const)('names the rule that takes %s to 10 periods: %s', (method, scaling) => {
    expect(horizonScaling(method, 10)).toBe(scaling);
  });

  it('multiplies a one-period figure by √h and leaves it untouched for h = 1', () => {
    expect(sqrtTimeScale(-0.02, 1)).toBe(-0.02);
    expect(sqrtTimeScale(-0.02, 10)).toBe(-0.02 * Math.sqrt(10));
    expect(sqrtTimeScale(-0.02, 250)).toBeCloseTo(-0.02 * 15.811388300841896, 15);
  });
});
