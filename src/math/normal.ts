/**
 * Standard normal distribution: density, distribution function and quantile, and the
 * chi-square survival functions the backtests need. Float64 throughout.
 */
const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** φ(x), the standard normal density. */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / SQRT_2PI;
}

/**
 * Upper tail Q(x) = 1 − Φ(x) for x ≥ 0. Below 2.5: Hart's algorithm 5666 as given by West
 * (2005), "Better approximations to cumulative normal functions" (~1e-15 there); from 2.5 on,
 * Laplace's continued fraction Q(x) = φ(x) / (x + 1/(x + 2/(x + 3/(x + …)))), 80 terms,
 * which keeps ~1e-14 relative accuracy far into the tail (checked against scipy.stats.norm.sf).
 */
function upperTail(x: number): number {
  if (x >= 2.5) {
    if (x > 38.5) return 0;
    let f = x;
    for (let k = 80; k >= 1; k--) f = x + k / f;
    return normalPdf(x) / f;
  }
  const e = Math.exp(-0.5 * x * x);
  let n = 3.52624965998911e-2 * x + 0.700383064443688;
  n = n * x + 6.37396220353165;
  n = n * x + 33.912866078383;
  n = n * x + 112.079291497871;
  n = n * x + 221.213596169931;
  n = n * x + 220.206867912376;
  let d = 8.83883476483184e-2 * x + 1.75566716318264;
  d = d * x + 16.064177579207;
  d = d * x + 86.7807322029461;
  d = d * x + 296.564248779674;
  d = d * x + 637.333633378831;
  d = d * x + 793.826512519948;
  d = d * x + 440.413735824752;
  return (e * n) / d;
}

/** Φ(x), the standard normal distribution function. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  return x >= 0 ? 1 - upperTail(x) : upperTail(-x);
}

// Acklam's rational approximation (relative error 1.15e-9), refined below by one Halley step.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/**
 * Φ⁻¹(p), the standard normal quantile, for 0 < p < 1: Acklam's approximation refined with
 * Halley's method on the accurate Φ above (agrees with scipy.stats.norm.ppf to ~1e-15).
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    return NaN;
  }
  let x: number;
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  } else if (p <= 1 - P_LOW) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  for (let i = 0; i < 2; i++) {
    // Work in the tail that is small, so the residual keeps its relative precision.
    const e = x < 0 ? upperTail(-x) - p : 1 - p - upperTail(x);
    const u = e * SQRT_2PI * Math.exp(0.5 * x * x);
    x = x - u / (1 + 0.5 * x * u);
  }
  return x;
}

/** P(χ²₁ > x) = erfc(√(x/2)) = 2·(1 − Φ(√x)). */
export function chiSquare1Sf(x: number): number {
  if (!(x > 0)) return 1;
  return 2 * upperTail(Math.sqrt(x));
}

/** P(χ²₂ > x) = exp(−x/2). */
export function chiSquare2Sf(x: number): number {
  if (!(x > 0)) return 1;
  return Math.exp(-0.5 * x);
}
