import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { api, businessDays } from '../support/api';
import { startHttpApp } from '../support/http-app';

/** Deterministic returns with enough losses for a VaR breach of a tiny limit. */
function returns(n: number, seed: number): number[] {
  let x = seed;
  return Array.from({ length: n }, () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return (x / 2147483648 - 0.5) * 0.04;
  });
}

/**
 * api.md Hardening, key scoping: a key limited to portfolios sees only those; any other portfolio,
 * and its alerts, breaches and results, answers 404 (as an unknown one would); lists are filtered.
 */
describe('API keys limited to portfolios', () => {
  let app: NestFastifyApplication;
  let url: string;
  let admin: ReturnType<typeof api>;
  let scoped: ReturnType<typeof api>;
  const run = randomUUID().slice(0, 8);
  const mine = `ks-${run}-mine`;
  const other = `ks-${run}-other`;
  const later = `ks-${run}-later`;
  const asset = `ks-${run}-A`;
  const alertOf: Record<string, string> = {};

  beforeAll(async () => {
    ({ app, url } = await startHttpApp({ NATS_URL: '' }));
    admin = api(url);
    const dates = businessDays(300);
    expect((await admin.put(`/v1/assets/${asset}/returns`, returns(300, 7).map((r, i) => ({ date: dates[i], return_pct: r })))).status).toBe(200);
    for (const pid of [mine, other]) {
      expect((await admin.post('/v1/portfolios', { id: pid, name: pid })).status).toBe(201);
      expect((await admin.put(`/v1/portfolios/${pid}/positions`, [{ asset_id: asset, market_value: '1000' }])).status).toBe(200);
      expect((await admin.put(`/v1/portfolios/${pid}/limits`, { max_var_percent: 0.1, max_drawdown_percent: 1 })).status).toBe(200);
      expect((await admin.post(`/v1/portfolios/${pid}/var`, { confidence: 99 })).body.limit.status).toBe('critical');
      expect((await admin.post(`/v1/portfolios/${pid}/nav`, { value: '1000', at: '2026-01-01T00:00:00Z' })).status).toBe(200);
      const alerts = (await admin.get(`/v1/alerts?portfolio_id=${pid}`)).body;
      expect(alerts).toHaveLength(1);
      alertOf[pid] = alerts[0].id;
    }
    const created = await admin.post('/v1/api-keys', { name: `scoped-${run}`, role: 'risk_manager', portfolios: [mine, later] });
    expect(created.status).toBe(201);
    expect(created.body.portfolios).toEqual([mine, later]);
    scoped = api(url, created.body.key);
  });
  afterAll(async () => {
    await app.close();
  });

  it('lists only the portfolios of the key', async () => {
    const res = await scoped.get('/v1/portfolios');
    expect(res.status).toBe(200);
    expect(res.body.map((p: { id: string }) => p.id)).toEqual([mine]);
  });

  it('answers another portfolio with the 404 an unknown one gets', async () => {
    const hidden = await scoped.get(`/v1/portfolios/${other}`);
    const unknown = await admin.get(`/v1/portfolios/ks-${run}-none`);
    expect(hidden.status).toBe(404);
    expect(hidden.body).toMatchObject({ status_code: 404, error_type: 'NOT_FOUND', message: [`portfolio ${other} not found`] });
    expect(unknown.body.message).toEqual([`portfolio ks-${run}-none not found`]);
  });

  it.each([
    ['GET', 'var-history', undefined],
    ['GET', 'breaches', undefined],
    ['GET', 'limits', undefined],
    ['GET', 'limits/history', undefined],
    ['GET', 'drawdown', undefined],
    ['POST', 'var', { confidence: 99 }],
    ['POST', 'cvar', { confidence: 99 }],
    ['POST', 'nav', { value: '900', at: '2026-01-02T00:00:00Z' }],
    ['PUT', 'limits', { max_var_percent: 5 }],
    ['PUT', 'positions', [{ asset_id: 'X', market_value: '1' }]],
  ])('answers %s …/%s of another portfolio with 404 and of its own with 200', async (method, path, body) => {
    const send = (pid: string) =>
      method === 'GET' ? scoped.get(`/v1/portfolios/${pid}/${path}`) : method === 'POST' ? scoped.post(`/v1/portfolios/${pid}/${path}`, body) : scoped.put(`/v1/portfolios/${pid}/${path}`, body);
    const hidden = await send(other);
    expect(hidden.status).toBe(404);
    expect(hidden.body.message).toEqual([`portfolio ${other} not found`]);
    const own = await send(mine);
    expect(own.status).toBe(200);
  });

  it('lists only the alerts of its portfolios, and none for another portfolio asked by name', async () => {
    const all = await scoped.get('/v1/alerts');
    expect(all.status).toBe(200);
    expect(new Set(all.body.map((a: { portfolio_id: string }) => a.portfolio_id))).toEqual(new Set([mine]));
    const named = await scoped.get(`/v1/alerts?portfolio_id=${other}`);
    expect(named.body).toEqual([]);
  });

  it('answers acknowledging an alert of another portfolio with 404, and its own with 200', async () => {
    const hidden = await scoped.post(`/v1/alerts/${alertOf[other]}/acknowledge`, { note: 'not mine' });
    expect(hidden.status).toBe(404);
    expect(hidden.body.message).toEqual([`alert ${alertOf[other]} not found`]);
    expect((await admin.get(`/v1/alerts?portfolio_id=${other}`)).body[0].status).toBe('active');
    const own = await scoped.post(`/v1/alerts/${alertOf[mine]}/acknowledge`, { note: 'mine' });
    expect(own.status).toBe(200);
  });

  it('answers resolving an alert of another portfolio with 404', async () => {
    const hidden = await scoped.post(`/v1/alerts/${alertOf[other]}/resolve`, {});
    expect(hidden.status).toBe(404);
  });

  it('answers a position size against another portfolio’s limit with 404', async () => {
    const body = { method: 'kelly', equity: '1000', win_probability: 0.6, win_loss_ratio: 2 };
    expect((await scoped.post('/v1/position-size', { ...body, portfolio_id: other })).status).toBe(404);
    expect((await scoped.post('/v1/position-size', { ...body, portfolio_id: mine })).status).toBe(200);
  });

  it('creates a portfolio of its scope, and answers one outside it with 404', async () => {
    expect((await scoped.post('/v1/portfolios', { id: later, name: 'later' })).status).toBe(201);
    const outside = await scoped.post('/v1/portfolios', { id: `ks-${run}-outside`, name: 'outside' });
    expect(outside.status).toBe(404);
    expect((await admin.get(`/v1/portfolios/ks-${run}-outside`)).status).toBe(404);
  });

  it('refuses to write asset returns (shared by every portfolio) with 403', async () => {
    const res = await scoped.put(`/v1/assets/${asset}/returns`, [{ date: '2024-01-02', return_pct: 0.5 }]);
    expect(res.status).toBe(403);
    expect(res.body.error_type).toBe('FORBIDDEN');
  });

  it('still lets an unscoped key see every portfolio', async () => {
    const ids = (await admin.get('/v1/portfolios')).body.map((p: { id: string }) => p.id);
    expect(ids).toEqual(expect.arrayContaining([mine, other]));
  });

  it('refuses an admin key limited to portfolios, and an empty list', async () => {
    const adminScoped = await admin.post('/v1/api-keys', { name: 'x', role: 'admin', portfolios: [mine] });
    expect(adminScoped.status).toBe(400);
    expect(adminScoped.body.message).toEqual([expect.stringMatching(/^portfolios cannot be given for role admin/)]);
    const empty = await admin.post('/v1/api-keys', { name: 'x', role: 'viewer', portfolios: [] });
    expect(empty.status).toBe(400);
    expect(empty.body.message.join(' ')).toMatch(/portfolios must name at least one portfolio/);
  });

  it('lists keys with their scope', async () => {
    const keys = (await admin.get('/v1/api-keys')).body as Array<{ name: string; portfolios: string[] | null }>;
    expect(keys.find((k) => k.name === `scoped-${run}`)?.portfolios).toEqual([mine, later]);
    expect(keys.find((k) => k.name === 'admin (ADMIN_API_KEY)')?.portfolios).toBeNull();
  });
});
