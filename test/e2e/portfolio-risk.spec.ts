import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { connect, consumerOpts, headers, JSONCodec, NatsConnection } from 'nats';
import { computeRisk } from '../../src/math';
import { NatsConnectionService } from '../../src/events/nats-connection.service';
import { api, businessDays } from '../support/api';
import { startHttpApp } from '../support/http-app';
import { loadReference, relClose, simpleReturns } from '../support/reference';

const ref = loadReference();
const SMI = simpleReturns(ref.series.SMI.prices);
const CAC = simpleReturns(ref.series.CAC.prices);
const DATES = businessDays(SMI.length);
const json = JSONCodec();

/**
 * The stored-risk use case over HTTP and NATS: routes, guards, pipes, error bodies, and the way
 * to the broker. The use case itself (figures, limits, alerts, breaches, events) is specified
 * in test/services/*.service.spec.ts.
 */
describe('stored portfolios over HTTP and NATS', () => {
  let app: NestFastifyApplication;
  let url: string;
  let nc: NatsConnection;
  let a: ReturnType<typeof api>;
  const run = randomUUID().slice(0, 8);
  const smiId = `SMI-${run}`;
  const cacId = `CAC-${run}`;

  beforeAll(async () => {
    ({ app, url } = await startHttpApp());
    a = api(url);
    nc = await connect({ servers: process.env.NATS_URL });
    await app.get(NatsConnectionService).jetstream(); // makes sure the RISK stream exists
    // Read-only market data shared by the tests (each test makes its own portfolio): JSON and CSV uploads.
    const rows = SMI.map((r, i) => ({ date: DATES[i], return_pct: r }));
    expect((await a.put(`/v1/assets/${smiId}/returns`, rows)).body).toMatchObject({ asset_id: smiId, inserted: SMI.length, updated: 0, received: SMI.length });
    const csv = ['date,return_pct', ...CAC.map((r, i) => `${DATES[i]},${r}`)].join('\r\n');
    expect((await a.putCsv(`/v1/assets/${cacId}/returns`, csv)).body).toMatchObject({ asset_id: cacId, inserted: CAC.length, updated: 0 });
  });
  afterAll(async () => {
    await nc.close();
    await app.close();
  });

  /** A new portfolio (201) holding 600,000 SMI and 400,000 CAC; with a VaR limit when given. */
  const book = async (maxVarPercent?: number) => {
    const id = `desk-${randomUUID().slice(0, 8)}`;
    expect((await a.post('/v1/portfolios', { id, name: 'Test desk', base_currency: 'CHF' })).status).toBe(201);
    const res = await a.put(`/v1/portfolios/${id}/positions`, [{ asset_id: smiId, market_value: '600000.00' }, { asset_id: cacId, market_value: 400000 }]);
    expect(res.body).toMatchObject({ id, portfolio_value: '1000000.00' });
    if (maxVarPercent !== undefined) expect((await a.put(`/v1/portfolios/${id}/limits`, { max_var_percent: maxVarPercent })).status).toBe(200);
    return id;
  };
  const weighted = (lookback: number) => {
    const n = SMI.length;
    const out: number[] = [];
    for (let t = Math.max(0, n - lookback); t < n; t++) out.push(0.6 * SMI[t] + 0.4 * CAC[t]);
    return out;
  };

  it('POST …/var answers the stored VaR of the SMI/CAC book, matching the stateless figure', async () => {
    const pid = await book();
    const res = await a.post(`/v1/portfolios/${pid}/var`, { method: 'cornish_fisher', confidence: 99, lookback_days: 1000, horizon_days: 5 });
    expect(res.status).toBe(200);
    expect(relClose(res.body.var_return, computeRisk({ returns: weighted(1000), confidence: 99, method: 'cornish_fisher', horizonDays: 5 }).varReturn)).toBe(true);
    expect(res.body).toMatchObject({ portfolio_id: pid, kind: 'var', observations: 1000, from: DATES[SMI.length - 1000], to: DATES[SMI.length - 1], limit: { is_default: true, max_var_percent: 5 } });
  });

  it('POST …/cvar stores a CVaR that GET …/var-history answers first', async () => {
    const pid = await book();
    const res = await a.post(`/v1/portfolios/${pid}/cvar`, { method: 'historical', confidence: 97.5, lookback_days: 500 });
    expect(res.status).toBe(200);
    expect(relClose(res.body.cvar_return, computeRisk({ returns: weighted(500), confidence: 97.5, method: 'historical', wantCvar: true }).cvarReturn!)).toBe(true);
    const history = await a.get(`/v1/portfolios/${pid}/var-history?limit=1`);
    expect(history.status).toBe(200);
    expect(history.body).toEqual([res.body]);
  });

  it('GET …/returns answers the aligned series stored VaR is computed from: Σ wᵢ rᵢ,t on its dates', async () => {
    const pid = await book();
    const n = SMI.length;
    const res = await a.get(`/v1/portfolios/${pid}/returns?lookback_days=500`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ portfolio_id: pid, lookback_days: 500, observations: 500, from: DATES[n - 500], to: DATES[n - 1], dates: DATES.slice(n - 500) });
    expect([...res.body.weights].sort((x: { asset_id: string }, y: { asset_id: string }) => x.asset_id.localeCompare(y.asset_id))).toEqual([
      { asset_id: cacId, weight: 0.4 },
      { asset_id: smiId, weight: 0.6 },
    ]);
    expect(res.body.returns).toEqual(weighted(500));
    // The stored VaR of the same lookback is the stateless VaR of this very series, to the bit.
    const stored = await a.post(`/v1/portfolios/${pid}/var`, { method: 'historical', confidence: 99, lookback_days: 500 });
    const stateless = await a.post('/v1/var', { returns: res.body.returns, method: 'historical', confidence: 99 });
    expect(stateless.body.var_return).toBe(stored.body.var_return);
    expect([stored.body.from, stored.body.to, stored.body.observations]).toEqual([res.body.from, res.body.to, res.body.observations]);
  });

  it('GET …/returns: 252 dates by default, all of them when fewer, 400 naming lookback_days, 404 and 422 as the calculations', async () => {
    const pid = await book();
    expect((await a.get(`/v1/portfolios/${pid}/returns`)).body).toMatchObject({ lookback_days: 252, observations: 252 });
    expect((await a.get(`/v1/portfolios/${pid}/returns?lookback_days=100000`)).body.observations).toBe(SMI.length);
    for (const bad of ['0', '1.5', 'abc', '100001']) {
      const r = await a.get(`/v1/portfolios/${pid}/returns?lookback_days=${bad}`);
      expect([bad, r.status]).toEqual([bad, 400]);
      expect(r.body.message.join(' ')).toContain('lookback_days');
    }
    expect((await a.get('/v1/portfolios/no-such-book/returns')).status).toBe(404);
    const empty = `empty-${randomUUID().slice(0, 8)}`;
    await a.post('/v1/portfolios', { id: empty, name: 'Empty', base_currency: 'EUR' });
    expect((await a.get(`/v1/portfolios/${empty}/returns`)).status).toBe(422);
  });

  it('answers an unknown portfolio with 404 in the error body', async () => {
    const res = await a.post('/v1/portfolios/nope-404/var', {});
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ status_code: 404, error_type: 'NOT_FOUND', message: ['portfolio nope-404 not found'] });
  });

  it('answers a book without positions with 422 INSUFFICIENT_DATA', async () => {
    const id = `empty-${randomUUID().slice(0, 8)}`;
    await a.post('/v1/portfolios', { id, name: 'Empty' });
    expect((await a.post(`/v1/portfolios/${id}/var`, {})).body).toMatchObject({ status_code: 422, error_type: 'INSUFFICIENT_DATA' });
  });

  it('answers a Monte Carlo option sent with another method with 400 naming it', async () => {
    const pid = await book();
    expect((await a.post(`/v1/portfolios/${pid}/var`, { method: 'historical', seed: 3 })).body).toMatchObject({ status_code: 400, message: ['seed applies to method monte_carlo only'] });
  });

  it('refuses a portfolio id outside the allowed characters with 400 naming the parameter', async () => {
    for (const res of [await a.post('/v1/portfolios/bad%20id/var', {}), await a.get('/v1/portfolios/bad%20id/limits'), await a.get(`/v1/portfolios/${'x'.repeat(65)}`)]) {
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error_type: 'INVALID_INPUT', message: ['id must be 1 to 64 characters of letters, digits and . _ : -'] });
    }
    expect((await a.put('/v1/assets/bad%2Fid/returns', [{ date: '2024-01-02', return_pct: 0.01 }])).body.message).toEqual(['asset_id must be 1 to 64 characters of letters, digits and . _ : -']);
  });

  it('refuses an alert or key id that is not a UUID with 400 naming the parameter', async () => {
    for (const res of [await a.post('/v1/alerts/not-a-uuid/acknowledge', {}), await a.del('/v1/api-keys/42')]) {
      expect(res.status).toBe(400);
      expect(res.body.message[0]).toMatch(/^id must be a UUID/);
    }
  });

  it('publishes a breach on JetStream once, with Nats-Msg-Id = event id and the request’s correlation id', async () => {
    const pid = await book(0.5);
    const opts = consumerOpts();
    opts.orderedConsumer();
    opts.filterSubject('risk.limit.breach');
    opts.deliverNew();
    const sub = await nc.jetstream().subscribe('risk.limit.breach', opts);
    const received: Array<{ event: any; msgId?: string; corr?: string }> = [];
    const firstForUs = (async () => {
      for await (const m of sub) {
        const e = json.decode(m.data) as any;
        if (e.portfolio_id !== pid) continue;
        received.push({ event: e, msgId: m.headers?.get('Nats-Msg-Id'), corr: m.headers?.get('x-correlation-id') });
        return;
      }
    })();
    const res = await a.post(`/v1/portfolios/${pid}/var`, { confidence: 99, lookback_days: 500 }).set('x-correlation-id', `breach-${pid}`);
    expect(res.body.limit).toMatchObject({ max_var_percent: 0.5, status: 'critical' });
    await Promise.race([firstForUs, new Promise((_, rej) => setTimeout(() => rej(new Error('no breach event within 10 s')), 10_000))]);
    sub.unsubscribe();
    expect(received[0].event).toMatchObject({ type: 'risk.limit.breach', portfolio_id: pid, correlation_id: `breach-${pid}`, data: { breach_type: 'VAR', severity: 'critical', var_result_id: res.body.id } });
    expect(received[0].msgId).toBe(received[0].event.id);
    expect(received[0].corr).toBe(`breach-${pid}`);
  });

  it('lists breaches and alerts, and acknowledges and resolves an alert, over HTTP', async () => {
    const pid = await book(0.5);
    await a.post(`/v1/portfolios/${pid}/var`, { confidence: 99 });
    const breaches = await a.get(`/v1/portfolios/${pid}/breaches?since=2000-01-01T00:00:00Z`);
    expect(breaches.body).toEqual([expect.objectContaining({ portfolio_id: pid, breach_type: 'VAR', severity: 'critical' })]);
    const [alert] = (await a.get(`/v1/alerts?portfolio_id=${pid}&status=active`)).body;
    expect(alert).toMatchObject({ portfolio_id: pid, type: 'VAR', status: 'active' });
    const ack = await a.post(`/v1/alerts/${alert.id}/acknowledge`, { note: 'seen' });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ status: 'acknowledged', acknowledge_note: 'seen', acknowledged_by: 'admin (ADMIN_API_KEY)' });
    expect((await a.post(`/v1/alerts/${alert.id}/resolve`, {})).body).toMatchObject({ status: 'resolved', resolved_by: 'admin (ADMIN_API_KEY)' });
    expect((await a.post(`/v1/alerts/${alert.id}/resolve`, {})).body).toMatchObject({ status_code: 409, error_type: 'CONFLICT' });
  });

  it('adds limit versions and answers the one in force and the history over HTTP', async () => {
    const pid = await book();
    expect((await a.get(`/v1/portfolios/${pid}/limits`)).body).toMatchObject({ is_default: true, max_var_percent: 5 });
    const put = await a.put(`/v1/portfolios/${pid}/limits`, { max_var_percent: 3, max_drawdown_percent: 15 });
    expect(put.body).toMatchObject({ portfolio_id: pid, max_var_percent: 3, max_drawdown_percent: 15, is_default: false, created_by: 'admin (ADMIN_API_KEY)' });
    expect((await a.get(`/v1/portfolios/${pid}/limits`)).body).toMatchObject({ id: put.body.id });
    expect((await a.get(`/v1/portfolios/${pid}/limits/history`)).body.map((l: { id: string }) => l.id)).toEqual([put.body.id]);
  });

  it('counts re-posted returns as neither inserted nor updated', async () => {
    const again = await a.put(`/v1/assets/${smiId}/returns`, SMI.slice(0, 10).map((r, i) => ({ date: DATES[i], return_pct: r })));
    expect(again.body).toMatchObject({ inserted: 0, updated: 0, received: 10 });
  });

  it('writes nothing from a CSV with a bad line and names every bad line', async () => {
    const asset = `BAD-${randomUUID().slice(0, 8)}`;
    const bad = await a.putCsv(`/v1/assets/${asset}/returns`, `date,return_pct\n2030-01-02,0.01\n2030-01-03,abc\n2030-02-30,0.02\n2030-01-04,-1\n`);
    expect(bad.status).toBe(400);
    expect(bad.body.message.join(' | ')).toMatch(/line 3: return_pct must be a number.*line 4: date 2030-02-30 is not a calendar date.*line 5: return_pct must be greater than -1/);
    const pid = `csv-${randomUUID().slice(0, 8)}`;
    await a.post('/v1/portfolios', { id: pid, name: 'CSV' });
    await a.put(`/v1/portfolios/${pid}/positions`, [{ asset_id: asset, market_value: '100' }]);
    expect((await a.post(`/v1/portfolios/${pid}/var`, {})).body.message[0]).toMatch(new RegExp(`no returns stored for ${asset}`));
  });

  it('names a date that repeats in a JSON upload', async () => {
    const dup = await a.put(`/v1/assets/DUP-${run}/returns`, [{ date: '2030-01-02', return_pct: 0.01 }, { date: '2030-01-02', return_pct: 2e-2 }]);
    expect(dup.status).toBe(400);
    expect(dup.body.message[0]).toMatch(/\[1\]: date 2030-01-02 repeats \[0\]/);
  });

  it('applies the portfolio position limit to position sizing', async () => {
    const pid = await book();
    const res = await a.post('/v1/position-size', { method: 'kelly', equity: '1000000', win_probability: 0.9, win_loss_ratio: 3, portfolio_id: pid });
    expect(res.body).toMatchObject({ capped_by: 'position_limit', max_position_size_percent: 10, fraction: 0.1 });
    expect((await a.post('/v1/position-size', { method: 'kelly', equity: '1', win_probability: 0.5, win_loss_ratio: 1, portfolio_id: 'none-such' })).status).toBe(404);
  });

  it('refuses a missing key (401) and a weak role (403)', async () => {
    const pid = await book();
    expect((await api(url, '').get('/v1/portfolios')).status).toBe(401);
    expect((await api(url, 'rk_not-a-key').get('/v1/portfolios')).body).toMatchObject({ status_code: 401, error_type: 'UNAUTHORIZED' });
    const viewer = await a.post('/v1/api-keys', { name: `viewer-${pid}`, role: 'viewer' });
    expect(viewer.status).toBe(201);
    expect(viewer.body.key).toMatch(/^rk_/);
    const v = api(url, viewer.body.key);
    expect((await v.get(`/v1/portfolios/${pid}`)).status).toBe(200);
    expect((await v.post(`/v1/portfolios/${pid}/var`, {})).body).toMatchObject({ status_code: 403, error_type: 'FORBIDDEN' });
    expect((await v.put(`/v1/portfolios/${pid}/limits`, { max_var_percent: 50 })).status).toBe(403);
    expect((await a.del(`/v1/api-keys/${viewer.body.id}`)).status).toBe(204);
  });

  it('reports readiness of every configured dependency and exports the docs/api.md metrics', async () => {
    const pid = await book();
    // Two calculations on one book: the first reads the series (a cache miss), the second hits the cache.
    for (let i = 0; i < 2; i++) expect((await a.post(`/v1/portfolios/${pid}/var`, {})).status).toBe(200);
    const ready = await a.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ database: 'up', nats: 'up', redis: 'up' });
    const metrics = await a.get('/metrics');
    expect(metrics.status).toBe(200);
    for (const name of [
      'risk_calculation_duration_seconds_bucket',
      'risk_calculation_success_total',
      'risk_limit_breaches_total',
      'portfolio_var_current',
      'risk_calculation_cache_hit_rate',
      'risk_outbox_pending',
      'http_request_duration_seconds_bucket',
      'process_cpu_user_seconds_total',
    ]) {
      expect(metrics.text).toContain(name);
    }
    expect(metrics.text).toMatch(/risk_calculation_cache_hit_rate\{cache_type="lru"\} 0\.\d+/);
  });

  it('answers risk.portfolio.var on NATS with the stored result, carrying the message’s correlation id', async () => {
    const pid = await book();
    const h = headers();
    h.set('x-correlation-id', `nats-${pid}`);
    const msg = await nc.request('risk.portfolio.var', json.encode({ portfolio_id: pid, method: 'parametric', confidence: 99, lookback_days: 500 }), { timeout: 5000, headers: h });
    const body = json.decode(msg.data) as any;
    expect(relClose(body.var_return, computeRisk({ returns: weighted(500), confidence: 99, method: 'parametric' }).varReturn)).toBe(true);
    expect(body.correlation_id).toBe(`nats-${pid}`);
    expect((await a.get(`/v1/portfolios/${pid}/var-history?limit=1`)).body[0].id).toBe(body.id);
  });

  it('answers risk.portfolio.var for an unknown portfolio with the error body', async () => {
    const missing = json.decode((await nc.request('risk.portfolio.var', json.encode({ portfolio_id: 'no-such-book' }), { timeout: 5000 })).data) as any;
    expect(missing.error).toMatchObject({ status_code: 404, error_type: 'NOT_FOUND' });
  });
});
