import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { NotFoundError, UnprocessableError } from '../common/errors';
import { AppConfig } from '../config/app-config';
import { EffectiveLimits, LimitsService } from '../limits/limits.service';
import { BookSnapshot } from '../persistence/book-snapshot.repository';
import { BookSnapshotRepository } from '../persistence/repositories';
import { DataChange, ReturnSeriesCache } from '../persistence/return-series.cache';
import { markCheckedReturns } from '../math/validation';

/** A portfolio's book and limits as read in one snapshot, with the series versions of the assets it has been priced on. */
export interface CachedBook {
  snapshot: BookSnapshot;
  /** The limits in force when read (or the configured defaults). */
  limits: EffectiveLimits;
  /** Series version of each asset known to this entry: the book's, and those of assets traded in a what-if since. */
  versions: Map<string, string>;
  /** Date.now() when read from the database. */
  readAt: number;
  /**
   * Figures derived from this entry alone (the current book's weights, its VaR for given options),
   * kept while the entry lives: a change of the book, limits or series makes a new entry.
   */
  memo: Map<string, unknown>;
}

/** Returns aligned on the dates every asset has (the newest `lookback` of them), one column per asset. */
export interface AlignedReturns {
  dates: string[];
  columns: Float64Array[];
}

/** Bound of the aligned-matrix LRU, bytes (values, and the dates at about 48 bytes each). */
export const MATRIX_CACHE_BYTES = 64 * 1024 * 1024;

/** How long the pre-trade path trusts a book without reading it again (in the background) when no change was announced. */
export const BOOK_REVALIDATE_MS = 1000;

/**
 * The per-portfolio cache of stored-portfolio calculations (VaR, what-if, the pre-trade check):
 *
 * - `load` reads the book, the held assets' series versions and the limit in force in ONE
 *   statement (BookSnapshotRepository): the validating path of REST calls. It is never stale.
 * - `aligned` answers the aligned return matrix for assets at given series versions and a
 *   lookback from an LRU keyed by exactly those (a new version is a new key, so an entry is never
 *   stale); on a miss it reads the series (ReturnSeriesCache) and aligns them.
 * - `cached` is the pre-trade path: the entry held in memory, with no database round trip while
 *   nothing changed. Entries are dropped when a change is announced: positions or limits written
 *   (PortfoliosService, LimitsService) or an asset's series ingested (ReturnSeriesCache), on this
 *   replica at once and on the others through the Redis channel of ReturnSeriesCache. That delivery
 *   is at most once (and absent without REDIS_URL), so an entry older than BOOK_REVALIDATE_MS is
 *   read again in the background while the held one answers: a lost announcement is repaired
 *   within about a second. A limit version scheduled for later makes the entry expire at its
 *   effective date.
 */
@Injectable()
export class PortfolioBookCache {
  private readonly books: LRUCache<string, CachedBook>;
  private readonly matrices: LRUCache<string, AlignedReturns>;
  /** asset id → portfolios whose cached entry depends on its series. */
  private readonly holders = new Map<string, Set<string>>();
  /** Bumped by every change: a read that started before one is not kept. */
  private generation = 0;
  private readonly refreshing = new Map<string, Promise<CachedBook>>();

  constructor(
    private readonly snapshots: BookSnapshotRepository,
    private readonly series: ReturnSeriesCache,
    private readonly limits: LimitsService,
    config: AppConfig,
  ) {
    this.books = new LRUCache({ max: 10_000, dispose: (book, id) => this.unregister(id, book) });
    this.matrices = new LRUCache({
      maxSize: MATRIX_CACHE_BYTES,
      sizeCalculation: (m) => Math.max(1, m.columns.length * m.dates.length * 8 + m.dates.length * 48),
      ttl: config.cacheTtlSeconds * 1000,
    });
    series.onChange((change) => this.onChange(change));
  }

  /** The book and limits read now (one round trip); 404 for an unknown portfolio. The entry is kept for `cached`. */
  async load(portfolioId: string): Promise<CachedBook> {
    const generation = this.generation;
    const snapshot = await this.snapshots.load(portfolioId);
    if (!snapshot) {
      this.books.delete(portfolioId);
      throw new NotFoundError(`portfolio ${portfolioId} not found`);
    }
    const book: CachedBook = { snapshot, limits: this.limits.effective(snapshot.limit), versions: new Map(snapshot.versions), readAt: Date.now(), memo: new Map() };
    if (generation === this.generation) this.keep(portfolioId, book);
    return book;
  }

