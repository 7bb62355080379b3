import { InsufficientDataError } from './errors';
import { Series } from './types';

/** Summary statistics of a return series (docs/math.md "Moments"). */
export interface Moments {
  count: number;
  /** μ = Σr/n. */
  mean: number;
  /** Sample standard deviation (divisor n − 1); 0 when n = 1 or every value is equal. */
  stdDev: number;
  /** m3 / m2^1.5 with central moments over n (scipy.stats.skew, PerformanceAnalytics "moment"); 0 when m2 = 0. */
  skewness: number;
  /** m4 / m2² − 3 (scipy.stats.kurtosis, PerformanceAnalytics "excess"); 0 when m2 = 0. */
  excessKurtosis: number;
  min: number;
  max: number;
}

/** Central moments over n, the raw material of Moments and of the Cornish–Fisher gradients. */
export interface CentralMoments {
  count: number;
  mean: number;
  /** Σ(r − μ)²/n, Σ(r − μ)³/n, Σ(r − μ)⁴/n; all 0 when the series has no dispersion. */
  m2: number;
  m3: number;
  m4: number;
  min: number;
  max: number;
  /** True when m2 is zero or below rounding noise: skewness and kurtosis are then reported as 0. */
  degenerate: boolean;
}

/**
 * Whether m2 is indistinguishable from 0 given the rounding of μ: m2 ≤ (1e-15·μ)²
 * (scipy.stats.skew uses the same test and returns NaN there; we report 0, never NaN); or so small
 * that m2² underflows to 0 (m2 < ≈ 1.5e-162), where S = m3 / m2^1.5 and K = m4 / m2² would be 0/0
 * (scipy: NaN as well; the fuzz found [0, 3.14e-162], whose Cornish–Fisher VaR was NaN).
 */
export function isDegenerateVariance(m2: number, mean: number): boolean {
  const eps = 1e-15 * mean;
  return m2 <= eps * eps || m2 * m2 === 0;
}

/**
 * Central moments of x[0..n−1] in two passes (the mean first, then the central sums), which is
 * accurate and cheap. A constant series (min = max) gives exactly m2 = m3 = m4 = 0.
 */
export function centralMoments(x: ArrayLike<number>, n = x.length): CentralMoments {
  if (n < 1) throw new InsufficientDataError('Cannot compute moments of 0 returns: need at least 1', 'returns');
  let sum = 0;
  let min = x[0];
  let max = x[0];
  for (let i = 0; i < n; i++) {
    const v = x[i];
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === max) return { count: n, mean: min, m2: 0, m3: 0, m4: 0, min, max, degenerate: true };
  const mean = sum / n;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - mean;
    const d2 = d * d;
    s2 += d2;
    s3 += d2 * d;
    s4 += d2 * d2;
  }
  const m2 = s2 / n;
  const degenerate = isDegenerateVariance(m2, mean);
  return { count: n, mean, m2, m3: s3 / n, m4: s4 / n, min, max, degenerate };
}

/** Moments from central moments (σ over n − 1; S and K over n; S = K = 0 when m2 = 0). */
export function momentsFromCentral(c: CentralMoments): Moments {
  const n = c.count;
  const stdDev = n < 2 || c.m2 === 0 ? 0 : Math.sqrt((c.m2 * n) / (n - 1));
  const skewness = c.degenerate ? 0 : c.m3 / (c.m2 * Math.sqrt(c.m2));
  const excessKurtosis = c.degenerate ? 0 : c.m4 / (c.m2 * c.m2) - 3;
  return { count: n, mean: c.mean, stdDev, skewness, excessKurtosis, min: c.min, max: c.max };
}

/**
 * Count, mean, sample σ (n − 1), skewness and excess kurtosis (central moments over n), min and
 * max of a series (docs/math.md "Moments"; reproduces numpy mean/std(ddof=1), scipy.stats.skew and
 * scipy.stats.kurtosis). Needs at least 1 value; with 1 value, or no dispersion, σ, S and K are 0.
 * Values must be finite (validate first).
 */
export function moments(x: Series): Moments {
  return momentsFromCentral(centralMoments(x));
}
