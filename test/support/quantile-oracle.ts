/** numpy.quantile(x, p, method='linear') by a full sort: the oracle of the selection-based quantiles. */
export function sortedQuantile(x: ArrayLike<number>, p: number): number {
  const s = Float64Array.from(x).sort();
  const h = (s.length - 1) * p;
  const k = Math.floor(h);
  return k + 1 < s.length && h > k ? s[k] + (h - k) * (s[k + 1] - s[k]) : s[k];
}

/**
 * `got` is the oracle's quantile bit for bit, but for the sign of a zero when x holds both −0 and +0:
 * selection does not order the two (src/math/quantile.ts says so), a full sort puts −0 first, so
 * either zero may come out (the property tests drew [−0, 0] at p = 0 once in CI).
 */
export function expectOracleQuantile(got: number, x: ArrayLike<number>, p: number): void {
  const want = sortedQuantile(x, p);
  if (want === 0 && got === 0 && holdsBothZeros(x)) return;
  expect(got).toBe(want);
}

function holdsBothZeros(x: ArrayLike<number>): boolean {
  let negative = false;
  let positive = false;
  for (let i = 0; i < x.length; i++) {
    if (x[i] !== 0) continue;
    if (Object.is(x[i], -0)) negative = true;
    else positive = true;
  }
  return negative && positive;
}
