import { InsufficientDataError, InvalidInputError } from './errors';
import { Series } from './types';
import { assertReturns } from './validation';

/**
 * The asset returns Rᵢ of a stress scenario on a stored book (docs/math.md "Stress scenarios"):
 * hypothetical shocks, a historical date range, or the worst k-day window of the book's own
 * aligned history. Returns are float64 fractions; the P&L in money (vᵢRᵢ, half-even) is computed at
 * the edge with big.js. Inputs are never mutated.
 */

/** One asset's stored returns: ISO dates (YYYY-MM-DD), strictly ascending, one return each. */
export interface AssetHistory {
  dates: readonly string[];
  returns: Series;
}

/** The worst k-window of a series: its first and last index (inclusive) and its compounded return. */
export interface WorstWindow {
  start: number;
  end: number;
  compoundedReturn: number;
}

/** Π(1 + r_t) − 1 over r[start..end) multiplied left to right, as the definition reads. */
function compound(r: ArrayLike<number>, start: number, end: number): number {
  let p = 1;
  for (let t = start; t < end; t++) p *= 1 + r[t];
  return p - 1;
}

/**
 * Compounded return Π(1 + r_t) − 1 of returns[start..end) (default: all), the product taken left to
 * right. An empty range is 0.
 *
 * @param returns simple returns, each finite and > −1 (not mutated)
 */
export function compoundedReturn(returns: Series, start = 0, end = returns.length): number {
  assertReturns(returns);
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= returns.length)) {
    throw new InvalidInputError(`the range [${start}, ${end}) is not within the ${returns.length} returns`, 'returns');
  }
  return compound(returns, start, end);
}

/**
 * `shock` scenario: Rᵢ = the shock given for asset i, 0 for an asset not listed. A shock is a
 * return, finite and ≥ −1 (−1: the position is wiped out).
 *
 * @param assetIds the book's assets, in the order of the result
 * @param shocks asset id → shock
 * @throws InvalidInputError for a bad shock (field `shocks.<id>`); InsufficientDataError for an
 *   asset the book does not hold (422: a shock needs a position)
 */
export function shockReturns(assetIds: readonly string[], shocks: Readonly<Record<string, number>>): Float64Array {
  const index = new Map(assetIds.map((id, i) => [id, i]));
  const out = new Float64Array(assetIds.length);
  for (const [id, shock] of Object.entries(shocks)) {
    if (typeof shock !== 'number' || !(shock >= -1 && shock < Infinity)) {
      throw new InvalidInputError(`shocks.${id} must be a finite return of at least -1 (e.g. -0.2 for a 20 % fall), got ${String(shock)}`, `shocks.${id}`);
    }
    const i = index.get(id);
    if (i === undefined) throw new InsufficientDataError(`shocks.${id}: the portfolio holds no asset ${id}`, `shocks.${id}`);
    out[i] = shock;
  }
  return out;
}

/** First index whose date is ≥ d (dates ascending). */
function lowerBound(dates: readonly string[], d: string): number {
  let lo = 0;
  let hi = dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (dates[mid] < d) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * `historical` scenario: Rᵢ = Π(1 + rᵢ,t) − 1 over asset i's own stored dates in [from, to]
 * (inclusive; ISO dates compare as text). Every asset must have a stored date in the range: a
 * scenario that silently left a position out would understate the loss.
 *
 * @param histories one per asset (dates strictly ascending; not mutated)
 * @throws InvalidInputError when from > to or a history is malformed; InsufficientDataError when an
 *   asset has no stored date in the range (field `asset_returns[i]`)
 */
export function historicalScenarioReturns(histories: readonly AssetHistory[], from: string, to: string): Float64Array {
  if (from > to) throw new InvalidInputError(`from (${from}) must not be after to (${to})`, 'to');
  const out = new Float64Array(histories.length);
  histories.forEach((h, i) => {
    const { dates, returns } = h;
    if (dates.length !== returns.length) {
      throw new InvalidInputError(`asset_returns[${i}] has ${returns.length} returns for ${dates.length} dates`, `asset_returns[${i}]`);
    }
    for (let t = 1; t < dates.length; t++) {
      if (!(dates[t - 1] < dates[t])) throw new InvalidInputError(`asset_returns[${i}] dates must be strictly ascending (${dates[t - 1]}, ${dates[t]})`, `asset_returns[${i}]`);
    }
    assertReturns(returns, `asset_returns[${i}]`);
    const start = lowerBound(dates, from);
    let end = start;
    while (end < dates.length && dates[end] <= to) end++;
    if (end === start) throw new InsufficientDataError(`asset_returns[${i}] has no stored date from ${from} to ${to}`, `asset_returns[${i}]`);
    out[i] = compound(returns, start, end);
  });
  return out;
}

const EPS = 2 ** -52;

/**
 * The worst k-window of a series (`worst_window` on the aligned portfolio returns r_p): the k
 * consecutive entries with the lowest Π(1 + r_t) − 1, the earliest on a tie (docs/math.md "Stress
 * scenarios"). Windows are screened by a rolling Σ ln(1 + r_t) (re-summed every k steps, so its
 * error stays below a bound of O(k·ε·max|ln(1 + r)|)); every window within twice that bound of the
 * least sum is then multiplied out left to right, so the answer is the one the product definition
 * gives: O(n) in general, O(n·k) only for tie-heavy series.
 *
 * @param returns at least `days` simple returns (not mutated)
 * @param days k, a positive integer
 * @throws InvalidInputError for a bad k; InsufficientDataError when k exceeds the series
 */
export function worstWindow(returns: Series, days: number): WorstWindow {
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1) {
    throw new InvalidInputError(`days must be a positive integer, got ${String(days)}`, 'days');
  }
  assertReturns(returns);
  const n = returns.length;
  const k = days;
  if (n < k) {
    throw new InsufficientDataError(`Cannot find the worst ${k}-day window in ${n} aligned ${n === 1 ? 'date' : 'dates'}: need at least ${k}`, 'days');
  }
  const logs = new Float64Array(n);
  let maxAbs = 0;
  for (let t = 0; t < n; t++) {
    logs[t] = Math.log1p(returns[t]);
    maxAbs = Math.max(maxAbs, Math.abs(logs[t]));
  }
  const windows = n - k + 1;
  const sums = new Float64Array(windows);
  let s = 0;
  let least = Infinity;
  for (let j = 0; j < windows; j++) {
    if (j % k === 0) {
      s = 0;
      for (let t = j; t < j + k; t++) s += logs[t];
    } else {
      s += logs[j + k - 1] - logs[j - 1];
    }
    sums[j] = s;
    if (s < least) least = s;
  }
  // A window's sum has met at most 3k + 2 roundings since its re-summation (log1p included), each at
  // most ε × the largest partial sum, itself at most k·max|ln(1 + r)|. The product the definition
  // multiplies out rounds each 1 + r_t and each step: its log is within about 2k·ε of the exact sum,
  // whatever the size of r_t. Both, ×8 for safety.
  const bound = 8 * ((3 * k + 2) * k * maxAbs + 2 * k) * EPS;
  let best: WorstWindow = { start: -1, end: -1, compoundedReturn: Infinity };
  for (let j = 0; j < windows; j++) {
    if (sums[j] <= least + 2 * bound) {
      const c = compound(returns, j, j + k);
      if (c < best.compoundedReturn) best = { start: j, end: j + k - 1, compoundedReturn: c };
    }
  }
  return best;
}
