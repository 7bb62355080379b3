import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { connect, JSONCodec, NatsConnection } from 'nats';
import { DataSource } from 'typeorm';
import { VAR_METHODS } from '../../src/calculation/dto/risk-request.dto';
import { PortfolioBookCache } from '../../src/calculation/portfolio-book.cache';
import { WhatIfService } from '../../src/portfolio-risk/what-if.service';
import { api, businessDays } from '../support/api';
import { startHttpApp } from '../support/http-app';
import { expectRel, loadQuantReference, loadReference, simpleReturns } from '../support/reference';

const ref = loadReference();
const quant = loadQuantReference();
const W = quant.what_if;
const SMI = simpleReturns(ref.series.SMI.prices);
const CAC = simpleReturns(ref.series.CAC.prices);
const DATES = businessDays(SMI.length);
const json = JSONCodec();

/**
 * POST /v1/portfolios/:id/what-if and NATS risk.pretrade.check (docs/api.md "Beyond the original
 * design"): figures against numpy (quant-reference.json what_if), nothing stored, errors, key
 * scope, and the per-portfolio cache seeing every change of positions, limits and returns, also
 * when the change is made through a second instance on the same database.
 */
describe('what-if and the pre-trade check', () => {
  let app: NestFastifyApplication;
  let other: NestFastifyApplication;
  let url: string;
  let otherUrl: string;
  let nc: NatsConnection;
  let a: ReturnType<typeof api>;
  const run = randomUUID().slice(0, 8);
  const smiId = `SMI-${run}`;
  const cacId = `CAC-${run}`;
  const rows = (xs: number[]) => xs.map((r, i) => ({ date: DATES[i], return_pct: r }));

  beforeAll(async () => {
    ({ app, url } = await startHttpApp());
    ({ app: other, url: otherUrl } = await startHttpApp());
    a = api(url);
    nc = await connect({ servers: process.env.NATS_URL });
    expect((await a.put(`/v1/assets/${smiId}/returns`, rows(SMI))).status).toBe(200);
    expect((await a.put(`/v1/assets/${cacId}/returns`, rows(CAC))).status).toBe(200);
  });
  afterAll(async () => {
    await nc.close();
    await other.close();
    await app.close();
  });

  /** A new portfolio holding 600,000 SMI and 400,000 CAC (the numpy book). */
  const book = async (limits?: Record<string, number>) => {
    const id = `wi-${randomUUID().slice(0, 8)}`;
    expect((await a.post('/v1/portfolios', { id, name: 'What-if desk' })).status).toBe(201);
    expect((await a.put(`/v1/portfolios/${id}/positions`, [{ asset_id: smiId, market_value: W.market_values[0] }, { asset_id: cacId, market_value: W.market_values[1] }])).status).toBe(200);
    if (limits) expect((await a.put(`/v1/portfolios/${id}/limits`, limits)).status).toBe(200);
    return id;
  };
  const trades = () => [{ asset_id: cacId, market_value_change: W.changes[1] }];
  const pretrade = async (body: object) => json.decode((await nc.request('risk.pretrade.check', json.encode(body), { timeout: 5000 })).data) as any;

  // Every method the stored VaR accepts that the reference has figures for.
  const CASES = (W.cases as Array<Record<string, any>>).filter((c) => (VAR_METHODS as readonly string[]).includes(c.method));
  it('has reference figures for historical and parametric at least', () => expect(CASES.map((c) => c.method)).toEqual(expect.arrayContaining(['historical', 'parametric'])));

  it.each(CASES.map((c) => [c.method as string, c.confidence as number, c] as const))(
    '%s at %p %%: before, after, incremental and marginal VaR equal numpy over REST, and NATS answers the same JSON',
    async (method, confidence, c) => {
      const pid = await book();
      const body = { trades: trades(), method, confidence, lookback_days: SMI.length };
      const res = await a.post(`/v1/portfolios/${pid}/what-if`, body);
      expect(res.status).toBe(200);
      const r = res.body;
      expect(r).toMatchObject({ portfolio_id: pid, method, confidence_level: confidence, horizon_days: 1, observations: SMI.length, portfolio_value_before: '1000000.00', portfolio_value_after: '1250000.00' });
      expectRel(r.before.var_return, c.before.var_return, 1e-9);
      expectRel(r.after.var_return, c.after.var_return, 1e-9);
      expect([r.before.var, r.after.var, r.incremental_var]).toEqual([c.before.var, c.after.var, c.incremental_var]);
      expect(r.marginal.map((m: any) => m.asset_id)).toEqual([cacId, smiId].sort());
      const byAsset = new Map(r.marginal.map((m: any) => [m.asset_id, m.marginal_var_return]));
      expectRel(byAsset.get(smiId) as number, c.marginal_var_returns[0], 1e-9);
      expectRel(byAsset.get(cacId) as number, c.marginal_var_returns[1], 1e-9);
      expect(await pretrade({ portfolio_id: pid, ...body })).toEqual(r);
    },
  );

  it.each(VAR_METHODS.map((m) => [m]))(
    '%s: before and after are, to the bit, the stored VaR of the current book and of the new book (Monte Carlo with the seed given, on a worker thread)',
    async (method) => {
      const options = { method, confidence: 99, horizon_days: 5, lookback_days: SMI.length, ...(method === 'monte_carlo' ? { seed: 42, simulations: 5000 } : {}) };
      const pid = await book();
      const r = (await a.post(`/v1/portfolios/${pid}/what-if`, { trades: trades(), ...options })).body;
      // The new book, stored: SMI 600,000, CAC 400,000 + 250,000.
      const next = await book();
      expect((await a.put(`/v1/portfolios/${next}/positions`, [{ asset_id: smiId, market_value: '600000' }, { asset_id: cacId, market_value: '650000' }])).status).toBe(200);
      const storedVar = async (id: string) => {
        const res = await a.post(`/v1/portfolios/${id}/var`, options);
        expect(res.status).toBe(200);
        return res.body.var_return as number;
      };
      expect(r.before.var_return).toBe(await storedVar(pid));
      expect(r.after.var_return).toBe(await storedVar(next));
    },
  );

  it('checks the new book against the VaR limit (scaled to the horizon) and the position-size limit on the one status scale', async () => {
    const pid = await book({ max_var_percent: 1, max_position_size_percent: 50 });
    const r = (await a.post(`/v1/portfolios/${pid}/what-if`, { trades: trades(), confidence: 95, horizon_days: 4, lookback_days: SMI.length })).body;
    const varPercent = Math.abs(r.after.var_return) * 100;
    expect(r.limit).toMatchObject({ max_var_percent: 1, horizon_days: 1, scaled_max_var_percent: 2, is_default: false });
    expectRel(r.limit.var_percent, varPercent, 1e-12);
    expectRel(r.limit.utilization, varPercent / 2, 1e-12);
    const level = (u: number) => (u >= 1.25 ? 'critical' : u >= 1 ? 'high' : u >= 0.8 ? 'warning' : 'ok');
    expect(r.limit.status).toBe(level(varPercent / 2));
    // New book: SMI 600,000 (48 %), CAC 650,000 (52 %) of 1,250,000.
    const sizes = new Map(r.position_size.map((p: any) => [p.asset_id, p]));
    expect(sizes.get(smiId)).toEqual({ asset_id: smiId, percent: 48, max_position_size_percent: 50, status: 'warning' });
    expect(sizes.get(cacId)).toEqual({ asset_id: cacId, percent: 52, max_position_size_percent: 50, status: 'high' });
  });

  it('stores nothing: no result, event, breach or alert, even for a book far over its limit', async () => {
    const pid = await book({ max_var_percent: 0.01 });
    const ds = app.get(DataSource);
    const counts = async () => (await ds.query(`SELECT (SELECT count(*) FROM var_results)::int AS r, (SELECT count(*) FROM outbox_events)::int AS o, (SELECT count(*) FROM alerts)::int AS a, (SELECT count(*) FROM limit_breaches)::int AS b`))[0];
    const before = await counts();
    const r = await a.post(`/v1/portfolios/${pid}/what-if`, { trades: trades(), lookback_days: 500 });
    expect(r.body.limit.status).toBe('critical');
    await pretrade({ portfolio_id: pid, trades: trades(), lookback_days: 500 });
    expect(await counts()).toEqual(before);
  });

  it('adds a new asset that has returns, and answers 422 naming one that has none', async () => {
    const pid = `wi-${randomUUID().slice(0, 8)}`;
    await a.post('/v1/portfolios', { id: pid, name: 'x' });
    await a.put(`/v1/portfolios/${pid}/positions`, [{ asset_id: smiId, market_value: '1000000' }]);
    const added = await a.post(`/v1/portfolios/${pid}/what-if`, { trades: [{ asset_id: cacId, market_value_change: 500000 }], method: 'parametric', lookback_days: 500 });
    expect(added.status).toBe(200);
    expect(added.body.marginal.find((m: any) => m.asset_id === cacId).marginal_var_return).toBeNull();
    const res = await a.post(`/v1/portfolios/${pid}/what-if`, { trades: [{ asset_id: `NONE-${run}`, market_value_change: '1000' }] });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body.message)).toContain(`NONE-${run}`);
    const nats = await pretrade({ portfolio_id: pid, trades: [{ asset_id: `NONE-${run}`, market_value_change: '1000' }] });
    expect(nats.error).toMatchObject({ status_code: 422 });
  });

  it('answers 400 naming the fields, over REST and NATS', async () => {
    const pid = await book();
    const res = await a.post(`/v1/portfolios/${pid}/what-if`, { trades: [{ asset_id: 'bad id!', market_value_change: '12abc' }], method: 'magic' });
    expect(res.status).toBe(400);
    const text = JSON.stringify(res.body);
    for (const field of ['asset_id', 'market_value_change', 'method']) expect(text).toContain(field);
    const none = await a.post(`/v1/portfolios/${pid}/what-if`, { method: 'historical' });
    expect(none.status).toBe(400);
    expect(JSON.stringify(none.body)).toContain('trades');
    const nats = await pretrade({ trades: trades() });
    expect(nats.error).toMatchObject({ status_code: 400 });
    expect(JSON.stringify(nats.error)).toContain('portfolio_id');
  });

  it('answers 404 for an unknown portfolio and for one outside a scoped key', async () => {
    expect((await a.post(`/v1/portfolios/nope-${run}/what-if`, { trades: trades() })).status).toBe(404);
    const pid = await book();
    const mine = await book();
    const created = await a.post('/v1/api-keys', { name: `scoped-${run}`, role: 'analyst', portfolios: [mine] });
    const scoped = api(url, created.body.key);
    const hidden = await scoped.post(`/v1/portfolios/${pid}/what-if`, { trades: trades() });
    expect(hidden.status).toBe(404);
    expect(hidden.body.message).toEqual([`portfolio ${pid} not found`]);
    expect((await scoped.post(`/v1/portfolios/${mine}/what-if`, { trades: trades() })).status).toBe(200);
  });

  describe('the per-portfolio cache', () => {
    const body = { trades: [{ asset_id: cacId, market_value_change: '100000' }], method: 'historical', confidence: 99, lookback_days: 1000 };
    /** The pre-trade answer of one instance, through its service (the queue group would pick either instance). */
    const check = (on: NestFastifyApplication, pid: string) => on.get(WhatIfService).preTrade({ portfolio_id: pid, ...body } as never);
    const eventually = async (fn: () => Promise<boolean>) => {
      for (let i = 0; i < 100 && !(await fn()); i++) await new Promise((r) => setTimeout(r, 50));
      expect(await fn()).toBe(true);
    };

    it('serves the pre-trade check from memory, and a positions change is seen by the next call (same instance)', async () => {
      const pid = await book();
      const first = await check(app, pid);
      expect(app.get(PortfolioBookCache).holds(pid)).toBe(true);
      expect(first.portfolio_value_before).toBe('1000000.00');
      await a.put(`/v1/portfolios/${pid}/positions`, [{ asset_id: smiId, market_value: '300000' }, { asset_id: cacId, market_value: '700000' }]);
      expect(app.get(PortfolioBookCache).holds(pid)).toBe(false);
      const next = await check(app, pid);
      expect(next.position_size.find((p) => p.asset_id === cacId)!.percent).toBeCloseTo((800 / 1100) * 100, 12); // (700,000 + 100,000) / 1,100,000
      // Identical to the uncached path.
      const rest = (await a.post(`/v1/portfolios/${pid}/what-if`, body)).body;
      expect(next).toEqual(rest);
    });

    it('sees a limits change and a returns change made through another instance', async () => {
      const pid = await book({ max_var_percent: 10 });
      const b = api(otherUrl);
      expect((await check(app, pid)).limit.max_var_percent).toBe(10);
      expect((await b.put(`/v1/portfolios/${pid}/limits`, { max_var_percent: 3 })).status).toBe(200);
      await eventually(async () => (await check(app, pid)).limit.max_var_percent === 3);

      const before = await check(app, pid);
      // Another asset series for CAC's id would move every book holding it: a private copy for this test.
      const own = `CACX-${randomUUID().slice(0, 8)}`;
      expect((await b.put(`/v1/assets/${own}/returns`, rows(CAC))).status).toBe(200);
      expect((await b.put(`/v1/portfolios/${pid}/positions`, [{ asset_id: smiId, market_value: '600000' }, { asset_id: own, market_value: '400000' }])).status).toBe(200);
      const trade = { portfolio_id: pid, ...body, trades: [{ asset_id: own, market_value_change: '100000' }] };
      await eventually(async () => (await app.get(WhatIfService).preTrade(trade as never)).after.var_return === before.after.var_return);
      expect((await b.put(`/v1/assets/${own}/returns`, rows(CAC.map((r) => r * 2)))).status).toBe(200);
      await eventually(async () => (await app.get(WhatIfService).preTrade(trade as never)).after.var_return !== before.after.var_return);
      const rest = (await a.post(`/v1/portfolios/${pid}/what-if`, { ...body, trades: trade.trades })).body;
      expect(await app.get(WhatIfService).preTrade(trade as never)).toEqual(rest);
    });

    it('gives the stored VaR the same figures as before the cache, and sees a returns change at once', async () => {
      const pid = await book();
      const v1 = (await a.post(`/v1/portfolios/${pid}/var`, { confidence: 99, lookback_days: 1000 })).body;
      const v2 = (await a.post(`/v1/portfolios/${pid}/var`, { confidence: 99, lookback_days: 1000 })).body;
      expect(v2.var_return).toBe(v1.var_return);
      expect(v2.contributions).toEqual(v1.contributions);
      // The what-if's `before` is the stored VaR of the book, to the bit (REST and the cached NATS path).
      const wi = { trades: [{ asset_id: cacId, market_value_change: '1' }], confidence: 99, lookback_days: 1000 };
      expect((await a.post(`/v1/portfolios/${pid}/what-if`, wi)).body.before).toEqual({ var_return: v1.var_return, var: v1.var });
      expect((await pretrade({ portfolio_id: pid, ...wi })).before).toEqual({ var_return: v1.var_return, var: v1.var });
      const own = `SMIX-${randomUUID().slice(0, 8)}`;
      await a.put(`/v1/assets/${own}/returns`, rows(SMI));
      await a.put(`/v1/portfolios/${pid}/positions`, [{ asset_id: own, market_value: '600000' }, { asset_id: cacId, market_value: '400000' }]);
      const same = (await api(otherUrl).post(`/v1/portfolios/${pid}/var`, { confidence: 99, lookback_days: 1000 })).body;
      expect(same.var_return).toBe(v1.var_return);
      await api(otherUrl).put(`/v1/assets/${own}/returns`, rows(SMI.map((r) => r * 3)));
      const moved = (await a.post(`/v1/portfolios/${pid}/var`, { confidence: 99, lookback_days: 1000 })).body;
      expect(moved.var_return).not.toBe(v1.var_return);
    });
  });
});
