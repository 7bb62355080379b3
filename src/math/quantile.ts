import { InvalidInputError } from './errors';
import { Series } from './types';

/**
 * Type-7 sample quantile (numpy `linear`, R's default) by SELECTION, not by sorting:
 * h = (n − 1)·p, k = ⌊h⌋, Q = x(k) + (h − k)·(x(k+1) − x(k)) with x(k) the k-th order statistic
 * (0-based). Only x(k) and x(k+1) are needed: x(k) is selected with Floyd–Rivest (expected
 * n + min(k, n − k) + o(n) comparisons), after which x(k+1) is the minimum of the right part.
 * A budget on partition rounds guards against adversarial inputs (introselect): past it, the
 * remaining range is sorted natively, so the worst case stays O(n log n).
 *
 * Inputs are never mutated: they are copied into a module-level scratch buffer that grows on
 * demand and is reused across calls (no allocation per call in steady state).
 */

let scratch = new Float64Array(1024);

/** The reused scratch buffer, at least n long. Contents are garbage between calls. */
function scratchOf(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, scratch.length * 2));
  return scratch;
}

/** Copies x into the scratch buffer and returns it (only the first x.length entries are meaningful). */
function copyToScratch(x: Series): Float64Array {
  const n = x.length;
  const a = scratchOf(n);
  if (x instanceof Float64Array) a.set(x);
  else for (let i = 0; i < n; i++) a[i] = x[i];
  return a;
}

/**
 * Rearranges a[left..right] so that a[k] holds the value it would have in ascending order, every
 * a[left..k−1] ≤ a[k] and every a[k+1..right] ≥ a[k] (Floyd & Rivest, CACM 18(3), 1975, "SELECT").
 * Mutates `a`: only call it on a buffer you own. Values must not be NaN.
 */
export function selectInPlace(a: Float64Array, k: number, left = 0, right = a.length - 1): void {
  let budget = 2 * (32 - Math.clz32(right - left + 1)) + 8;
  while (right > left) {
    if (--budget < 0) {
      a.subarray(left, right + 1).sort(); // numeric ascending (typed array): guaranteed O(m log m)
      return;
    }
    if (right - left > 600) {
      // Recurse on a sample to bring a good pivot to a[k].
      const n = right - left + 1;
      const m = k - left + 1;
      const z = Math.log(n);
      const s = 0.5 * Math.exp((2 * z) / 3);
      const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (m - n / 2 < 0 ? -1 : 1);
      const newLeft = Math.max(left, Math.floor(k - (m * s) / n + sd));
      const newRight = Math.min(right, Math.floor(k + ((n - m) * s) / n + sd));
      selectInPlace(a, k, newLeft, newRight);
    } else if (right - left > 2) {
      // Median of three (left, middle, right) as the pivot, placed at k.
      const mid = (left + right) >>> 1;
      const x = a[left];
      const y = a[mid];
      const w = a[right];
      const med = x < y ? (y < w ? mid : x < w ? right : left) : x < w ? left : y < w ? right : mid;
      const tmp = a[k];
      a[k] = a[med];
      a[med] = tmp;
    }
    const t = a[k];
    let i = left;
    let j = right;
    a[k] = a[left];
    a[left] = t;
    if (a[right] > t) {
      a[left] = a[right];
      a[right] = t;
    }
    while (i < j) {
      const u = a[i];
      a[i] = a[j];
      a[j] = u;
      i++;
      j--;
      while (a[i] < t) i++;
      while (a[j] > t) j--;
    }
    if (a[left] === t) {
      const u = a[left];
      a[left] = a[j];
      a[j] = u;
    } else {
      j++;
      const u = a[j];
      a[j] = a[right];
      a[right] = u;
    }
    if (j <= k) left = j + 1;
    if (k <= j) right = j - 1;
  }
}

/**
 * Type-7 quantile of a[0..n−1] at probability p, rearranging `a` (a buffer you own, e.g.
 * simulated returns). Needs n ≥ 1 and 0 ≤ p ≤ 1.
 */
export function quantileInPlace(a: Float64Array, n: number, p: number): number {
  const h = (n - 1) * p;
  const k = Math.floor(h);
  if (k >= n - 1) {
    selectInPlace(a, n - 1, 0, n - 1);
    return a[n - 1];
  }
  selectInPlace(a, k, 0, n - 1);
  const lo = a[k];
  const f = h - k;
  if (f === 0) return lo;
  let hi = a[k + 1];
  for (let i = k + 2; i < n; i++) if (a[i] < hi) hi = a[i];
  return lo + f * (hi - lo);
}

function assertProbability(n: number, p: number): void {
  if (n === 0) throw new InvalidInputError('Cannot compute a quantile of an empty series', 'returns');
  if (!(p >= 0 && p <= 1)) throw new InvalidInputError(`quantile probability must be in [0, 1], got ${p}`, 'p');
}

/**
 * Type-7 quantile of x at probability p (0 ≤ p ≤ 1), by selection. x is not mutated and
 * must hold no NaN (validate first). Example: quantileType7([1, 2, 3, 4], 0.1) = 1.3.
 * A shallow low tail (k + 2 ≤ 48 smallest values, n ≤ 8192: e.g. 99 % of 1,000 returns) is taken
 * in one pass without a copy (lowTailQuantile); otherwise Floyd–Rivest on a scratch copy. Both
 * find the same order statistics, so the result is identical, and equal to quantileWithIndices'
 * value, but for the sign of a zero when x holds both −0 and +0 (selection does not order them).
 */
