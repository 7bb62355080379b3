import { UnprocessableError } from '../common/errors';
import { AppConfig } from '../config/app-config';
import { LimitsService } from '../limits/limits.service';
import { BookSnapshot } from '../persistence/book-snapshot.repository';
import { BookSnapshotRepository } from '../persistence/repositories';
import { DataChange, ReturnSeriesCache } from '../persistence/return-series.cache';
import { ReturnSeries } from '../persistence/returns.repository';
import { align, BOOK_REVALIDATE_MS, PortfolioBookCache } from './portfolio-book.cache';

/** Fakes of the database snapshot and the series cache: counts reads, announces changes as the real ones do. */
function setup() {
  const books = new Map<string, Omit<BookSnapshot, 'at' | 'portfolioId' | 'portfolio'>>();
  const series = new Map<string, ReturnSeries>();
  let snapshotReads = 0;
  let seriesReads = 0;
  let gate: Promise<void> | null = null;
  const snapshots = {
    load: async (id: string): Promise<BookSnapshot | null> => {
      snapshotReads++;
      const b = books.get(id);
      const copy = b ? { ...b, portfolioId: id, portfolio: { id, name: id, baseCurrency: 'USD', createdAt: new Date(), updatedAt: new Date() }, at: new Date(), versions: new Map(b.versions), positions: [...b.positions] } : null;
      if (gate) await gate;
      return copy;
    },
  } as unknown as BookSnapshotRepository;
  const listeners: Array<(c: DataChange) => void> = [];
  const seriesCache = {
    onChange: (l: (c: DataChange) => void) => listeners.push(l),
    getSeries: async (ids: string[]) => {
      seriesReads++;
      return new Map(ids.filter((id) => series.has(id)).map((id) => [id, series.get(id)!]));
    },
  } as unknown as ReturnSeriesCache;
  const limits = { effective: (l: unknown) => ({ ...(l as object), isDefault: l === null }) } as unknown as LimitsService;
  const cache = new PortfolioBookCache(snapshots, seriesCache, limits, { cacheMaxSeries: 100, cacheTtlSeconds: 900 } as AppConfig);
  const announce = (c: Partial<DataChange>) => listeners.forEach((l) => l({ assets: [], portfolios: [], ...c }));
  const setSeries = (id: string, version: string, values: number[]) =>
    series.set(id, { dates: values.map((_, i) => `2024-01-${String(i + 1).padStart(2, '0')}`), values: Float64Array.from(values), version });
  const setBook = (id: string, held: Record<string, string>, nextLimitAt: Date | null = null) =>
    books.set(id, {
      positions: Object.keys(held).map((a) => ({ assetId: a, marketValue: '100' })),
      versions: new Map(Object.entries(held)),
      limit: null,
      nextLimitAt,
    });
  return {
    cache,
    announce,
    setSeries,
    setBook,
    reads: () => ({ snapshot: snapshotReads, series: seriesReads }),
    hold: () => {
      let release!: () => void;
      gate = new Promise((r) => (release = r));
      return () => {
        gate = null;
        release();
      };
    },
  };
}

