import { Xoshiro128 } from '../../src/math/prng';

/**
 * k return series of length n, reproducible by seed: a common normal factor (correlation about
 * 0.36), asset i drifting by 0.0002·i, and a −3 % jump on about 3 % of the dates (fat left tail).
 */
export function syntheticAssets(k: number, n: number, seed: number): number[][] {
  const rng = new Xoshiro128(seed);
  const common = Array.from({ length: n }, () => rng.nextNormal());
  return Array.from({ length: k }, (_, i) =>
    Array.from({ length: n }, (_, t) => 0.0002 * i + 0.01 * (0.6 * common[t] + 0.8 * rng.nextNormal()) + (rng.nextDouble() < 0.03 ? -0.03 : 0)),
  );
}
