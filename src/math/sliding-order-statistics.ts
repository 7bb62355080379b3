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
    for (let p = 0; p <= k; p++) this.place(this.low, p, order[k - p], false);
    for (let p = 0; p < w - k - 1; p++) this.place(this.high, p, order[k + 1 + p], true);
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
    if (p >= 0) {
      this.siftLow(this.siftUpLow(p));
    } else {
      this.siftHigh(this.siftUpHigh(~p));
    }
    const a = this.low[0];
    const b = this.high[0];
    if (this.values[a] > this.values[b]) {
      // The new value crossed over: exchange the two tops. b (the least of high) is ≥ every other
      // value of low, and a (now the largest of low) > b, so only a, at high's root, needs a sift.
      this.place(this.low, 0, b, false);
      this.place(this.high, 0, a, true);
      this.siftLow(0);
      this.siftHigh(0);
    }
  }

  private place(heap: Int32Array, p: number, slot: number, isHigh: boolean): void {
    heap[p] = slot;
    this.where[slot] = isHigh ? ~p : p;
  }

  /** Moves low[p] up while it exceeds its parent; returns where it stopped. */
  private siftUpLow(p: number): number {
    const { low, values } = this;
    const slot = low[p];
    const v = values[slot];
    while (p > 0) {
      const parent = (p - 1) >> 1;
      if (!(values[low[parent]] < v)) break;
      this.place(low, p, low[parent], false);
      p = parent;
    }
    this.place(low, p, slot, false);
    return p;
  }

  /** Moves low[p] down while a child exceeds it. */
  private siftLow(p: number): void {
    const { low, values } = this;
    const n = low.length;
    const slot = low[p];
    const v = values[slot];
    for (;;) {
      let c = 2 * p + 1;
      if (c >= n) break;
      if (c + 1 < n && values[low[c + 1]] > values[low[c]]) c++;
      if (!(values[low[c]] > v)) break;
      this.place(low, p, low[c], false);
      p = c;
    }
    this.place(low, p, slot, false);
  }

  /** Moves high[p] up while it is below its parent; returns where it stopped. */
  private siftUpHigh(p: number): number {
    const { high, values } = this;
    const slot = high[p];
    const v = values[slot];
    while (p > 0) {
      const parent = (p - 1) >> 1;
      if (!(values[high[parent]] > v)) break;
      this.place(high, p, high[parent], true);
      p = parent;
    }
    this.place(high, p, slot, true);
    return p;
  }

  /** Moves high[p] down while a child is below it. */
  private siftHigh(p: number): void {
    const { high, values } = this;
    const n = high.length;
    const slot = high[p];
    const v = values[slot];
    for (;;) {
      let c = 2 * p + 1;
      if (c >= n) break;
      if (c + 1 < n && values[high[c + 1]] < values[high[c]]) c++;
      if (!(values[high[c]] < v)) break;
      this.place(high, p, high[c], true);
      p = c;
    }
    this.place(high, p, slot, true);
  }
}