describe('PortfolioBookCache', () => {
  afterEach(() => jest.restoreAllMocks());

  it('answers the pre-trade path from memory once read, and reads the database on every validating load', async () => {
    const f = setup();
    f.setBook('p', { A: '1' });
    await f.cache.cached('p');
    await f.cache.cached('p');
    expect(f.reads().snapshot).toBe(1);
    await f.cache.load('p');
    await f.cache.load('p');
    expect(f.reads().snapshot).toBe(3);
  });

  it('drops an entry when its portfolio, or an asset it depends on, changes; not for another asset', async () => {
    const f = setup();
    f.setBook('p', { A: '1' });
    await f.cache.cached('p');
    f.announce({ assets: ['Z'] });
    expect(f.cache.holds('p')).toBe(true);
    f.announce({ portfolios: ['p'] });
    expect(f.cache.holds('p')).toBe(false);
    f.setBook('p', { A: '1', B: '1' });
    expect((await f.cache.cached('p')).snapshot.positions.map((p) => p.assetId)).toEqual(['A', 'B']);
    f.announce({ assets: ['B'] });
    expect(f.cache.holds('p')).toBe(false);
  });

  it('does not keep a read that started before a change', async () => {
    const f = setup();
    f.setBook('p', { A: '1' });
    const release = f.hold();
    const pending = f.cache.cached('p');
    f.announce({ portfolios: ['p'] });
    f.setBook('p', { A: '1', B: '2' });
    const after = f.cache.cached('p'); // a caller after the change does not join the read in flight
    release();
    expect((await pending).snapshot.positions).toHaveLength(1);
    expect((await after).snapshot.positions).toHaveLength(2);
    expect(f.reads().snapshot).toBe(2);
  });

  it('reads again once a scheduled limit version takes effect, and in the background once the entry is older than BOOK_REVALIDATE_MS', async () => {
    const f = setup();
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now);
    f.setBook('p', { A: '1' }, new Date(now + 60_000));
    await f.cache.cached('p');
    clock.mockReturnValue(now + 500);
    await f.cache.cached('p');
    expect(f.reads().snapshot).toBe(1);
    clock.mockReturnValue(now + 500 + BOOK_REVALIDATE_MS);
    const stale = await f.cache.cached('p'); // the held entry answers; a read starts
    expect(stale.readAt).toBe(now);
    expect(f.reads().snapshot).toBe(2);
    await new Promise((r) => setImmediate(r));
    expect((await f.cache.cached('p')).readAt).toBe(now + 500 + BOOK_REVALIDATE_MS);
    clock.mockReturnValue(now + 60_000);
    await f.cache.cached('p');
    expect(f.reads().snapshot).toBe(3);
  });

  it('keys the aligned matrix by asset ids, versions and lookback; 422 naming assets without returns', async () => {
    const f = setup();
    f.setSeries('A', '1', [0.01, 0.02, -0.03]);
    f.setSeries('B', '4', [0.03, -0.01, 0.02]);
    f.setBook('p', { A: '1', B: '4' });
    const book = await f.cache.cached('p');
    const m1 = await f.cache.aligned(['A', 'B'], book, 2);
    expect(await f.cache.aligned(['A', 'B'], book, 2)).toBe(m1);
    expect(f.reads().series).toBe(1);
    expect(m1).toEqual(align([{ dates: ['2024-01-02', '2024-01-03'], values: Float64Array.from([0.02, -0.03]) }, { dates: ['2024-01-02', '2024-01-03'], values: Float64Array.from([-0.01, 0.02]) }], 2));
    await f.cache.aligned(['A', 'B'], book, 3);
    expect(f.reads().series).toBe(2);
    // A new version of A (a fresh snapshot) is a new key.
    f.setSeries('A', '2', [0.05, 0.02, -0.03]);
    f.setBook('p', { A: '2', B: '4' });
    const fresh = await f.cache.load('p');
    expect((await f.cache.aligned(['A', 'B'], fresh, 3)).columns[0][0]).toBe(0.05);
    await expect(f.cache.aligned(['A', 'NONE'], fresh, 3)).rejects.toThrow(new UnprocessableError('no returns stored for NONE: PUT /v1/assets/{asset_id}/returns first'));
  });

  it('remembers the version of a new asset priced with an entry, and drops the entry when that asset changes', async () => {
    const f = setup();
    f.setSeries('A', '1', [0.01, 0.02, -0.03]);
    f.setSeries('N', '7', [0.01, 0.01, 0.01]);
    f.setBook('p', { A: '1' });
    const book = await f.cache.cached('p');
    await f.cache.aligned(['A', 'N'], book, 3);
    expect(book.versions.get('N')).toBe('7');
    await f.cache.aligned(['A', 'N'], book, 3);
    expect(f.reads().series).toBe(1);
    f.announce({ assets: ['N'] });
    expect(f.cache.holds('p')).toBe(false);
  });
});
