import { loadReference, simpleReturns } from '../../test/support/reference';
import { syntheticAssets } from '../../test/support/synthetic-returns';
import { portfolioReturns, portfolioRisk, PortfolioRiskInput } from './portfolio-risk';

const reference = loadReference();
const smi = simpleReturns(reference.series.SMI.prices);
const cac = simpleReturns(reference.series.CAC.prices);
const sum = (x: Float64Array) => x.reduce((a, b) => a + b, 0);

describe('portfolio Monte Carlo', () => {
  const weights = [0.6, 0.4];
  const assets = [smi, cac];

  it('monte carlo is reproducible by seed and close to the parametric figure', () => {
    const input: PortfolioRiskInput = { weights, assetReturns: assets, confidence: 99, method: 'monte_carlo', seed: 5, simulations: 50_000 };
    const a = portfolioRisk(input);
    const b = portfolioRisk(input);
    expect(Object.is(a.varReturn, b.varReturn)).toBe(true);
    const param = portfolioRisk({ ...input, method: 'parametric' });
    expect(Math.abs(a.varReturn - param.varReturn)).toBeLessThan(4 * a.monteCarlo!.standardError);
  });
});

describe('portfolio Monte Carlo over a book with a short position', () => {
  const weights = Object.freeze([0.7, 0.5, -0.2]);
  const R = syntheticAssets(3, 400, 99).map((s) => Object.freeze(s));

  it('monte carlo: bootstrap resamples whole dates, reproducibly; collinear assets still simulate', () => {
    const a = portfolioRisk({ weights, assetReturns: R, confidence: 99, method: 'monte_carlo', distribution: 'bootstrap', seed: 8, simulations: 20_000 });
    const b = portfolioRisk({ weights, assetReturns: R, confidence: 99, method: 'monte_carlo', distribution: 'bootstrap', seed: 8, simulations: 20_000 });
    expect(Array.from(a.varComponents)).toEqual(Array.from(b.varComponents));
    expect(Math.abs(sum(a.varComponents) - a.varReturn)).toBeLessThan(1e-14);
    // one-period bootstrap scenarios are historical portfolio returns: the VaR lies within their range
    const hist = portfolioReturns(weights, R);
    expect(a.varReturn).toBeGreaterThanOrEqual(Math.min(...hist));
    expect(a.varReturn).toBeLessThanOrEqual(Math.max(...hist));
    const twin = portfolioRisk({ weights: [0.5, 0.5], assetReturns: [smi, smi], confidence: 99, method: 'monte_carlo', seed: 2, simulations: 50_000 });
    const single = portfolioRisk({ weights: [1], assetReturns: [smi], confidence: 99, method: 'parametric' });
    expect(Math.abs(twin.varReturn - single.varReturn)).toBeLessThan(4 * twin.monteCarlo!.standardError);
    expect(twin.varComponents[0]).toBeCloseTo(twin.varComponents[1], 15);
  });
});
