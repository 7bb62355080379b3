import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../src/persistence/data-source';
import { VarResult } from '../../src/persistence/models';
import { BookSnapshotRepository, OutboxRepository, PortfolioRepository, PositionRepository, ReturnsRepository, TransactionRunner, VarResultRepository } from '../../src/persistence/repositories';
import { ReturnSeriesCache } from '../../src/persistence/return-series.cache';
import { startPersistence } from './support';

/** The embedded default: nothing configured, PGlite under DATA_DIR. One database for the suite (~4 s to create). */
describe('embedded PGlite database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'risk-pglite-'));
  const embedded = { DATABASE_URL: undefined, REDIS_URL: undefined, DATA_DIR: dir };
  let moduleRef: TestingModule;

  beforeAll(async () => {
    moduleRef = await startPersistence(embedded);
  }, 60_000);
  afterAll(async () => {
    await moduleRef.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the migrations, and the entities match the schema there too', async () => {
    const ds = moduleRef.get(DataSource);
    expect(await ds.showMigrations()).toBe(false);
    expect((await ds.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query)).toEqual([]);
  });

  it('round-trips money, dates and returns; INT8 and numeric come back as strings, as with pg', async () => {
    await moduleRef.get(PortfolioRepository).create({ id: 'emb', name: 'Embedded', baseCurrency: 'CHF' });
    await moduleRef.get(PositionRepository).replaceBook('emb', [{ assetId: 'SMI', marketValue: '12345678901234.56' }]);
    expect(await moduleRef.get(PositionRepository).findByPortfolio('emb')).toEqual([{ assetId: 'SMI', marketValue: '12345678901234.56' }]);
    const returns = moduleRef.get(ReturnsRepository);
    expect(await returns.upsert([{ assetId: 'SMI', date: '1991-01-03', returnPct: '-0.0045' }, { assetId: 'SMI', date: '1991-01-02', returnPct: '0.006197' }])).toEqual({ inserted: 2, updated: 0 });
    expect(await returns.upsert([{ assetId: 'SMI', date: '1991-01-02', returnPct: '0.006197' }])).toEqual({ inserted: 0, updated: 0 });
    expect(await moduleRef.get(ReturnSeriesCache).getSeries(['SMI'])).toEqual(
      new Map([['SMI', { dates: ['1991-01-02', '1991-01-03'], values: Float64Array.from([0.006197, -0.0045]), version: '1' }]]),
    );
    const ds = moduleRef.get(DataSource);
    expect(await ds.query(`SELECT 9007199254740993::int8 AS big, 0.1::numeric AS dec, '2024-02-29'::date AS day`)).toEqual([
      { big: '9007199254740993', dec: '0.1', day: '2024-02-29' },
    ]);
  });

  it('stores a result with its event in one statement, and the relay statements, as on PostgreSQL (query() instead of prepared statements)', async () => {
    await moduleRef.get(PortfolioRepository).create({ id: 'emb-var', name: 'Embedded', baseCurrency: 'CHF' });
    const results = moduleRef.get(VarResultRepository);
    const outbox = moduleRef.get(OutboxRepository);
    const r: VarResult = {
      id: randomUUID(), portfolioId: 'emb-var', kind: 'VAR', method: 'historical', confidenceLevel: 99, horizonDays: 1, scaling: 'none', varReturn: -0.02, var: '-20.00',
      cvarReturn: null, cvar: null, portfolioValue: '1000.00', observations: 250, fromDate: '2024-01-02', toDate: '2024-12-31', contributions: [], lambda: null,
      sigmaForecast: null, limitCheck: null, correlationId: null, calculatedAt: new Date(), runId: null,
    };
    const event = { id: randomUUID(), subject: 'risk.var.calculated', payload: { portfolio_id: 'emb-var' }, headers: {}, correlationId: null };
    expect(await results.insertIfUnchanged({ ...r, id: randomUUID() }, [{ ...event, id: randomUUID() }], { limitId: randomUUID(), noOpenAlert: 'VAR' })).toBe(false);
    expect(await results.insertIfUnchanged(r, [event], { limitId: null, noOpenAlert: 'VAR' })).toBe(true);
    expect(await results.history('emb-var', { limit: 10 })).toEqual([r]);
    expect((await moduleRef.get(BookSnapshotRepository).load('emb-var'))?.positions).toEqual([]);
    const claimed = (await outbox.claimDue(1000, 60_000)).map((e) => e.id);
    expect(claimed).toContain(event.id);
    const pending = await outbox.countPending();
    expect(await outbox.markSent(claimed)).toBe(pending - claimed.length);
  });

  it('upserts 100,000 rows in one call', async () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => ({
      assetId: `PGL-${i % 10}`,
      date: new Date(Date.UTC(1980, 0, 1) + Math.floor(i / 10) * 86_400_000).toISOString().slice(0, 10),
      returnPct: String(((i % 97) - 48) / 10_000),
    }));
    const returns = moduleRef.get(ReturnsRepository);
    let t0 = performance.now();
    expect(await returns.upsert(rows)).toEqual({ inserted: 100_000, updated: 0 });
    const insertMs = performance.now() - t0;
    t0 = performance.now();
    expect(await returns.upsert(rows)).toEqual({ inserted: 0, updated: 0 });
    process.stdout.write(`    PGlite, 100,000-row upsert: insert ${insertMs.toFixed(0)} ms, unchanged ${(performance.now() - t0).toFixed(0)} ms\n`);
    expect((await returns.getSeries(['PGL-3'])).get('PGL-3')!.dates.length).toBe(10_000);
  }, 120_000);

  it('isolates concurrent transactions: a rollback keeps nothing, the other commits', async () => {
    const portfolios = moduleRef.get(PortfolioRepository);
    const positions = moduleRef.get(PositionRepository);
    const tx = moduleRef.get(TransactionRunner);
    let wrote!: () => void;
    const failingWrote = new Promise<void>((r) => (wrote = r));
    const failing = tx.run(async (t) => {
      await portfolios.create({ id: 'rolled-back', name: 'x', baseCurrency: 'USD' }, t);
      await positions.replaceBook('emb', [{ assetId: 'GONE', marketValue: '1' }], t);
      wrote();
      await new Promise((r) => setTimeout(r, 20)); // the other transaction is waiting meanwhile
      throw new Error('abort');
    });
    await failingWrote;
    const committing = tx.run(async (t) => {
      // Runs after the failing one released the session: its writes are not visible here.
      expect(await portfolios.findById('rolled-back', t)).toBeNull();
      await portfolios.create({ id: 'committed', name: 'y', baseCurrency: 'USD' }, t);
      await portfolios.touch('committed', t);
    });
    const [f, c] = await Promise.allSettled([failing, committing]);
    expect(f).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ message: 'abort' }) });
    expect(c).toEqual({ status: 'fulfilled', value: undefined });
    expect(await portfolios.findById('rolled-back')).toBeNull();
    expect(await portfolios.findById('committed')).not.toBeNull();
    expect(await positions.findByPortfolio('emb')).toEqual([{ assetId: 'SMI', marketValue: '12345678901234.56' }]);
  });

  it('serialises concurrent book replacements and series upserts with the same locks as PostgreSQL', async () => {
    const tx = moduleRef.get(TransactionRunner);
    const portfolios = moduleRef.get(PortfolioRepository);
    const positions = moduleRef.get(PositionRepository);
    const returns = moduleRef.get(ReturnsRepository);
    await portfolios.create({ id: 'emb-locks', name: 'Locks', baseCurrency: 'USD' });
    const books = [
      [{ assetId: 'B', marketValue: '2' }, { assetId: 'A', marketValue: '1' }],
      [{ assetId: 'C', marketValue: '3' }],
    ];
    await Promise.all(
      books.map((book) =>
        tx.run(async (t) => {
          expect(await portfolios.lock('emb-locks', t)).toBe(true);
          await positions.replaceBook('emb-locks', book, t);
        }),
      ),
    );
    const stored = await positions.findByPortfolio('emb-locks');
    expect([JSON.stringify([books[0][1], books[0][0]]), JSON.stringify(books[1])]).toContain(JSON.stringify(stored));
    const batches = ['0.001', '0.002'].map((v) => ['1991-01-03', '1991-01-02'].map((date) => ({ assetId: 'EMB-L', date, returnPct: v })));
    await Promise.all(
      batches.map((rows) =>
        tx.run(async (t) => {
          await returns.lockAssets(['EMB-L'], t);
          return returns.upsert(rows, t);
        }),
      ),
    );
    const series = (await returns.getSeries(['EMB-L'])).get('EMB-L')!;
    expect(series.dates).toEqual(['1991-01-02', '1991-01-03']);
    expect(series.values[0]).toBe(series.values[1]);
  });

  it('fails at once, instead of waiting forever, when a call inside a transaction forgets its tx', async () => {
    const portfolios = moduleRef.get(PortfolioRepository);
    await expect(moduleRef.get(TransactionRunner).run(async () => portfolios.findById('emb'))).rejects.toThrow(/must pass its tx/);
    expect(await portfolios.findById('emb')).not.toBeNull(); // the session was released
  });

  it('runs with a 16 MB buffer pool instead of PGlite\'s 160 MB (resident memory)', async () => {
    expect(await moduleRef.get(DataSource).query('SHOW shared_buffers')).toEqual([{ shared_buffers: '16MB' }]);
  });

  it('initialises a new data directory in a child process, before the data source opens it', () => {
    const fresh = mkdtempSync(join(tmpdir(), 'risk-pglite-new-'));
    try {
      const external = process.memoryUsage().external;
      buildDataSourceOptions({ dataDir: fresh });
      expect(existsSync(join(fresh, 'pglite', 'PG_VERSION'))).toBe(true);
      expect(existsSync(join(fresh, 'pglite.initdb'))).toBe(false);
      // initdb's heap (hundreds of MB of WebAssembly memory) stayed in the child.
      expect(process.memoryUsage().external - external).toBeLessThan(64 * 1024 * 1024);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses a DATA_DIR whose pglite folder holds something else than a database', () => {
    const odd = mkdtempSync(join(tmpdir(), 'risk-pglite-odd-'));
    try {
      mkdirSync(join(odd, 'pglite'));
      writeFileSync(join(odd, 'pglite', 'notes.txt'), 'not a database');
      expect(() => buildDataSourceOptions({ dataDir: odd })).toThrow(/neither empty nor a PGlite database/);
    } finally {
      rmSync(odd, { recursive: true, force: true });
    }
  });

  it('keeps its data across a restart on the same DATA_DIR', async () => {
    await moduleRef.get(PortfolioRepository).create({ id: 'survivor', name: 'Kept', baseCurrency: 'EUR' });
    await moduleRef.close();
    moduleRef = await startPersistence(embedded);
    expect((await moduleRef.get(PortfolioRepository).findById('survivor'))?.name).toBe('Kept');
    expect(await moduleRef.get(PositionRepository).findByPortfolio('emb')).toEqual([{ assetId: 'SMI', marketValue: '12345678901234.56' }]);
  });
});