  /** The held entry when it is still valid, with no database round trip; else `load`. */
  async cached(portfolioId: string): Promise<CachedBook> {
    const held = this.books.get(portfolioId);
    if (!held) return this.refresh(portfolioId);
    const next = held.snapshot.nextLimitAt;
    if (next && Date.now() >= next.getTime()) return this.refresh(portfolioId);
    if (Date.now() - held.readAt > BOOK_REVALIDATE_MS) void this.refresh(portfolioId).catch(() => undefined);
    return held;
  }

  /**
   * The returns of `assetIds` aligned over their common dates, the newest `lookback`. Versions
   * known in `book` answer from memory; an asset it has no version of (a new asset of a what-if)
   * is read through ReturnSeriesCache, and its version is remembered in `book`. 422 naming the
   * assets without stored returns.
   */
  async aligned(assetIds: readonly string[], book: CachedBook, lookback: number): Promise<AlignedReturns> {
    const known = assetIds.every((id) => (book.versions.get(id) ?? '0') !== '0');
    if (known) {
      const hit = this.matrices.get(matrixKey(assetIds, assetIds.map((id) => book.versions.get(id)!), lookback));
      if (hit) return hit;
    }
    const generation = this.generation;
    const loaded = await this.series.getSeries([...assetIds]);
    const missing = assetIds.filter((id) => !loaded.has(id));
    if (missing.length) throw new UnprocessableError(`no returns stored for ${missing.join(', ')}: PUT /v1/assets/{asset_id}/returns first`);
    const series = assetIds.map((id) => loaded.get(id)!);
    const matrix = align(series, lookback);
    // The matrix is never written again: checked once here, not by every calculation that reads it.
    for (const column of matrix.columns) markCheckedReturns(column);
    this.matrices.set(matrixKey(assetIds, series.map((s) => s.version), lookback), matrix);
    if (generation === this.generation && this.books.get(book.snapshot.portfolioId) === book) {
      for (const [i, id] of assetIds.entries()) {
        if (!book.versions.has(id)) {
          book.versions.set(id, series[i].version);
          this.holdersOf(id).add(book.snapshot.portfolioId);
        }
      }
    }
    return matrix;
  }

  /** Whether a portfolio's entry is held (not counted as a use). */
  holds(portfolioId: string): boolean {
    return this.books.has(portfolioId);
  }

  private refresh(portfolioId: string): Promise<CachedBook> {
    let pending = this.refreshing.get(portfolioId);
    if (!pending) {
      const read: Promise<CachedBook> = this.load(portfolioId).finally(() => {
        if (this.refreshing.get(portfolioId) === read) this.refreshing.delete(portfolioId);
      });
      this.refreshing.set(portfolioId, (pending = read));
    }
    return pending;
  }

  private keep(portfolioId: string, book: CachedBook): void {
    this.books.set(portfolioId, book);
    for (const id of book.versions.keys()) this.holdersOf(id).add(portfolioId);
  }

  private holdersOf(assetId: string): Set<string> {
    let set = this.holders.get(assetId);
    if (!set) this.holders.set(assetId, (set = new Set()));
    return set;
  }

  private unregister(portfolioId: string, book: CachedBook): void {
    for (const id of book.versions.keys()) {
      const set = this.holders.get(id);
      set?.delete(portfolioId);
      if (set?.size === 0) this.holders.delete(id);
    }
  }

  private onChange(change: DataChange): void {
    this.generation++;
    // A read in flight may predate the change: later callers must not join it.
    this.refreshing.clear();
    for (const id of change.portfolios) this.books.delete(id);
    for (const asset of change.assets) for (const id of [...(this.holders.get(asset) ?? [])]) this.books.delete(id);
  }
}

function matrixKey(assetIds: readonly string[], versions: readonly string[], lookback: number): string {
  return `${lookback}|${assetIds.map((id, i) => `${id}@${versions[i]}`).join(',')}`;
}

/** Dates on which every series has a value, ascending; the newest `lookback` of them. */
export function align(series: Array<{ dates: string[]; values: Float64Array }>, lookback: number): AlignedReturns {
  const index = series.map((s) => new Map(s.dates.map((d, i) => [d, i])));
  const shortest = series.reduce((a, b) => (b.dates.length < a.dates.length ? b : a));
  const common = shortest.dates.filter((d) => index.every((m) => m.has(d)));
  const dates = common.slice(Math.max(0, common.length - lookback));
  const columns = series.map((s, k) => {
    const col = new Float64Array(dates.length);
    dates.forEach((d, t) => (col[t] = s.values[index[k].get(d)!]));
    return col;
  });
  return { dates, columns };
}
