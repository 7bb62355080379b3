import { TestingModule } from '@nestjs/testing';
import { AppConfig } from '../../src/config/app-config';
import { ReturnsRepository } from '../../src/persistence/repositories';
import { DataChange, decode, encode, ReturnSeriesCache } from '../../src/persistence/return-series.cache';
import { eventually, startPersistence, uid } from './support';

describe('series encoding for Redis', () => {
  it('round-trips dates and exact doubles', () => {
    const s = { dates: ['2024-01-02', '2024-01-03'], values: Float64Array.from([0.1 + 0.2, -1e-300]), version: '42' };
    const back = decode(encode(s))!;
    expect(back.dates).toEqual(s.dates);
    expect(back.version).toBe('42');
    expect(Array.from(back.values)).toEqual(Array.from(s.values));
    expect(JSON.parse(encode(s))).toEqual({ d: s.dates, v: expect.any(String), s: '42' });
  });

  it('treats a malformed entry as a miss', () => {
    expect(decode('not json')).toBeNull();
    expect(decode(JSON.stringify({ d: ['x'], v: '' }))).toBeNull();
    expect(decode(JSON.stringify({ d: 'x', v: 'AAAAAAAAAAA=', s: '1' }))).toBeNull();
    expect(decode(JSON.stringify({ d: ['x'], v: 'AAAAAAAAAAA=' }))).toBeNull(); // no version
  });
});

describe('return series cache: LRU, then Redis, then PostgreSQL', () => {
  let moduleRef: TestingModule;
  let cache: ReturnSeriesCache;
  let returns: ReturnsRepository;
  const replicas: ReturnSeriesCache[] = [];
  /** Another replica: its own LRU and Redis connections, the same Redis and database. */
  const replica = async (): Promise<ReturnSeriesCache> => {
    const r = new ReturnSeriesCache(moduleRef.get(AppConfig), returns);
    replicas.push(r);
    await r.ready();
    return r;
  };
  const delta = (before: ReturnType<ReturnSeriesCache['stats']>, after: ReturnType<ReturnSeriesCache['stats']>) => ({
    lru: { hits: after.lru.hits - before.lru.hits, misses: after.lru.misses - before.lru.misses },
    redis: { hits: after.redis.hits - before.redis.hits, misses: after.redis.misses - before.redis.misses },
  });

  beforeAll(async () => {
    moduleRef = await startPersistence();
    cache = moduleRef.get(ReturnSeriesCache);
    returns = moduleRef.get(ReturnsRepository);
    await cache.ready();
  });
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.onApplicationShutdown()));
    await moduleRef.close();
  });

  it('reads through: a miss in both layers loads from the database, then the LRU answers', async () => {
    const a = `C-${uid()}`;
    await returns.upsert([{ assetId: a, date: '2024-01-03', returnPct: '0.02' }, { assetId: a, date: '2024-01-02', returnPct: '0.01' }]);
    const s0 = cache.stats();
    expect((await cache.getSeries([a])).get(a)).toEqual({ dates: ['2024-01-02', '2024-01-03'], values: Float64Array.from([0.01, 0.02]), version: '1' });
    expect(delta(s0, cache.stats())).toEqual({ lru: { hits: 0, misses: 1 }, redis: { hits: 0, misses: 1 } });
    const s1 = cache.stats();
    expect((await cache.getSeries([a])).get(a)!.values[1]).toBe(0.02);
    expect(delta(s1, cache.stats())).toEqual({ lru: { hits: 1, misses: 0 }, redis: { hits: 0, misses: 0 } });
  });

  it('shares series between replicas through Redis', async () => {
    const a = `C-${uid()}`;
    await returns.upsert([{ assetId: a, date: '2024-01-02', returnPct: '0.01' }]);
    await cache.getSeries([a]); // loads and writes Redis
    const other = await replica();
    expect((await other.getSeries([a])).get(a)).toEqual({ dates: ['2024-01-02'], values: Float64Array.from([0.01]), version: '1' });
    expect(other.stats()).toEqual({ lru: { hits: 0, misses: 1 }, redis: { hits: 1, misses: 0 } });
  });

  it('invalidates the LRU and Redis here, and the LRU of the other replicas', async () => {
    const a = `C-${uid()}`;
    await returns.upsert([{ assetId: a, date: '2024-01-02', returnPct: '0.01' }]);
    const other = await replica();
    await cache.getSeries([a]);
    await other.getSeries([a]);
    expect(other.cached(a)).toBe(true);

    await returns.upsert([{ assetId: a, date: '2024-01-02', returnPct: '0.02' }]);
    await cache.invalidate([a]);
    expect(cache.cached(a)).toBe(false);
    await eventually(() => !other.cached(a)); // the pub/sub message reached the other replica
    const s0 = other.stats();
    expect((await other.getSeries([a])).get(a)!.values[0]).toBe(0.02);
    expect(delta(s0, other.stats()).redis).toEqual({ hits: 0, misses: 1 }); // the Redis key went too
    expect((await cache.getSeries([a])).get(a)!.values[0]).toBe(0.02);
  });

  it('announces asset and portfolio changes to listeners here at once and on the other replicas (the per-portfolio cache)', async () => {
    const other = await replica();
    const here: DataChange[] = [];
    const there: DataChange[] = [];
    cache.onChange((c) => here.push(c));
    other.onChange((c) => there.push(c));
    const [a, p] = [`N-${uid()}`, `P-${uid()}`];
    await cache.invalidate([a]);
    await cache.portfoliosChanged([p]);
    expect(here).toEqual([{ assets: [a], portfolios: [] }, { assets: [], portfolios: [p] }]);
    await eventually(() => there.length === 2);
    expect(there).toEqual(here);
  });

  it('never answers a cached series older than the database holds, without any invalidation', async () => {
    const a = `C-${uid()}`;
    await returns.upsert([{ assetId: a, date: '2024-01-02', returnPct: '0.01' }]);
    const other = await replica();
    await cache.getSeries([a]);
    expect((await other.getSeries([a])).get(a)!.values[0]).toBe(0.01);
    await returns.upsert([{ assetId: a, date: '2024-01-02', returnPct: '0.05' }]); // no invalidate() at all
    expect((await other.getSeries([a])).get(a)).toMatchObject({ values: Float64Array.from([0.05]), version: '2' });
    expect((await cache.getSeries([a])).get(a)!.values[0]).toBe(0.05);
  });

  it('keeps the version when an ingestion changes nothing', async () => {
    const a = `C-${uid()}`;
    await returns.upsert([{ assetId: a, date: '2024-01-02', returnPct: '0.01' }]);
    await returns.upsert([{ assetId: a, date: '2024-01-02', returnPct: '0.010' }]);
    expect((await returns.versions([a])).get(a)).toBe('1');
    await returns.upsert([{ assetId: a, date: '2024-01-03', returnPct: '0.02' }]);
    expect((await returns.versions([a, `none-${uid()}`]))).toEqual(new Map([[a, '2'], [expect.any(String), '0']]));
  });

  it('leaves assets without returns out of the answer and caches nothing for them', async () => {
    const a = `none-${uid()}`;
    expect((await cache.getSeries([a])).size).toBe(0);
    expect(cache.cached(a)).toBe(false);
  });
});
