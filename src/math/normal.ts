import { InvalidInputError } from './errors';

/**
 * The standard normal distribution: density, distribution function (W. J. Cody's rational
 * Chebyshev approximations, ACM TOMS Algorithm 715, as in R's pnorm: relative error near 1e-16
 * across the range) and quantile function (M. J. Wichura, Algorithm AS 241 "PPND16", Applied
 * Statistics 37 (1988) 477–484: about 1 part in 1e16). Also the χ² survival function for 1 and 2
 * degrees of freedom used by the backtests.
 */

const INV_SQRT_2PI = 0.398942280401432677939946059934; // 1/√(2π)
const SQRT_32 = 5.656854249492380195206754896838; // √32

/** φ(x) = exp(−x²/2)/√(2π), the standard normal density. */
export function normalPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

// Cody (1993), as transcribed in R's nmath/pnorm.c (pnorm_both).
const A0 = 2.2352520354606839287, A1 = 161.02823106855587881, A2 = 1067.6894854603709582, A3 = 18154.981253343561249, A4 = 0.065682337918207449113;
const B0 = 47.20258190468824187, B1 = 976.09855173777669322, B2 = 10260.932208618978205, B3 = 45507.789335026729956;
const C = [
  0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226, 2494.5375852903726711,
  6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218, 1.0765576773720192317e-8,
] as const;
const D = [
  22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755, 18615.571640885098091,
  34900.952721145977266, 38912.003286093271411, 19685.429676859990727,
] as const;
const P = [0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466, 2.9112874951168792e-5, 0.02307344176494017303] as const;
const Q = [1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244, 7.29751555083966205e-5] as const;

/**
 * Tail of the normal for |x| > 0.66291: returns Φ(−|x|) (the smaller tail).
 * exp(−x²/2) is split as exp(−xsq²/2)·exp(−del/2) with xsq = ⌊16x⌋/16 to keep full precision.
 */
function smallTail(x: number): number {
  const y = Math.abs(x);
  let r: number;
  if (y <= SQRT_32) {
    let xnum = C[8] * y;
    let xden = y;
    for (let i = 0; i < 7; i++) {
      xnum = (xnum + C[i]) * y;
      xden = (xden + D[i]) * y;
    }
    r = (xnum + C[7]) / (xden + D[7]);
  } else if (y < 50) {
    const xsq = 1 / (x * x);
    let xnum = P[5] * xsq;
    let xden = xsq;
    for (let i = 0; i < 4; i++) {
      xnum = (xnum + P[i]) * xsq;
      xden = (xden + Q[i]) * xsq;
    }
    r = (xsq * (xnum + P[4])) / (xden + Q[4]);
    r = (INV_SQRT_2PI - r) / y;
  } else {
    return 0;
  }
  const xsq = Math.floor(y * 16) / 16;
  const del = (y - xsq) * (y + xsq);
  return Math.exp(-xsq * xsq * 0.5) * Math.exp(-del * 0.5) * r;
}

/** Φ(x) = P(Z ≤ x), the standard normal distribution function (Cody's algorithm, ~1e-16 relative). */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) throw new InvalidInputError('x must be a number', 'x');
  const y = Math.abs(x);
  if (y <= 0.66291) {
    const xsq = y > 1.1102230246251565e-16 ? x * x : 0;
    let xnum = A4 * xsq;
    let xden = xsq;
    xnum = (xnum + A0) * xsq;
    xden = (xden + B0) * xsq;
    xnum = (xnum + A1) * xsq;
    xden = (xden + B1) * xsq;
    xnum = (xnum + A2) * xsq;
    xden = (xden + B2) * xsq;
    return 0.5 + (x * (xnum + A3)) / (xden + B3);
  }
  const tail = smallTail(x);
  return x > 0 ? 1 - tail : tail;
}

/**
 * Φ⁻¹(p), the standard normal quantile (Wichura's AS 241, PPND16, full double precision).
 * p = 0 gives −Infinity and p = 1 gives +Infinity; p outside [0, 1] is an error.
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new InvalidInputError(`probability must be between 0 and 1, got ${p}`, 'p');
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r + 45921.953931549871457) * r +
          13731.693765509461125) *
          r +
          1971.5909503065514427) *
          r +
          133.14166789178437745) *
          r +
          3.387132872796366608)) /
      (((((((r * 5226.495278852854561 + 28729.085735721942674) * r + 39307.89580009271061) * r + 21213.794301586595867) * r +
        5394.1960214247511077) *
        r +
        687.1870074920579083) *
        r +
        42.313330701600911252) *
        r +
        1)
    );
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let val: number;
  if (r <= 5) {
    r -= 1.6;
    val =
      (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r + 1.27045825245236838258) * r +
        3.64784832476320460504) *
        r +
        5.7694972214606914055) *
        r +
        4.6303378461565452959) *
        r +
        1.42343711074968357734) /
      (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r + 0.14810397642748007459) * r +
        0.68976733498510000455) *
        r +
        1.6763848301838038494) *
        r +
        2.05319162663775882187) *
        r +
        1);
  } else {
    r -= 5;
    val =
      (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r + 0.026532189526576123093) * r +
        0.29656057182850489123) *
        r +
        1.7848265399172913358) *
        r +
        5.4637849111641143699) *
        r +
        6.6579046435011037772) /
      (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r + 7.868691311456132591e-4) * r +
        0.0148753612908506148525) *
        r +
        0.13692988092273580531) *
        r +
        0.59983220655588793769) *
        r +
        1);
  }
  return q < 0 ? -val : val;
}

/** Survival function of χ² with 1 degree of freedom: P(X > x) = erfc(√(x/2)) = 2Φ(−√x); 1 for x ≤ 0. */
export function chiSquareSf1(x: number): number {
  if (!(x > 0)) return 1;
  return 2 * normalCdf(-Math.sqrt(x));
}

/** Survival function of χ² with 2 degrees of freedom: P(X > x) = exp(−x/2); 1 for x ≤ 0. */
export function chiSquareSf2(x: number): number {
  if (!(x > 0)) return 1;
  return Math.exp(-x / 2);
}
