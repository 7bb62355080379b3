/** Summary statistics of a return series (math.md "Moments"). */
export interface Moments {
  count: number;
  mean: number;
  /** Sample standard deviation (divisor n − 1); 0 when n < 2. */
  stdDev: number;
  /** m3 / m2^1.5 with central moments over n (scipy.stats.skew default); 0 when m2 = 0. */
  skewness: number;
  /** m4 / m2² − 3 (scipy.stats.kurtosis default); 0 when m2 = 0. */
  excessKurtosis: number;
  min: number;
  max: number;
}

/** Mean, sample σ, skewness, excess kurtosis, min and max in two passes (mean first, then central sums). */
export function moments(x: ArrayLike<number>): Moments {
  const n = x.length;
  if (n === 0) return { count: 0, mean: NaN, stdDev: NaN, skewness: NaN, excessKurtosis: NaN, min: NaN, max: NaN };
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
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
  const stdDev = n > 1 ? Math.sqrt(s2 / (n - 1)) : 0;
  const skewness = m2 > 0 ? s3 / n / Math.pow(m2, 1.5) : 0;
  const excessKurtosis = m2 > 0 ? s4 / n / (m2 * m2) - 3 : 0;
  return { count: n, mean, stdDev, skewness, excessKurtosis, min, max };
}

/** Sample standard deviation (n − 1). */
export function sampleStdDev(x: ArrayLike<number>): number {
  return moments(x).stdDev;
}