export function quantileType7(x: Series, p: number): number {
  const n = x.length;
  assertProbability(n, p);
  if (n <= SMALL_TAIL_MAX_N && Math.floor((n - 1) * p) + 2 <= SMALL_TAIL) return lowTailQuantile(x, p)!;
  return quantileInPlace(copyToScratch(x), n, p);
}

const SMALL_TAIL = 48;
const SMALL_TAIL_MAX_N = 8192; // bounds the worst case (descending input) at 48 shifts per value
const tailBuffer = new Float64Array(SMALL_TAIL);

/**
 * Type-7 quantile for a low tail probability whose two order statistics are among the 48
 * smallest values (k + 2 ≤ 48): one pass keeping the k + 2 smallest values in a small sorted
 * buffer (most elements are rejected by one comparison); no copy of x (which must hold no NaN).
 * Returns undefined when the tail is deeper than the buffer.
 */
export function lowTailQuantile(x: ArrayLike<number>, p: number): number | undefined {
  const n = x.length;
  assertProbability(n, p);
  const h = (n - 1) * p;
  const k = Math.floor(h);
  const m = Math.min(k + 2, n);
  if (m > SMALL_TAIL) return undefined;
  const buf = tailBuffer;
  let size = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i];
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
  const lo = buf[k];
  const f = h - k;
  return f === 0 || k + 1 >= n ? lo : lo + f * (buf[k + 1] - lo);
}

/** A type-7 quantile with the positions (in the original series) of the two order statistics used. */
export interface QuantileWithIndices {
  /** Q = (1 − fraction)·x[lowIndex] + fraction·x[highIndex] (computed as x_lo + f·(x_hi − x_lo)). */
  value: number;
  /** Index in x of the k-th order statistic, k = ⌊(n − 1)p⌋. */
  lowIndex: number;
  /** Index in x of the (k+1)-th order statistic (equals lowIndex when k = n − 1). */
  highIndex: number;
  /** h − k, the interpolation weight of the upper order statistic. */
  fraction: number;
}

let indexScratch = new Int32Array(1024);

/**
 * Type-7 quantile that also says WHICH observations were used (for historical Euler
 * contributions: the dates t_k and t_k+1). Ties are broken by position, so the order is total
 * ((value, index) lexicographic) and the chosen dates are well defined: among equal values the
 * earlier observation ranks lower. Selection on a reused index buffer; x is not mutated.
 */
export function quantileWithIndices(x: ArrayLike<number>, p: number): QuantileWithIndices {
  const n = x.length;
  assertProbability(n, p);
  if (indexScratch.length < n) indexScratch = new Int32Array(Math.max(n, indexScratch.length * 2));
  const idx = indexScratch;
  for (let i = 0; i < n; i++) idx[i] = i;
  const h = (n - 1) * p;
  let k = Math.floor(h);
  if (k > n - 1) k = n - 1;
  selectIndex(x, idx, k, 0, n - 1);
  const lowIndex = idx[k];
  const f = k >= n - 1 ? 0 : h - k;
  if (k >= n - 1) return { value: x[lowIndex], lowIndex, highIndex: lowIndex, fraction: 0 };
  // (k+1)-th order statistic: the smallest (value, index) key right of k.
  let highIndex = idx[k + 1];
  let hv = x[highIndex];
  for (let i = k + 2; i < n; i++) {
    const j = idx[i];
    const v = x[j];
    if (v < hv || (v === hv && j < highIndex)) {
      hv = v;
      highIndex = j;
    }
  }
  const lo = x[lowIndex];
  return { value: f === 0 ? lo : lo + f * (hv - lo), lowIndex, highIndex, fraction: f };
}

/** Key order: by value, then by index (a total order without ties). */
function keyLess(x: ArrayLike<number>, i: number, j: number): boolean {
  const a = x[i];
  const b = x[j];
  return a < b || (a === b && i < j);
}

/** Quickselect (median of three, Hoare partition) on an index array by (value, index) keys. */
function selectIndex(x: ArrayLike<number>, idx: Int32Array, k: number, left: number, right: number): void {
  let budget = 2 * (32 - Math.clz32(right - left + 1)) + 8;
  while (right > left) {
    if (--budget < 0) {
      const sorted = Array.from(idx.subarray(left, right + 1)).sort((i, j) => (keyLess(x, i, j) ? -1 : keyLess(x, j, i) ? 1 : 0));
      idx.set(sorted, left);
      return;
    }
    // Median of three moved to `left` as the pivot.
    const mid = (left + right) >>> 1;
    if (keyLess(x, idx[mid], idx[left])) swap(idx, mid, left);
    if (keyLess(x, idx[right], idx[left])) swap(idx, right, left);
    if (keyLess(x, idx[right], idx[mid])) swap(idx, right, mid);
    swap(idx, left, mid);
    const pivot = idx[left];
    let i = left;
    let j = right + 1;
    for (;;) {
      do i++;
      while (i <= right && keyLess(x, idx[i], pivot));
      do j--;
      while (keyLess(x, pivot, idx[j]));
      if (i >= j) break;
      swap(idx, i, j);
    }
    swap(idx, left, j);
    if (j === k) return;
    if (j < k) left = j + 1;
    else right = j - 1;
  }
}

function swap(a: Int32Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}
