import { randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { ConfigModule } from '../../src/config/config.module';
import { PersistenceModule } from '../../src/persistence/persistence.module';
import { Alert, AlertRepository } from '../../src/persistence/alert.repository';
import { OutboxRepository } from '../../src/persistence/outbox.repository';
import { PortfolioRepository } from '../../src/persistence/portfolio.repository';
import { PositionRepository } from '../../src/persistence/position.repository';
import { ReturnsRepository } from '../../src/persistence/returns.repository';
import { TransactionRunner } from '../../src/persistence/transaction-runner';
import { VarResultRepository } from '../../src/persistence/var-result.repository';
import { AppConfig } from '../../src/config/app-config';
import { decode, encode, ReturnSeriesCache } from '../../src/persistence/return-series.cache';
import { ConflictError } from '../../src/common/errors';

const waitReady = async (c: ReturnSeriesCache): Promise<ReturnSeriesCache> => {
  for (let i = 0; i < 50 && !(await c.ping().then(() => true, () => false)); i++) await new Promise((r) => setTimeout(r, 20));
  return c;
};

describe('series encoding for Redis', () => {
  it('round-trips dates and exact doubles', () => {
    const s = { dates: ['2024-01-02', '2024-01-03'], values: Float64Array.from([0.1 + 0.2, -1e-300]) };
    const back = decode(encode(s))!;
    expect(back.dates).toEqual(s.dates);
    expect(Array.from(back.values)).toEqual(Array.from(s.values));
    expect(JSON.parse(encode(s))).toEqual({ d: s.dates, v: expect.any(String) });
    expect(decode('not json')).toBeNull();
    expect(decode(JSON.stringify({ d: ['x'], v: '' }))).toBeNull();
  });
});

describe('repositories on PostgreSQL', () => {
  let moduleRef: Awaited<ReturnType<ReturnType<typeof Test.createTestingModule>['compile']>>;
  const get = <T>(t: abstract new (...a: never[]) => T) => moduleRef.get(t as never) as T;
  const uid = () => randomUUID().slice(0, 8);

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({ imports: [ConfigModule, PersistenceModule] }).compile();
    await moduleRef.init();
  });
  afterAll(async () => {
    await moduleRef.close();
  });

  it('creates portfolios and refuses a duplicate id', async () => {
    const repo = get(PortfolioRepository);
    const id = `p-${uid()}`;
    const p = await repo.create({ id, name: 'Desk', baseCurrency: 'USD' });
    expect(p).toMatchObject({ id, name: 'Desk', baseCurrency: 'USD' });
    await expect(repo.create({ id, name: 'Again', baseCurrency: 'USD' })).rejects.toBeInstanceOf(ConflictError);
    expect((await repo.findById(id))?.name).toBe('Desk');
    expect(await repo.findById(`none-${uid()}`)).toBeNull();
  });

  it('upserts returns idempotently: unchanged rows count as neither', async () => {
    const repo = get(ReturnsRepository);
    const a = `A-${uid()}`;
    const rows = [
      { assetId: a, date: '2024-01-02', returnPct: '0.0012' },
      { assetId: a, date: '2024-01-03', returnPct: '-0.0231' },
    ];
    expect(await repo.upsert(rows)).toEqual({ inserted: 2, updated: 0 });
    expect(await repo.upsert(rows)).toEqual({ inserted: 0, updated: 0 });
    expect(await repo.upsert([{ ...rows[1], returnPct: '-0.0232' }, { assetId: a, date: '2024-01-01', returnPct: '1e-3' }])).toEqual({ inserted: 1, updated: 1 });
    // 0.0012 written as 1.2e-3 is the same number: unchanged
    expect(await repo.upsert([{ ...rows[0], returnPct: '1.2e-3' }])).toEqual({ inserted: 0, updated: 0 });
    const series = (await repo.getSeries([a])).get(a)!;
    expect(series.dates).toEqual(['2024-01-01', '2024-01-02', '2024-01-03']);
    expect(Array.from(series.values)).toEqual([0.001, 0.0012, -0.0232]);
  });

  it('upserts 100,000 rows in one call', async () => {
    const repo = get(ReturnsRepository);
    const rows = [];
    for (let i = 0; i < 100_000; i++) {
      const d = new Date(Date.UTC(1990, 0, 1) + (i % 10_000) * 86_400_000).toISOString().slice(0, 10);
      rows.push({ assetId: `BULK-${Math.floor(i / 10_000)}-${uid()}`.slice(0, 12) + Math.floor(i / 10_000), date: d, returnPct: String((i % 97) / 10_000) });
    }
    const t0 = Date.now();
    const res = await repo.upsert(rows);
    process.stdout.write(`    100,000-row upsert on PostgreSQL: ${Date.now() - t0} ms\n`);
    expect(res.inserted + res.updated).toBe(100_000);
  });

  it('replaces a book atomically inside a transaction', async () => {
    const id = `p-${uid()}`;
    await get(PortfolioRepository).create({ id, name: 'Book', baseCurrency: 'EUR' });
    const positions = get(PositionRepository);
    const tx = get(TransactionRunner);
    await positions.replaceBook(id, [{ assetId: 'X', marketValue: '100.10' }, { assetId: 'Y', marketValue: '-20' }]);
    await expect(
      tx.run(async (t) => {
        await positions.replaceBook(id, [{ assetId: 'Z', marketValue: '1' }], t);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await positions.findByPortfolio(id)).toEqual([
      { assetId: 'X', marketValue: '100.10' },
      { assetId: 'Y', marketValue: '-20' },
    ]);
    // Without a tx it runs its own: a failing insert does not leave the book deleted.
    await expect(positions.replaceBook(id, [{ assetId: 'Z', marketValue: 'not-a-number' }])).rejects.toThrow();
    expect((await positions.findByPortfolio(id)).map((p) => p.assetId)).toEqual(['X', 'Y']);
    await positions.replaceBook(id, [{ assetId: 'B', marketValue: '2' }, { assetId: 'A', marketValue: '1.000000000000000001' }]);
    expect(await positions.findByPortfolio(id)).toEqual([
      { assetId: 'A', marketValue: '1.000000000000000001' },
      { assetId: 'B', marketValue: '2' },
    ]);
  });

  it('upserts more than one chunk (50,000 rows) all or nothing', async () => {
    const repo = get(ReturnsRepository);
    const a = `CH-${uid()}`;
    const rows = Array.from({ length: 50_001 }, (_, i) => ({
      assetId: `${a}-${i % 5}`,
      date: new Date(Date.UTC(1950, 0, 1) + Math.floor(i / 5) * 86_400_000).toISOString().slice(0, 10),
      returnPct: i === 50_000 ? 'bad' : '0.001',
    }));
    await expect(repo.upsert(rows)).rejects.toThrow();
    expect((await repo.getSeries([`${a}-0`])).size).toBe(0); // the first chunk rolled back with the second
    rows[50_000].returnPct = '0.002';
    expect(await repo.upsert(rows)).toEqual({ inserted: 50_001, updated: 0 });
    expect(await repo.upsert(rows)).toEqual({ inserted: 0, updated: 0 });
  });

  it('gives risk_limits.id a server-side default', async () => {
    const id = `p-${uid()}`;
    await get(PortfolioRepository).create({ id, name: 'L', baseCurrency: 'USD' });
    const rows = await get(DataSource).query(
      'INSERT INTO risk_limits (portfolio_id, confidence_level, effective_date) VALUES ($1, 99, now()) RETURNING id',
      [id],
    );
    expect(rows[0].id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps one open alert per portfolio and type', async () => {
    const repo = get(AlertRepository);
    const now = new Date();
    const alert: Alert = { id: randomUUID(), portfolioId: `p-${uid()}`, type: 'VAR', severity: 'high', message: 'm', threshold: 5, currentValue: 6, triggeredAt: now, lastTriggeredAt: now, status: 'active', occurrences: 1, acknowledgedBy: null, acknowledgedAt: null, acknowledgeNote: null, resolvedAt: null, resolvedBy: null };
    await repo.insert(alert);
    await expect(repo.insert({ ...alert, id: randomUUID() })).rejects.toThrow();
    await repo.update({ ...alert, status: 'resolved', resolvedAt: now });
    await repo.insert({ ...alert, id: randomUUID() });
    expect((await repo.list({ portfolioId: alert.portfolioId })).length).toBe(2);
  });

  it('leases outbox events so that two relays do not take the same one', async () => {
    const repo = get(OutboxRepository);
    const ids: string[] = [randomUUID(), randomUUID()];
    await repo.add(ids.map((id) => ({ id, subject: 'risk.test', payload: { id }, headers: { 'x-correlation-id': 'c' }, correlationId: 'c' })));
    const first = await repo.claimDue(1000, 60_000);
    const mine = first.filter((e) => ids.includes(e.id));
    expect(mine.map((e) => e.id).sort()).toEqual([...ids].sort());
    expect((await repo.claimDue(1000, 60_000)).filter((e) => ids.includes(e.id))).toEqual([]);
    expect(await repo.countPending()).toBeGreaterThanOrEqual(2);
    await repo.markFailed(ids[0], 'broker down', new Date(Date.now() - 1));
    const retry = (await repo.claimDue(1000, 60_000)).filter((e) => ids.includes(e.id));
    expect(retry.map((e) => e.id)).toEqual([ids[0]]);
    expect(retry[0].attempts).toBe(1);
    await repo.markSent(ids);
    expect((await repo.claimDue(1000, 1)).filter((e) => ids.includes(e.id))).toEqual([]);
  });

  it('lets an outbox lease lapse: the event is claimable again after leaseMs', async () => {
    const repo = get(OutboxRepository);
    const id = randomUUID();
    await repo.add([{ id, subject: 'risk.test', payload: { n: 1 }, headers: {}, correlationId: null }]);
    expect((await repo.claimDue(1000, 150)).some((e) => e.id === id)).toBe(true);
    expect((await repo.claimDue(1000, 150)).some((e) => e.id === id)).toBe(false);
    await new Promise((r) => setTimeout(r, 250));
    const again = (await repo.claimDue(1000, 60_000)).filter((e) => e.id === id);
    expect(again).toEqual([expect.objectContaining({ id, payload: { n: 1 }, headers: {}, attempts: 0 })]);
    const pending = await repo.countPending();
    await repo.markSent([id]);
    expect(await repo.countPending()).toBe(pending - 1);
  });

  it('stores and lists var results newest first', async () => {
    const id = `p-${uid()}`;
    await get(PortfolioRepository).create({ id, name: 'H', baseCurrency: 'USD' });
    const repo = get(VarResultRepository);
    for (let i = 0; i < 3; i++) {
      await repo.insert({ id: randomUUID(), portfolioId: id, kind: 'VAR', method: 'historical', confidenceLevel: 99, horizonDays: 1, scaling: 'none', valueReturn: -0.01 * (i + 1), value: `-${i + 1}00.00`, portfolioValue: '10000.00', observations: 250, fromDate: '2024-01-02', toDate: '2024-12-31', contributions: [], limitCheck: null, correlationId: 'c', calculatedAt: new Date(Date.now() + i * 1000) });
    }
    const h = await repo.history(id, { limit: 2 });
    expect(h.map((r) => r.valueReturn)).toEqual([-0.03, -0.02]);
    expect(h[0]).toMatchObject({ value: '-300.00', portfolioValue: '10000.00', fromDate: '2024-01-02', toDate: '2024-12-31' });
    expect(h[0].calculatedAt).toBeInstanceOf(Date);
    expect((await repo.history(id, { limit: 10 })).map((r) => r.valueReturn)).toEqual([-0.03, -0.02, -0.01]);
    expect((await repo.history(id, { limit: 10, since: new Date(h[1].calculatedAt.getTime()) })).length).toBe(2);
  });

  it('caches series in the LRU and Redis, and invalidates both', async () => {
    const cache = get(ReturnSeriesCache);
    const repo = get(ReturnsRepository);
    const a = `C-${uid()}`;
    await repo.upsert([{ assetId: a, date: '2024-01-02', returnPct: '0.01' }]);
    const before = cache.stats();
    expect((await cache.getSeries([a])).get(a)!.values[0]).toBe(0.01);
    expect((await cache.getSeries([a])).get(a)!.values[0]).toBe(0.01);
    const after = cache.stats();
    expect(after.lru.hits - before.lru.hits).toBe(1);
    expect(after.redis.misses - before.redis.misses).toBe(1);
    // A second replica (empty LRU) finds the series in Redis.
    const replica = new ReturnSeriesCache(get(AppConfig), repo);
    try {
      const s = (await waitReady(replica)).getSeries([a]);
      expect(Array.from((await s).get(a)!.values)).toEqual([0.01]);
      expect((await s).get(a)!.dates).toEqual(['2024-01-02']);
      expect(replica.stats().redis).toEqual({ hits: 1, misses: 0 });
    } finally {
      await replica.onApplicationShutdown();
    }
    await repo.upsert([{ assetId: a, date: '2024-01-02', returnPct: '0.02' }]);
    await cache.invalidate([a]);
    const r0 = cache.stats().redis.misses;
    expect((await cache.getSeries([a])).get(a)!.values[0]).toBe(0.02);
    expect(cache.stats().redis.misses - r0).toBe(1); // invalidated in Redis too
    expect(get(DataSource).isInitialized).toBe(true);
  });
});
