import { InvalidInputError } from './errors';

/** Reusable scratch buffer: selection works on a copy, never on the caller's array. */
let scratch = new Float64Array(1024);

export function scratchOf(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, scratch.length * 2));
  return scratch;
}

/**
 * Rearranges a[left..right] so that a[k] is the value a full sort would put there, everything
 * before it ≤ a[k] and everything after ≥ a[k]. Floyd–Rivest selection, expected O(n).
 */
export function selectInPlace(a: Float64Array, k: number, left = 0, right = a.length - 1): void {
  while (right > left) {
    if (right - left > 600) {
      const n = right - left + 1;
      const m = k - left + 1;
      const z = Math.log(n);
      const s = 0.5 * Math.exp((2 * z) / 3);
      const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (m - n / 2 < 0 ? -1 : 1);
      const newLeft = Math.max(left, Math.floor(k - (m * s) / n + sd));
      const newRight = Math.min(right, Math.floor(k + ((n - m) * s) / n + sd));
      selectInPlace(a, k, newLeft, newRight);
    }
    const t = a[k];
    let i = left;
    let j = right;
    swap(a, left, k);
    if (a[right] > t) swap(a, left, right);
    while (i < j) {
      swap(a, i, j);
      i++;
      j--;
      while (a[i] < t) i++;
      while (a[j] > t) j--;
    }
    if (a[left] === t) swap(a, left, j);
    else {
      j++;
      swap(a, j, right);
    }
    if (j <= k) left = j + 1;
    if (k <= j) right = j - 1;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/**
 * Type-7 quantile (numpy `linear`, R's default) of `x` at probability `p` in [0, 1]:
 * h = (n − 1)p, Q = x(⌊h⌋) + (h − ⌊h⌋)(x(⌊h⌋+1) − x(⌊h⌋)) on the ascending order statistics.
 * Only the two order statistics are found, by selection on a scratch copy: O(n), `x` untouched.
 */
export function quantileType7(x: ArrayLike<number>, p: number): number {
  const n = x.length;
  if (n === 0) throw new InvalidInputError('Cannot take a quantile of an empty series');
  if (!(p >= 0 && p <= 1)) throw new InvalidInputError(`quantile probability must be in [0, 1], got ${p}`);
  const a = scratchOf(n);
  for (let i = 0; i < n; i++) a[i] = x[i];
  return quantileOfScratch(a, n, p);
}

/**
 * Type-7 quantile of the first `n` values of `a`, which it reorders (for callers that own a
 * buffer, e.g. simulated scenarios).
 */
export function quantileInPlace(a: Float64Array, n: number, p: number): number {
  return quantileOfScratch(a, n, p);
}

export function quantileOfScratch(a: Float64Array, n: number, p: number): number {
  const h = (n - 1) * p;
  const k = Math.floor(h);
  const f = h - k;
  selectInPlace(a, k, 0, n - 1);
  const lo = a[k];
  if (f === 0 || k + 1 >= n) return lo;
  // a[k+1..n−1] are all ≥ a[k]: the next order statistic is their minimum.
  let hi = a[k + 1];
  for (let i = k + 2; i < n; i++) if (a[i] < hi) hi = a[i];
  return lo + f * (hi - lo);
}

/**
 * Type-7 quantile and the positions (in `x`) of the two order statistics it interpolates,
 * with weights: Q = (1 − f)·x[lowIndex] + f·x[highIndex]. Ties are ordered by position, so the
 * choice of dates is deterministic. O(n log n): for Euler allocations, not the hot path.
 */
export function quantileWithIndices(x: ArrayLike<number>, p: number): { value: number; lowIndex: number; highIndex: number; fraction: number } {
  const n = x.length;
  if (n === 0) throw new InvalidInputError('Cannot take a quantile of an empty series');
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((i, j) => x[i] - x[j] || i - j);
  const h = (n - 1) * p;
  const k = Math.floor(h);
  const f = h - k;
  const lowIndex = order[k];
  const highIndex = order[Math.min(k + 1, n - 1)];
  const lo = x[lowIndex];
  const value = f === 0 ? lo : lo + f * (x[highIndex] - lo);
  return { value, lowIndex, highIndex, fraction: f === 0 ? 0 : f };
}

const SMALL_TAIL = 48;
const tailBuffer = new Float64Array(SMALL_TAIL);

/**
 * Type-7 quantile for a low tail probability whose order statistics are among the smallest
 * SMALL_TAIL values (k + 2 ≤ 48, e.g. 99 % of 1,000 returns): one pass keeping the k + 2
 * smallest values in a small sorted buffer; most elements are rejected by one comparison.
 * `check(v, i)` is called for each element that is not a finite number > −1 (validation fused
 * into the pass) and is expected to throw. Returns undefined when the tail is too deep.
 */
export function lowTailQuantile(x: ArrayLike<number>, p: number, check: (i: number) => void): number | undefined {
  const n = x.length;
  const h = (n - 1) * p;
  const k = Math.floor(h);
  const m = Math.min(k + 2, n);
  if (m > SMALL_TAIL) return undefined;
  const buf = tailBuffer;
  let size = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (!(v > -1 && v < Infinity)) check(i);
    if (size < m) {
      let j = size++;
      while (j > 0 && buf[j - 1] > v) {
        buf[j] = buf[j - 1];
        j--;
      }
      buf[j] = v;
    } else if (v < buf[m - 1]) {
      let j = m - 1;
      while (j > 0 && buf[j - 1] > v) {
        buf[j] = buf[j - 1];
        j--;
      }
      buf[j] = v;
    }
  }
  const f = h - k;
  const lo = buf[k];
  return f === 0 || k + 1 >= n ? lo : lo + f * (buf[k + 1] - lo);
}
