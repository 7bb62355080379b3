/**
 * Seeded pseudo-random numbers for Monte Carlo: xoshiro128** (Blackman & Vigna, 2018) seeded
 * through splitmix32, uniform doubles with 53 random bits, standard normals by Marsaglia's polar
 * method (the spare deviate is kept). The same seed gives the same stream bit for bit on every
 * platform: only 32-bit integer arithmetic (Math.imul, shifts) and IEEE-754 double operations
 * whose results are exactly specified (+, −, ×, ÷, sqrt), plus Math.log in the polar method.
 *
 * Math.log is not required to be correctly rounded by ECMAScript; V8 uses the same fdlibm port on
 * every platform, so streams agree across Node builds (it is the only transcendental function used).
 */

const TWO_POW_26 = 67_108_864;
const TWO_POW_53 = 9_007_199_254_740_992;
const GOLDEN = 0x9e3779b9;

/** splitmix32 output function (the murmur3 finalizer) of a state already advanced by the golden-ratio increment. */
function splitmix32Mix(state: number): number {
  let z = state | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** xoshiro128** generator with uniform and normal variates. Not cryptographic. */
export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = 0;
  private hasSpare = false;

  /** @param seed an unsigned 32-bit integer (0..4294967295); other numbers are reduced modulo 2^32. */
  constructor(seed: number) {
    let s = seed >>> 0;
    s = (s + GOLDEN) | 0;
    this.s0 = splitmix32Mix(s);
    s = (s + GOLDEN) | 0;
    this.s1 = splitmix32Mix(s);
    s = (s + GOLDEN) | 0;
    this.s2 = splitmix32Mix(s);
    s = (s + GOLDEN) | 0;
    this.s3 = splitmix32Mix(s);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const s2 = this.s2;
    const s3 = this.s3;
    const x = Math.imul(s1, 5);
    const result = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    this.s1 = s1 ^ n2;
    this.s0 = s0 ^ n3;
    this.s2 = n2 ^ t;
    this.s3 = (n3 << 11) | (n3 >>> 21);
    return result;
  }

  /**
   * Uniform double in the open interval (0, 1) with 53 random bits: (a·2^26 + b)/2^53 from the top
   * 27 and 26 bits of two outputs, an exact 0 (probability 2^-53) being drawn again.
   */
  nextDouble(): number {
    for (;;) {
      const a = this.nextUint32() >>> 5;
      const b = this.nextUint32() >>> 6;
      const u = (a * TWO_POW_26 + b) / TWO_POW_53;
      if (u !== 0) return u;
    }
  }

  /** Standard normal deviate (Marsaglia polar method; every second call returns the kept spare). */
  nextNormal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.nextDouble() - 1;
      v = 2 * this.nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * m;
    this.hasSpare = true;
    return u * m;
  }

  /** Uniform integer in 0..n−1 (n ≥ 1) from a 53-bit uniform (⌊u·n⌋ < n for u < 1). */
  nextIndex(n: number): number {
    const i = Math.floor(this.nextDouble() * n);
    return i < n ? i : n - 1;
  }
}
