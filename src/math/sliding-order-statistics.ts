/**
 * Two neighbouring order statistics of a sliding window, O(log w) per step: the (k+1) smallest
 * values of the window in a max-heap ("low") and the other w − k − 1 in a min-heap ("high"), so that
 * x(k) is the top of low and x(k+1) the top of high (0-based order statistics). The window is a ring
 * of w slots; each slot knows its place in its heap, so the value leaving the window is replaced in
 * place by the one entering it (one sift), and at most one exchange of the two tops restores
 * max(low) ≤ min(high). The generalisation of the two-heap running median (Hardcastle's
 * "Mediator") to any fixed rank.
 *
 * The statistics are values of the window, not computed from them: x(k) and x(k+1) are exactly the
 * numbers a sort or a selection of the same window would find (ties included), which is what
 * makes a rolling type-7 quantile identical to recomputing each window. Values must not be NaN.
 */
/** The two heaps, as the sign of their ranking key (low: −value, a max-heap; high: value, a min-heap). */
const LOW = -1;
const HIGH = 1;
type Side = typeof LOW | typeof HIGH;

export class SlidingOrderStatistics {
  private readonly values: Float64Array;
  /** Max-heap of slots, size k + 1. */
  private readonly low: Int32Array;
  /** Min-heap of slots, size w − k − 1. */
  private readonly high: Int32Array;
  /** Slot → its heap position: p ≥ 0 is low[p], p < 0 is high[~p]. */
  private readonly where: Int32Array;
  /** The slot of the oldest value, replaced by the next push. */
  private oldest = 0;

  /**
   * @param initial the first window: its first `window` values (not mutated)
   * @param window w ≥ 2
   * @param k the lower rank, 0 ≤ k ≤ w − 2
   */
  constructor(initial: ArrayLike<number>, window: number, k: number) {
    if (!(Number.isInteger(window) && Number.isInteger(k) && window >= 2 && k >= 0 && k <= window - 2 && initial.length >= window)) {
      throw new RangeError(`SlidingOrderStatistics needs 0 ≤ k ≤ w − 2 and w values, got w = ${window}, k = ${k}, ${initial.length} values`);
    }
    const w = window;
    this.values = new Float64Array(w);
    for (let i = 0; i < w; i++) this.values[i] = initial[i];
    const order = Int32Array.from({ length: w }, (_, i) => i).sort((a, b) => this.values[a] - this.values[b]);
    this.low = new Int32Array(k + 1);
    this.high = new Int32Array(w - k - 1);
    this.where = new Int32Array(w);
    // Descending is a valid max-heap, ascending a valid min-heap.
    for (let p = 0; p <= k; p++) this.place(LOW, p, order[k - p]);
    for (let p = 0; p < w - k - 1; p++) this.place(HIGH, p, order[k + 1 + p]);
  }

  /** x(k), the k-th smallest value of the window (0-based). */
  get lower(): number {
    return this.values[this.low[0]];
  }

  /** x(k+1). */
  get upper(): number {
    return this.values[this.high[0]];
  }

  /** Slides the window by one: the oldest value leaves, v enters. O(log w). */
  push(v: number): void {
    const slot = this.oldest;
    this.oldest = slot + 1 === this.values.length ? 0 : slot + 1;
    this.values[slot] = v;
    const p = this.where[slot];
    if (p >= 0) this.siftDown(LOW, this.siftUp(LOW, p));
    else this.siftDown(HIGH, this.siftUp(HIGH, ~p));
    const a = this.low[0];
    const b = this.high[0];
    if (this.values[a] > this.values[b]) {
      // The new value crossed over to the other side's range: exchange the two tops. The untouched
      // values still satisfy max(low) ≤ min(high), so one exchange and a sift on each side restore it.
      this.place(LOW, 0, b);
      this.place(HIGH, 0, a);
      this.siftDown(LOW, 0);
      this.siftDown(HIGH, 0);
    }
  }

  private heap(side: Side): Int32Array {
    return side === LOW ? this.low : this.high;
  }

  private place(side: Side, p: number, slot: number): void {
    this.heap(side)[p] = slot;
    this.where[slot] = side === LOW ? p : ~p;
  }

  /**
   * Moves the slot at heap position p towards the root while it outranks its parent; returns its
   * new position. Low ranks by −value (a max-heap), high by value (a min-heap); negation is exact.
   */
  private siftUp(side: Side, p: number): number {
    const heap = this.heap(side);
    const values = this.values;
    const slot = heap[p];
    const key = side * values[slot];
    while (p > 0) {
      const parent = (p - 1) >> 1;
      if (!(side * values[heap[parent]] > key)) break;
      this.place(side, p, heap[parent]);
      p = parent;
    }
    this.place(side, p, slot);
    return p;
  }

  /** Moves the slot at heap position p away from the root while a child outranks it. */
  private siftDown(side: Side, p: number): void {
    const heap = this.heap(side);
    const values = this.values;
    const n = heap.length;
    const slot = heap[p];
    const key = side * values[slot];
    for (;;) {
      let c = 2 * p + 1;
      if (c >= n) break;
      if (c + 1 < n && side * values[heap[c + 1]] < side * values[heap[c]]) c++;
      if (!(side * values[heap[c]] < key)) break;
      this.place(side, p, heap[c]);
      p = c;
    }
    this.place(side, p, slot);
  }
}
