import { DrawdownVisitor, walkEquityCurve, walkReturnsCurve } from './drawdown';
import { InvalidInputError } from './errors';
import { Series } from './types';

/** One drawdown episode of an equity curve (docs/math.md "Drawdown", episodes); indices into the curve. */
export interface DrawdownEpisode {
  /** The t at which the running maximum was set (or met again) just before the fall. */
  peakIndex: number;
  /** The first t at which the episode's depth is reached. */
  troughIndex: number;
  /** The first t after the peak with V_t ≥ the peak value; null while the curve is still below it. */
  recoveryIndex: number | null;
  /** The episode's largest DD_t, a positive fraction. */
  depth: number;
  /** troughIndex − peakIndex (periods). */
  length: number;
  /** recoveryIndex − troughIndex; null when not recovered. */
  recoveryPeriods: number | null;
}

/**
 * Collects the episodes of a drawdown walk: an episode starts at a t with DD_t = 0 (the running
 * maximum set, or met exactly) when DD_{t+1} > 0, and ends at the first later t with DD_t = 0 (its
 * recovery) or at n. Episodes therefore never overlap.
 */
class EpisodeCollector {
  readonly episodes: DrawdownEpisode[] = [];
  private lastZero = 0; // the latest t with DD_t = 0 (DD_0 = 0)
  private open: DrawdownEpisode | null = null;

  readonly visit: DrawdownVisitor = (t, dd) => {
    if (dd > 0) {
      if (this.open === null) {
        this.open = { peakIndex: this.lastZero, troughIndex: t, recoveryIndex: null, depth: dd, length: 0, recoveryPeriods: null };
      } else if (dd > this.open.depth) {
        this.open.depth = dd;
        this.open.troughIndex = t;
      }
    } else {
      if (this.open !== null) {
        this.open.recoveryIndex = t;
        this.close();
      }
      this.lastZero = t;
    }
  };

  /** Closes the episode in progress (recovered or, at the end of the curve, not). */
  close(): void {
    const e = this.open;
    if (e === null) return;
    e.length = e.troughIndex - e.peakIndex;
    e.recoveryPeriods = e.recoveryIndex === null ? null : e.recoveryIndex - e.troughIndex;
    this.episodes.push(e);
    this.open = null;
  }

  /** The `top` deepest, deepest first; equal depths by the earlier peak. */
  deepest(top: number): DrawdownEpisode[] {
    this.close();
    return this.episodes.sort((a, b) => b.depth - a.depth || a.peakIndex - b.peakIndex).slice(0, top);
  }
}

function assertTop(top: number): void {
  if (typeof top !== 'number' || !Number.isInteger(top) || top < 1) {
    throw new InvalidInputError(`top must be a positive integer, got ${String(top)}`, 'top');
  }
}

/**
 * The `top` deepest drawdown episodes of an equity curve V_0..V_n, deepest first, ties by the
 * earlier peak (docs/math.md "Drawdown", episodes). Episodes do not overlap: each runs from the
 * point where the running maximum was set to its recovery (the first V_t ≥ that maximum), or to n;
 * a curve that returns exactly to its maximum recovers there, and a later fall starts a new episode
 * at that index. The deepest episode's depth and trough are drawdownStats' maxDrawdown and
 * troughIndex. A curve that never falls has no episode (an empty list).
 *
 * @param values at least 1 value, each finite and > 0 (not mutated)
 * @param top how many episodes at most, a positive integer
 */
export function drawdownEpisodes(values: Series, top: number): DrawdownEpisode[] {
  assertTop(top);
  const c = new EpisodeCollector();
  walkEquityCurve(values, c.visit);
  return c.deepest(top);
}

/**
 * drawdownEpisodes of the curve V_0 = 1, V_t = V_{t−1}(1 + r_t) built from simple returns (index t
 * is after the t-th return; the walk of drawdownFromReturns).
 *
 * @param returns at least 1 simple return, each finite and > −1 (not mutated)
 * @param top how many episodes at most, a positive integer
 */
export function drawdownEpisodesFromReturns(returns: Series, top: number): DrawdownEpisode[] {
  assertTop(top);
  const c = new EpisodeCollector();
  walkReturnsCurve(returns, c.visit);
  return c.deepest(top);
}
