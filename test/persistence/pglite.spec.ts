import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { ConfigModule } from '../../src/config/config.module';
import { PersistenceModule } from '../../src/persistence/persistence.module';
import { PortfolioRepository, PositionRepository, ReturnsRepository, TransactionRunner } from '../../src/persistence/repositories';

describe('embedded PGlite database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'risk-pglite-'));
  let moduleRef: Awaited<ReturnType<ReturnType<typeof Test.createTestingModule>['compile']>>;
  beforeAll(async () => {
    const saved = { db: process.env.DATABASE_URL, dir: process.env.DATA_DIR, redis: process.env.REDIS_URL };
    delete process.env.DATABASE_URL;
    delete process.env.REDIS_URL;
    process.env.DATA_DIR = dir;
    moduleRef = await Test.createTestingModule({ imports: [ConfigModule, PersistenceModule] }).compile();
    await moduleRef.init();
    process.env.DATABASE_URL = saved.db;
    process.env.REDIS_URL = saved.redis;
    if (saved.dir === undefined) delete process.env.DATA_DIR;
    else process.env.DATA_DIR = saved.dir;
  }, 60_000);
  afterAll(async () => {
    await moduleRef.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the migrations and round-trips money, dates and returns', async () => {
    await moduleRef.get(PortfolioRepository).create({ id: 'emb', name: 'Embedded', baseCurrency: 'CHF' });
    await moduleRef.get(PositionRepository).replaceBook('emb', [{ assetId: 'SMI', marketValue: '12345678901234.56' }]);
    expect(await moduleRef.get(PositionRepository).findByPortfolio('emb')).toEqual([{ assetId: 'SMI', marketValue: '12345678901234.56' }]);
    const returns = moduleRef.get(ReturnsRepository);
    expect(await returns.upsert([{ assetId: 'SMI', date: '1991-01-02', returnPct: '0.006197' }])).toEqual({ inserted: 1, updated: 0 });
    expect(await returns.upsert([{ assetId: 'SMI', date: '1991-01-02', returnPct: '0.006197' }])).toEqual({ inserted: 0, updated: 0 });
    const s = (await returns.getSeries(['SMI'])).get('SMI')!;
    expect(s.dates).toEqual(['1991-01-02']);
    expect(s.values[0]).toBe(0.006197);
  });

  it('returns INT8 as a string (as pg does) and upserts 100,000 rows in one call', async () => {
    const ds = moduleRef.get(DataSource);
    expect(await ds.query('SELECT count(*) AS n, 9007199254740993::int8 AS big')).toEqual([{ n: '0', big: '9007199254740993' }].map((r) => ({ ...r, n: expect.any(String) })));
    const rows = Array.from({ length: 100_000 }, (_, i) => ({
      assetId: `PGL-${i % 10}`,
      date: new Date(Date.UTC(1980, 0, 1) + Math.floor(i / 10) * 86_400_000).toISOString().slice(0, 10),
      returnPct: String((i % 97) / 10_000),
    }));
    const returns = moduleRef.get(ReturnsRepository);
    const t0 = Date.now();
    expect(await returns.upsert(rows)).toEqual({ inserted: 100_000, updated: 0 });
    process.stdout.write(`    100,000-row upsert on PGlite: ${Date.now() - t0} ms\n`);
    const t1 = Date.now();
    expect(await returns.upsert(rows)).toEqual({ inserted: 0, updated: 0 });
    process.stdout.write(`    100,000-row unchanged re-upsert on PGlite: ${Date.now() - t1} ms\n`);
    const s = (await returns.getSeries(['PGL-3'])).get('PGL-3')!;
    expect(s.dates.length).toBe(10_000);
    expect(s.dates[0] < s.dates[1]).toBe(true);
  }, 120_000);

  it('isolates concurrent transactions: a rollback keeps nothing, the other commits', async () => {
    const portfolios = moduleRef.get(PortfolioRepository);
    const tx = moduleRef.get(TransactionRunner);
    const failing = tx.run(async (t) => {
      await portfolios.create({ id: 'rolled-back', name: 'x', baseCurrency: 'USD' }, t);
      await new Promise((r) => setTimeout(r, 20));
      throw new Error('abort');
    });
    const committing = tx.run(async (t) => {
      await portfolios.create({ id: 'committed', name: 'y', baseCurrency: 'USD' }, t);
      await new Promise((r) => setTimeout(r, 10));
      await portfolios.touch('committed', t);
    });
    const [f, c] = await Promise.allSettled([failing, committing]);
    expect(f).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ message: 'abort' }) });
    expect(c.status).toBe('fulfilled');
    expect(await portfolios.findById('rolled-back')).toBeNull();
    expect(await portfolios.findById('committed')).not.toBeNull();
  });

  it('keeps its data across a restart on the same DATA_DIR', async () => {
    await moduleRef.get(PortfolioRepository).create({ id: 'survivor', name: 'Kept', baseCurrency: 'EUR' });
    await moduleRef.close();
    const saved = { db: process.env.DATABASE_URL, dir: process.env.DATA_DIR };
    delete process.env.DATABASE_URL;
    process.env.DATA_DIR = dir;
    moduleRef = await Test.createTestingModule({ imports: [ConfigModule, PersistenceModule] }).compile();
    await moduleRef.init();
    process.env.DATABASE_URL = saved.db;
    if (saved.dir === undefined) delete process.env.DATA_DIR;
    else process.env.DATA_DIR = saved.dir;
    expect((await moduleRef.get(PortfolioRepository).findById('survivor'))?.name).toBe('Kept');
    expect(await moduleRef.get(PositionRepository).findByPortfolio('emb')).toEqual([{ assetId: 'SMI', marketValue: '12345678901234.56' }]);
  });
});
