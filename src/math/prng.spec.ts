import { Xoshiro128 } from './prng';

// Expected streams: an independent Python transcription of splitmix32 seeding + xoshiro128**
// (Blackman & Vigna's reference C code), 53-bit doubles (a·2^26 + b)/2^53 and the Marsaglia
// polar method with math.log.
describe('xoshiro128** seeded by splitmix32', () => {
  it.each([
    [0, [3809008728, 1133695204, 53579671, 2891528803, 139681546, 2203266335]],
    [42, [2837322924, 544945897, 479756282, 3500138142, 339756180, 113173290]],
    [4294967295, [835879718, 1921286648, 2356205009, 1885780724, 980451116, 1053911718]],
  ])('produces the reference 32-bit stream for seed %p', (seed, stream) => {
    const rng = new Xoshiro128(seed);
    expect(stream.map(() => rng.nextUint32())).toEqual(stream);
  });

  it('produces the reference doubles and normals for seed 42', () => {
    const u = new Xoshiro128(42);
    expect([u.nextDouble(), u.nextDouble(), u.nextDouble(), u.nextDouble()]).toEqual([0.6606157208001621, 0.1117019639532224, 0.0791056456144914, 0.015209237180418]);
    const z = new Xoshiro128(42);
    const expected = [0.31875784963858494, -0.7706160167419408, 0.15178267621950975, -0.12624145471928355, -0.3257678439811117];
    for (const e of expected) expect(z.nextNormal()).toBeCloseTo(e, 15);
  });

  it('repeats the same stream for the same seed, bit for bit', () => {
    const a = new Xoshiro128(7);
    const b = new Xoshiro128(7);
    for (let i = 0; i < 10_000; i++) expect(Object.is(a.nextNormal(), b.nextNormal())).toBe(true);
  });

  it('keeps uniforms strictly inside (0, 1) and indices inside [0, n)', () => {
    const rng = new Xoshiro128(123);
    let min = 1;
    let max = 0;
    for (let i = 0; i < 200_000; i++) {
      const u = rng.nextDouble();
      if (u < min) min = u;
      if (u > max) max = u;
      const j = rng.nextIndex(1_000_000);
      if (!(j >= 0 && j < 1_000_000 && Number.isInteger(j))) throw new Error(`index ${j}`);
    }
    expect(min).toBeGreaterThan(0);
    expect(max).toBeLessThan(1);
  });

  it('draws normals with mean 0 and variance 1 (within 5 standard errors over 200,000 draws)', () => {
    const rng = new Xoshiro128(2024);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.nextNormal();
      s += z;
      s2 += z * z;
    }
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
  });
});
