import { randomUUID } from 'node:crypto';
import { TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { ConflictError } from '../../src/common/errors';
import { Alert, RiskRun, VarResult } from '../../src/persistence/models';
import {
  AlertRepository,
  ApiKeyRepository,
  AuditLogRepository,
  DrawdownEventRepository,
  DrawdownStateRepository,
  DuplicateKeyError,
  LimitBreachRepository,
  PortfolioRepository,
  PositionRepository,
  ReturnsRepository,
  RiskLimitRepository,
  RiskRunRepository,
  StaleVersionError,
  TransactionRunner,
  VarResultRepository,
} from '../../src/persistence/repositories';
import { eventually, startPersistence, uid } from './support';

describe('repositories on PostgreSQL', () => {
  let moduleRef: TestingModule;
  const get = <T>(token: abstract new (...a: never[]) => T): T => moduleRef.get(token as never) as T;
  const newPortfolio = async (prefix = 'p'): Promise<string> => {
    const id = `${prefix}-${uid()}`;
    await get(PortfolioRepository).create({ id, name: 'Desk', baseCurrency: 'USD' });
    return id;
  };

  beforeAll(async () => {
    moduleRef = await startPersistence();
  });
  afterAll(async () => {
    await moduleRef.close();
  });

  describe('portfolios', () => {
    it('creates a portfolio and refuses a second one with the same id', async () => {
      const repo = get(PortfolioRepository);
      const id = `p-${uid()}`;
      const p = await repo.create({ id, name: 'Desk', baseCurrency: 'USD' });
      expect(p).toEqual({ id, name: 'Desk', baseCurrency: 'USD', createdAt: expect.any(Date), updatedAt: expect.any(Date) });
      const again = repo.create({ id, name: 'Again', baseCurrency: 'USD' });
      await expect(again).rejects.toBeInstanceOf(DuplicateKeyError);
      await expect(again).rejects.toBeInstanceOf(ConflictError);
      expect((await repo.findById(id))?.name).toBe('Desk');
      expect(await repo.findById(`none-${uid()}`)).toBeNull();
    });

    it('lists portfolios ordered by id', async () => {
      const repo = get(PortfolioRepository);
      const u = uid();
      for (const id of [`zz-${u}`, `aa-${u}`, `mm-${u}`]) await repo.create({ id, name: id, baseCurrency: 'EUR' });
      const mine = (await repo.list()).map((p) => p.id).filter((id) => id.endsWith(u));
      expect(mine).toEqual([`aa-${u}`, `mm-${u}`, `zz-${u}`]);
    });

    it('touches updated_at', async () => {
      const id = await newPortfolio();
      const before = (await get(PortfolioRepository).findById(id))!.updatedAt;
      await get(PortfolioRepository).touch(id);
      expect((await get(PortfolioRepository).findById(id))!.updatedAt.getTime()).toBeGreaterThan(before.getTime());
    });
  });

  describe('positions', () => {
    it('keeps money exact as decimal text, with its scale', async () => {
      const id = await newPortfolio();
      const positions = get(PositionRepository);
      await positions.replaceBook(id, [
        { assetId: 'B', marketValue: '600000.00' },
        { assetId: 'A', marketValue: '1.000000000000000001' },
        { assetId: 'C', marketValue: '-1.5e3' },
        { assetId: 'D', marketValue: '12345678901234567890.12' },
      ]);
      expect(await positions.findByPortfolio(id)).toEqual([
        { assetId: 'A', marketValue: '1.000000000000000001' },
        { assetId: 'B', marketValue: '600000.00' },
        { assetId: 'C', marketValue: '-1500' },
        { assetId: 'D', marketValue: '12345678901234567890.12' },
      ]);
    });

    it('reads every book in one call, each ordered by asset, a portfolio without positions absent', async () => {
      const [one, two, empty] = [await newPortfolio(), await newPortfolio(), await newPortfolio()];
      const positions = get(PositionRepository);
      await positions.replaceBook(one, [{ assetId: 'Y', marketValue: '2' }, { assetId: 'X', marketValue: '1' }]);
      await positions.replaceBook(two, [{ assetId: 'Z', marketValue: '-3.50' }]);
      const books = await positions.findAllBooks();
      expect(books.get(one)).toEqual([{ assetId: 'X', marketValue: '1' }, { assetId: 'Y', marketValue: '2' }]);
      expect(books.get(two)).toEqual([{ assetId: 'Z', marketValue: '-3.50' }]);
      expect(books.has(empty)).toBe(false);
    });

    it('replaces a book atomically: a rolled-back transaction keeps the old book', async () => {
      const id = await newPortfolio();
      const positions = get(PositionRepository);
      await positions.replaceBook(id, [{ assetId: 'X', marketValue: '100.10' }, { assetId: 'Y', marketValue: '-20' }]);
      await expect(
        get(TransactionRunner).run(async (t) => {
          await positions.replaceBook(id, [{ assetId: 'Z', marketValue: '1' }], t);
          expect(await positions.findByPortfolio(id, t)).toEqual([{ assetId: 'Z', marketValue: '1' }]);
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(await positions.findByPortfolio(id)).toEqual([
        { assetId: 'X', marketValue: '100.10' },
        { assetId: 'Y', marketValue: '-20' },
      ]);
    });

    it('replaces a book in its own transaction: a failing insert leaves the old book', async () => {
      const id = await newPortfolio();
      const positions = get(PositionRepository);
      await positions.replaceBook(id, [{ assetId: 'X', marketValue: '1' }]);
      // The same asset twice violates the primary key after the old book was deleted.
      await expect(positions.replaceBook(id, [{ assetId: 'Z', marketValue: '1' }, { assetId: 'Z', marketValue: '2' }])).rejects.toThrow();
      expect(await positions.findByPortfolio(id)).toEqual([{ assetId: 'X', marketValue: '1' }]);
      // A value that is not a decimal is refused before anything is touched.
      await expect(positions.replaceBook(id, [{ assetId: 'Z', marketValue: 'not-a-number' }])).rejects.toThrow(TypeError);
      expect(await positions.findByPortfolio(id)).toEqual([{ assetId: 'X', marketValue: '1' }]);
      await positions.replaceBook(id, []);
      expect(await positions.findByPortfolio(id)).toEqual([]);
    });
  });

  describe('daily returns', () => {
    it('upserts idempotently: an unchanged row counts as neither inserted nor updated', async () => {
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

    it('counts each asset of one upsert on its own, zeros for an asset whose rows are unchanged, and bumps only changed series', async () => {
      const repo = get(ReturnsRepository);
      const [a, b, c] = [`W-${uid()}`, `W-${uid()}`, `W-${uid()}`];
      await repo.upsert([{ assetId: c, date: '2024-01-02', returnPct: '0.01' }]);
      const counts = await repo.upsertByAsset([
        { assetId: a, date: '2024-01-02', returnPct: '0.01' },
        { assetId: b, date: '2024-01-02', returnPct: '0.02' },
        { assetId: a, date: '2024-01-03', returnPct: '0.03' },
        { assetId: c, date: '2024-01-02', returnPct: '0.01' },
      ]);
      expect(counts).toEqual(new Map([[a, { inserted: 2, updated: 0 }], [b, { inserted: 1, updated: 0 }], [c, { inserted: 0, updated: 0 }]]));
      expect(await repo.versions([a, b, c])).toEqual(new Map([[a, '1'], [b, '1'], [c, '1']]));
    });

    it('answers every asset series ascending by date, whatever the insertion order; unknown assets are absent', async () => {
      const repo = get(ReturnsRepository);
      const [a, b] = [`S-${uid()}`, `S-${uid()}`];
      await repo.upsert([
        { assetId: a, date: '2024-03-01', returnPct: '0.03' },
        { assetId: b, date: '2023-12-29', returnPct: '-0.5' },
        { assetId: a, date: '2023-02-28', returnPct: '0.01' },
        { assetId: a, date: '2024-02-29', returnPct: '0.02' },
      ]);
      const series = await repo.getSeries([a, b, `none-${uid()}`]);
      expect([...series.keys()].sort()).toEqual([a, b].sort());
      expect(series.get(a)!.dates).toEqual(['2023-02-28', '2024-02-29', '2024-03-01']);
      expect(series.get(a)!.values).toEqual(Float64Array.from([0.01, 0.02, 0.03]));
      expect(series.get(b)).toEqual({ dates: ['2023-12-29'], values: Float64Array.from([-0.5]), version: '1' });
      expect((await repo.getSeries([])).size).toBe(0);
    });

    it('upserts 100,000 rows in one call', async () => {
      const repo = get(ReturnsRepository);
      const prefix = `BULK-${uid()}`;
      const rows = Array.from({ length: 100_000 }, (_, i) => ({
        assetId: `${prefix}-${i % 10}`,
        date: new Date(Date.UTC(1990, 0, 1) + Math.floor(i / 10) * 86_400_000).toISOString().slice(0, 10),
        returnPct: String(((i % 97) - 48) / 10_000),
      }));
      let t0 = performance.now();
      expect(await repo.upsert(rows)).toEqual({ inserted: 100_000, updated: 0 });
      const insertMs = performance.now() - t0;
      t0 = performance.now();
      expect(await repo.upsert(rows)).toEqual({ inserted: 0, updated: 0 });
      const unchangedMs = performance.now() - t0;
      t0 = performance.now();
      expect(await repo.upsert(rows.map((r) => ({ ...r, returnPct: `${r.returnPct}1` })))).toEqual({ inserted: 0, updated: 100_000 });
      const updateMs = performance.now() - t0;
      process.stdout.write(
        `    PostgreSQL, 100,000-row upsert: insert ${insertMs.toFixed(0)} ms, unchanged ${unchangedMs.toFixed(0)} ms, update ${updateMs.toFixed(0)} ms\n`,
      );
      expect((await repo.getSeries([`${prefix}-3`])).get(`${prefix}-3`)!.dates.length).toBe(10_000);
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
  });

  describe('stored VaR results', () => {
    const result = (portfolioId: string, i: number, at: Date): VarResult => ({
      id: randomUUID(),
      portfolioId,
      kind: i % 2 ? 'CVAR' : 'VAR',
      method: i === 2 ? 'filtered_historical' : 'historical', // a volatility-model result: no contributions, λ and σ kept
      confidenceLevel: 99,
      horizonDays: 1,
      scaling: 'none',
      varReturn: -0.01 * (i + 1),
      var: `-${i + 1}00.00`,
      cvarReturn: i % 2 ? -0.015 * (i + 1) : null,
      cvar: i % 2 ? `-${i + 1}50.00` : null,
      portfolioValue: '10000.00',
      observations: 250,
      fromDate: '2024-01-02',
      toDate: '2024-12-31',
      contributions: i === 2 ? null : i % 2
        ? [{ asset_id: 'A', weight: 1, component_cvar_return: -0.015 * (i + 1), component_cvar: `-${i + 1}50.00` }]
        : [{ asset_id: 'A', weight: 1, component_var_return: -0.01 * (i + 1), component_var: `-${i + 1}00.00` }],
      lambda: i === 2 ? 0.97 : null,
      sigmaForecast: i === 2 ? 0.0123 : null,
      limitCheck: i === 0 ? null : { max_var_percent: 5, horizon_days: 1, scaled_max_var_percent: 5, var_percent: i, utilization: i / 5, status: 'ok' },
      correlationId: `c-${i}`,
      calculatedAt: at,
      runId: null,
    });

    it('lists a portfolio history newest first, limited, since a time', async () => {
      const id = await newPortfolio();
      const repo = get(VarResultRepository);
      const t0 = Date.UTC(2026, 0, 1);
      const stored = [0, 1, 2].map((i) => result(id, i, new Date(t0 + i * 60_000)));
      for (const r of [stored[1], stored[2], stored[0]]) await repo.insert(r);
      expect(await repo.history(id, { limit: 10 })).toEqual([stored[2], stored[1], stored[0]]);
      expect((await repo.history(id, { limit: 2 })).map((r) => r.id)).toEqual([stored[2].id, stored[1].id]);
      expect((await repo.history(id, { limit: 10, since: new Date(t0 + 60_000) })).map((r) => r.id)).toEqual([stored[2].id, stored[1].id]);
      expect(await repo.history(`none-${uid()}`, { limit: 10 })).toEqual([]);
    });
  });

  describe('a stored result with its events in one statement (insertIfUnchanged)', () => {
    const varResult = (portfolioId: string, over: Partial<VarResult> = {}): VarResult => ({
      id: randomUUID(), portfolioId, kind: 'VAR', method: 'historical', confidenceLevel: 99, horizonDays: 1, scaling: 'none', varReturn: -0.0123,
      var: '-12.30', cvarReturn: null, cvar: null, portfolioValue: '1000.00', observations: 250, fromDate: '2024-01-02', toDate: '2024-12-31',
      contributions: [{ asset_id: 'A', weight: 1, component_var_return: -0.0123, component_var: '-12.30' }], lambda: null, sigmaForecast: null,
      limitCheck: { max_var_percent: 5, horizon_days: 1, scaled_max_var_percent: 5, var_percent: 1.23, utilization: 0.246, status: 'ok' },
      correlationId: 'c-1', calculatedAt: new Date(), runId: null, ...over,
    });
    const event = (portfolioId: string, n: number) => {
      const id = randomUUID();
      return { id, subject: 'risk.var.calculated', payload: { id, n, portfolio_id: portfolioId, x: 0.1 + 0.2 }, headers: { 'x-correlation-id': 'c-1' }, correlationId: 'c-1', traceparent: n ? null : '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
    };
    const outboxRows = (ids: string[]) =>
      get(DataSource).query(`SELECT id, subject, payload, headers, correlation_id, traceparent, attempts, sent_at FROM outbox_events WHERE id = ANY($1::uuid[]) ORDER BY seq`, [ids]);
    const limit = (portfolioId: string, effectiveDate: Date) => ({
      id: randomUUID(), portfolioId, maxVarPercent: 5, maxDrawdownPercent: null, maxPositionSizePercent: null, confidenceLevel: 99, horizonDays: 1,
      effectiveDate, createdAt: new Date(), createdBy: 'test',
    });

    it('writes the result and its events (in order) while the limit in force is the expected one and no alert of the type is open', async () => {
      const id = await newPortfolio();
      const repo = get(VarResultRepository);
      const inForce = limit(id, new Date(Date.now() - 60_000));
      await get(RiskLimitRepository).addVersion(inForce);
      await get(RiskLimitRepository).addVersion(limit(id, new Date(Date.now() + 86_400_000))); // scheduled: not in force yet
      const r = varResult(id);
      const events = [event(id, 0), event(id, 1)];
      expect(await repo.insertIfUnchanged(r, events, { limitId: inForce.id, noOpenAlert: 'VAR' })).toBe(true);
      expect(await repo.history(id, { limit: 10 })).toEqual([r]);
      expect(await outboxRows(events.map((e) => e.id))).toEqual(events.map((e) => ({
        id: e.id, subject: e.subject, payload: e.payload, headers: e.headers, correlation_id: e.correlationId, traceparent: e.traceparent, attempts: 0, sent_at: null,
      })));
    });

    it('writes nothing when the limit in force changed, an alert of the type is open or the portfolio is gone', async () => {
      const id = await newPortfolio();
      const repo = get(VarResultRepository);
      const tryInsert = async (expect_: { limitId: string | null; noOpenAlert: string | null }, portfolioId = id) => {
        const r = varResult(portfolioId);
        const e = event(portfolioId, 0);
        const stored = await repo.insertIfUnchanged(r, [e], expect_);
        const written = (await repo.history(portfolioId, { limit: 100 })).some((x) => x.id === r.id);
        expect((await outboxRows([e.id])).length).toBe(written ? 1 : 0);
        expect(written).toBe(stored);
        return stored;
      };
      expect(await tryInsert({ limitId: null, noOpenAlert: 'VAR' })).toBe(true); // no version stored: the defaults
      const v1 = limit(id, new Date(Date.now() - 60_000));
      await get(RiskLimitRepository).addVersion(v1);
      expect(await tryInsert({ limitId: null, noOpenAlert: 'VAR' })).toBe(false); // a version was added since the book was read
      expect(await tryInsert({ limitId: randomUUID(), noOpenAlert: 'VAR' })).toBe(false);
      expect(await tryInsert({ limitId: v1.id, noOpenAlert: 'VAR' })).toBe(true);
      const now = new Date();
      await get(AlertRepository).insert({
        id: randomUUID(), portfolioId: id, type: 'VAR', severity: 'high', message: 'VaR over limit', thresholdPercent: 5, currentPercent: 6, triggeredAt: now,
        lastTriggeredAt: now, status: 'acknowledged', occurrences: 1, acknowledgedBy: 'rm', acknowledgedAt: now, acknowledgeNote: null, resolvedAt: null, resolvedBy: null,
      });
      expect(await tryInsert({ limitId: v1.id, noOpenAlert: 'VAR' })).toBe(false); // acknowledged is still open: it has to be resolved
      expect(await tryInsert({ limitId: v1.id, noOpenAlert: 'DRAWDOWN' })).toBe(true);
      expect(await tryInsert({ limitId: v1.id, noOpenAlert: null })).toBe(true); // a CVaR result: alerts play no part
      expect(await tryInsert({ limitId: null, noOpenAlert: null }, `none-${uid()}`)).toBe(false);
    });
  });

  describe('risk runs', () => {
    const newRun = async (portfolioIds: string[]): Promise<RiskRun> => {
      const run: RiskRun = {
        id: randomUUID(), status: 'running', params: { method: 'historical', confidence: 99 }, dispatch: 'jetstream', total: portfolioIds.length,
        done: 0, failed: 0, startedAt: new Date(), finishedAt: null, createdBy: 'test', correlationId: null,
      };
      await get(TransactionRunner).run((t) => get(RiskRunRepository).create(run, portfolioIds, t));
      return run;
    };
    const settle = (runId: string, portfolioId: string, outcome: { status: 'done' } | { status: 'failed'; error: string }) =>
      get(TransactionRunner).run((t) => get(RiskRunRepository).settleTask(runId, portfolioId, outcome, new Date(), t));

    it('counts each task once on its run; the last one finishes it', async () => {
      const run = await newRun(['a', 'b', 'c']);
      expect(await settle(run.id, 'a', { status: 'done' })).toMatchObject({ status: 'running', done: 1, failed: 0, finishedAt: null });
      expect(await settle(run.id, 'a', { status: 'done' })).toBeNull(); // settled before: not counted again
      expect(await settle(run.id, 'b', { status: 'failed', error: 'no positions' })).toMatchObject({ status: 'running', done: 1, failed: 1 });
      expect(await get(RiskRunRepository).pendingTasks(run.id)).toEqual(['c']);
      const last = await settle(run.id, 'c', { status: 'done' });
      expect(last).toMatchObject({ status: 'done', done: 2, failed: 1, finishedAt: expect.any(Date) });
      expect(await get(RiskRunRepository).findById(run.id)).toEqual(last);
    });

    it('marks a run failed when none of its tasks succeeded', async () => {
      const run = await newRun(['a']);
      expect(await settle(run.id, 'a', { status: 'failed', error: 'too few returns' })).toMatchObject({ status: 'failed', done: 0, failed: 1 });
    });

    it('stores one result per portfolio and run (results outside runs are not limited)', async () => {
      const id = await newPortfolio();
      const run = await newRun([id]);
      const repo = get(VarResultRepository);
      const result = (runId: string | null): VarResult => ({
        id: randomUUID(), portfolioId: id, kind: 'VAR', method: 'historical', confidenceLevel: 99, horizonDays: 1, scaling: 'none', varReturn: -0.02,
        var: '-20.00', cvarReturn: null, cvar: null, portfolioValue: '1000.00', observations: 250, fromDate: null, toDate: null, contributions: [], lambda: null, sigmaForecast: null,
        limitCheck: null, correlationId: null, calculatedAt: new Date(), runId,
      });
      await repo.insert(result(run.id));
      await expect(repo.insert(result(run.id))).rejects.toBeInstanceOf(DuplicateKeyError);
      await repo.insert(result(null));
      await repo.insert(result(null));
      expect((await repo.history(id, { limit: 10 })).map((r) => r.runId).sort()).toEqual([run.id, null, null].sort());
    });
  });

  describe('limits and breaches', () => {
    it('answers the limit version in force at a time; versions are kept', async () => {
      const id = await newPortfolio();
      const repo = get(RiskLimitRepository);
      const version = (n: number, effective: string, created: string) => ({
        id: randomUUID(),
        portfolioId: id,
        maxVarPercent: n,
        maxDrawdownPercent: 20,
        maxPositionSizePercent: null,
        confidenceLevel: 95,
        horizonDays: n,
        effectiveDate: new Date(effective),
        createdAt: new Date(created),
        createdBy: 'tester',
      });
      const v1 = version(1, '2026-01-01T00:00:00Z', '2025-12-01T00:00:00Z');
      const v2 = version(2, '2026-02-01T00:00:00Z', '2025-12-02T00:00:00Z');
      const v3 = version(3, '2026-02-01T00:00:00Z', '2025-12-03T00:00:00Z'); // same effective date, created later
      const future = version(4, '2027-01-01T00:00:00Z', '2025-12-04T00:00:00Z');
      for (const v of [v3, future, v1, v2]) await repo.addVersion(v);
      expect(await repo.findInForce(id, new Date('2025-12-31T00:00:00Z'))).toBeNull();
      expect((await repo.findInForce(id, new Date('2026-01-15T00:00:00Z')))?.maxVarPercent).toBe(1);
      expect(await repo.findInForce(id, new Date('2026-06-01T00:00:00Z'))).toEqual(v3);
      expect((await repo.history(id)).map((v) => v.maxVarPercent)).toEqual([4, 3, 2, 1]);
    });

    it('gives risk_limits.id a server-side default', async () => {
      const id = await newPortfolio();
      const rows = await get(DataSource).query(
        'INSERT INTO risk_limits (portfolio_id, confidence_level, effective_date) VALUES ($1, 99, now()) RETURNING id',
        [id],
      );
      expect(rows[0].id).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('lists breaches newest first since a time, linked to their VaR result', async () => {
      const id = await newPortfolio();
      const breaches = get(LimitBreachRepository);
      const b = (i: number) => ({
        id: randomUUID(),
        portfolioId: id,
        breachType: 'VAR' as const,
        severity: i ? ('critical' as const) : ('high' as const),
        limitPercent: 5,
        measuredPercent: 5.5 + i,
        utilization: (5.5 + i) / 5,
        detectedAt: new Date(Date.UTC(2026, 0, 1 + i)),
        varResultId: null,
      });
      await breaches.insert(b(0));
      await breaches.insert(b(1));
      expect((await breaches.list(id)).map((x) => x.severity)).toEqual(['critical', 'high']);
      expect((await breaches.list(id, new Date(Date.UTC(2026, 0, 2)))).map((x) => x.measuredPercent)).toEqual([6.5]);
      await expect(breaches.insert({ ...b(2), varResultId: randomUUID() })).rejects.toThrow(/foreign key/); // no such result
      await expect(breaches.insert({ ...b(3), severity: 'warning' as never })).rejects.toThrow(/check constraint/);
    });
  });

  describe('alerts', () => {
    const alert = (portfolioId: string, over: Partial<Alert> = {}): Alert => {
      const now = new Date();
      return {
        id: randomUUID(), portfolioId, type: 'VAR', severity: 'high', message: 'VaR over limit', thresholdPercent: 5, currentPercent: 6,
        triggeredAt: now, lastTriggeredAt: now, status: 'active', occurrences: 1, acknowledgedBy: null, acknowledgedAt: null,
        acknowledgeNote: null, resolvedAt: null, resolvedBy: null, ...over,
      };
    };

    it('keeps one open alert per portfolio and type: acknowledged is still open, resolved is not', async () => {
      const id = await newPortfolio();
      const repo = get(AlertRepository);
      const first = alert(id);
      await repo.insert(first);
      await expect(repo.insert(alert(id))).rejects.toBeInstanceOf(DuplicateKeyError);
      await repo.insert(alert(id, { type: 'DRAWDOWN' })); // another type is another alert

      const acknowledged = { ...first, status: 'acknowledged' as const, acknowledgedBy: 'rm', acknowledgedAt: new Date(), acknowledgeNote: 'seen' };
      await repo.update(acknowledged);
      expect(await repo.findOpen(id, 'VAR')).toEqual(acknowledged);
      await expect(repo.insert(alert(id))).rejects.toBeInstanceOf(DuplicateKeyError);

      await repo.update({ ...acknowledged, status: 'resolved', resolvedAt: new Date(), resolvedBy: 'rm' });
      expect(await repo.findOpen(id, 'VAR')).toBeNull();
      const second = alert(id);
      await repo.insert(second);
      expect((await repo.findOpen(id, 'VAR'))?.id).toBe(second.id);
      expect((await repo.list({ portfolioId: id })).length).toBe(3);
      expect((await repo.list({ portfolioId: id, status: 'resolved' })).map((a) => a.id)).toEqual([first.id]);
      expect(await repo.findById(first.id)).toMatchObject({ status: 'resolved', acknowledgeNote: 'seen', resolvedBy: 'rm' });
    });

    it('locks the open alert: a second transaction waits until the first commits', async () => {
      const id = await newPortfolio();
      const repo = get(AlertRepository);
      const tx = get(TransactionRunner);
      const ds = get(DataSource);
      await repo.insert(alert(id));
      const order: string[] = [];
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let locked!: () => void;
      const hasLock = new Promise<void>((r) => (locked = r));
      const first = tx.run(async (t) => {
        const a = (await repo.findOpen(id, 'VAR', t))!;
        locked();
        await held;
        await repo.update({ ...a, occurrences: a.occurrences + 1 }, t);
        order.push('first committed');
      });
      await hasLock;
      const second = tx.run(async (t) => {
        const a = (await repo.findOpen(id, 'VAR', t))!;
        order.push(`second read ${a.occurrences}`);
      });
      await eventually(async () => (await ds.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`))[0].n > 0);
      expect(order).toEqual([]);
      release();
      await Promise.all([first, second]);
      expect(order).toEqual(['first committed', 'second read 2']);
    });
  });

  describe('drawdown state and events', () => {
    it('bumps the version on every write and refuses a stale one', async () => {
      const id = await newPortfolio();
      const repo = get(DrawdownStateRepository);
      const at = new Date('2026-01-05T16:00:00Z');
      const state = { portfolioId: id, peakValue: '1100000.00', peakAt: at, currentValue: '1012345.67', currentAt: at, maxDrawdown: 0.0797, status: 'warning' as const, updatedAt: at };
      expect(await repo.save({ ...state, version: 0 })).toBe(1); // 0: must not exist yet
      await expect(repo.save({ ...state, version: 0 })).rejects.toBeInstanceOf(StaleVersionError);
      const read = (await repo.get(id))!;
      expect(read).toEqual({ ...state, updatedAt: expect.any(Date), version: 1 });
      const { version: _v, ...unversioned } = read;
      expect(await repo.save({ ...unversioned, currentValue: '1000000.01' })).toBe(2); // no version: unconditional
      await expect(repo.save({ ...read, status: 'high' })).rejects.toBeInstanceOf(StaleVersionError); // read v1, now v2
      const latest = (await repo.get(id))!;
      expect(latest).toMatchObject({ currentValue: '1000000.01', status: 'warning', version: 2 });
      expect(await repo.save({ ...latest, status: 'high' })).toBe(3);
      expect(await repo.get(id)).toMatchObject({ currentValue: '1000000.01', status: 'high', version: 3 });
      expect(await repo.get(`none-${uid()}`)).toBeNull();
    });

    it('lists drawdown events newest first', async () => {
      const id = await newPortfolio();
      const repo = get(DrawdownEventRepository);
      const e = (i: number, from: 'ok' | 'warning', to: 'warning' | 'high') => ({ id: randomUUID(), portfolioId: id, fromStatus: from, toStatus: to, drawdown: 0.08 + i / 100, value: '1012345.67', at: new Date(Date.UTC(2026, 0, 1, i)) });
      const [a, b] = [e(0, 'ok', 'warning'), e(1, 'warning', 'high')];
      await get(TransactionRunner).run(async (t) => {
        await repo.insert(a, t);
        await repo.insert(b, t);
      });
      expect(await repo.list(id)).toEqual([b, a]);
    });
  });

  describe('API keys and audit log', () => {
    it('stores a key once per hash, with its portfolio scope, and finds it until revoked', async () => {
      const repo = get(ApiKeyRepository);
      const hash = `h-${uid()}`;
      const key = { id: randomUUID(), name: 'ci', role: 'analyst' as const, keyHash: hash, keyPrefix: 'rk_abc', createdAt: new Date(), createdBy: 'admin', revokedAt: null, portfolios: ['P1', 'desk-7'] };
      const active = await repo.countActive();
      await repo.insert(key);
      await repo.insert({ ...key, id: randomUUID() }); // same hash: ignored
      expect(await repo.countActive()).toBe(active + 1);
      const { keyHash: _h, ...model } = key;
      expect(await repo.findActiveByHash(hash)).toEqual(model);
      expect((await repo.list()).filter((k) => k.id === key.id)).toEqual([model]);
      expect(await repo.revoke(key.id, new Date())).toBe(true);
      expect(await repo.revoke(key.id, new Date())).toBe(false);
      expect(await repo.findActiveByHash(hash)).toBeNull();
      expect(await repo.countActive()).toBe(active);
      await expect(repo.insert({ ...key, id: randomUUID(), keyHash: `h-${uid()}`, role: 'root' as never })).rejects.toThrow(/check constraint/);
    });

    it('appends audit entries and lists them newest first', async () => {
      const repo = get(AuditLogRepository);
      const entity = `e-${uid()}`;
      await repo.append({ actor: 'alice', action: 'limits.put', entity, entityId: '1', details: { max_var_percent: 5 }, correlationId: 'c-1' });
      await repo.append({ actor: 'bob', action: 'positions.replace', entity, entityId: '2' });
      const mine = (await repo.list(100)).filter((e) => e.entity === entity);
      expect(mine).toEqual([
        { actor: 'bob', action: 'positions.replace', entity, entityId: '2', details: null, correlationId: null, at: expect.any(Date) },
        { actor: 'alice', action: 'limits.put', entity, entityId: '1', details: { max_var_percent: 5 }, correlationId: 'c-1', at: expect.any(Date) },
      ]);
    });
  });
});
