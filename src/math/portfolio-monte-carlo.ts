import { choleskyPsd } from './cholesky';
import { EulerFigures, meanOf } from './euler-contributions';
import { meanBelow } from './expected-shortfall';
import { MonteCarloRun, quantileStandardError, simulationBuffer } from './monte-carlo-var';
import { centralMoments, momentsFromCentral } from './moments';
import { Xoshiro128 } from './prng';
import { quantileWithIndices } from './quantile';
import { McDistribution, Series } from './types';

/**
 * Monte Carlo VaR and CVaR of a portfolio with their Euler contributions (docs/math.md "Stored
 * portfolios"): N scenarios simulated jointly — `normal`: μ and the Cholesky factor of the sample
 * covariance Σ (n − 1); `bootstrap`: whole dates resampled — each asset compounded over h periods
 * and the portfolio held (buy and hold: R_p = Σ wᵢ Rᵢ, so the figure stays homogeneous in w);
 * then as historical on the N scenarios: VaR = type-7 α-quantile of R_p, componentᵢ = wᵢ times the
 * interpolated asset returns of its two order statistics; CVaR componentᵢ = wᵢ × mean of Rᵢ over
 * the scenarios below the VaR. The same seed gives the same figures bit for bit; memory O(N + k²),
 * as the scenarios are generated twice (figures, then contributions) from the same seed.
 * Inputs validated by portfolioRisk; nothing is mutated.
 */
export function portfolioMonteCarlo(
  weights: Series,
  assetReturns: readonly Series[],
  alpha: number,
  simulations: number,
  distribution: McDistribution,
  h: number,
  seed: number,
): EulerFigures & { monteCarlo: MonteCarloRun } {
  const k = weights.length;
  const n = assetReturns[0].length;
  const mu = new Float64Array(k);
  for (let i = 0; i < k; i++) mu[i] = meanOf(assetReturns[i], n);
  let chol: Float64Array = new Float64Array(0);
  if (distribution === 'normal') {
    const cov = new Float64Array(k * k);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j <= i; j++) {
        const ri = assetReturns[i];
        const rj = assetReturns[j];
        let s = 0;
        for (let t = 0; t < n; t++) s += (ri[t] - mu[i]) * (rj[t] - mu[j]);
        cov[i * k + j] = cov[j * k + i] = s / (n - 1);
      }
    }
    chol = choleskyPsd(cov, k);
  }
  const growth = new Float64Array(k);
  const z = new Float64Array(k);
  /** Fills `growth` with 1 + Rᵢ for the next scenario and returns R_p = Σ wᵢ Rᵢ. */
  const scenario = (rng: Xoshiro128): number => {
    growth.fill(1);
    for (let d = 0; d < h; d++) {
      if (distribution === 'normal') {
        for (let i = 0; i < k; i++) z[i] = rng.nextNormal();
        for (let i = 0; i < k; i++) {
          let r = mu[i];
          const row = i * k;
          for (let m = 0; m <= i; m++) r += chol[row + m] * z[m];
          growth[i] *= r < -1 ? 0 : 1 + r;
        }
      } else {
        const t = rng.nextIndex(n);
        for (let i = 0; i < k; i++) growth[i] *= 1 + assetReturns[i][t];
      }
    }
    let rp = 0;
    for (let i = 0; i < k; i++) rp += weights[i] * (growth[i] - 1);
    return rp;
  };

  const buf = simulationBuffer(simulations).subarray(0, simulations);
  let rng = new Xoshiro128(seed);
  for (let s = 0; s < simulations; s++) buf[s] = scenario(rng);
  const sim = momentsFromCentral(centralMoments(buf, simulations));
  const q = quantileWithIndices(buf, alpha);
  const varReturn = q.value;
  const cvarReturn = meanBelow(buf, varReturn, simulations);
  const standardError = quantileStandardError(alpha, simulations, varReturn, sim.mean, sim.stdDev);

  // Second pass over the same stream: the asset returns of the two order statistics and the tail.
  const lower = new Float64Array(k);
  const upper = new Float64Array(k);
  const tailSum = new Float64Array(k);
  let tailCount = 0;
  rng = new Xoshiro128(seed);
  for (let s = 0; s < simulations; s++) {
    scenario(rng);
    if (s === q.lowIndex) for (let i = 0; i < k; i++) lower[i] = growth[i] - 1;
    if (s === q.highIndex) for (let i = 0; i < k; i++) upper[i] = growth[i] - 1;
    if (buf[s] < varReturn) {
      tailCount++;
      for (let i = 0; i < k; i++) tailSum[i] += growth[i] - 1;
    }
  }
  const varComponents = new Float64Array(k);
  const cvarComponents = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    varComponents[i] = weights[i] * ((1 - q.fraction) * lower[i] + q.fraction * upper[i]);
    cvarComponents[i] = tailCount === 0 ? varComponents[i] : (weights[i] * tailSum[i]) / tailCount;
  }
  return {
    varReturn,
    cvarReturn,
    varComponents,
    cvarComponents,
    monteCarlo: { simulations, seed, distribution, standardError },
  };
}
