import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AckPolicy, connect, consumerOpts, DeliverPolicy, JSONCodec, NatsConnection } from 'nats';
import { computeRisk, VarMethod } from '../../src/math';
import { NatsConnectionService } from '../../src/events/nats-connection.service';
import { OutboxRelayService } from '../../src/events/outbox-relay.service';
import { api, businessDays } from '../support/api';
import { startHttpApp } from '../support/http-app';
import { loadReference, relClose, simpleReturns } from '../support/reference';

const ref = loadReference();
const SMI = simpleReturns(ref.series.SMI.prices);
const CAC = simpleReturns(ref.series.CAC.prices);
const DATES = businessDays(SMI.length);
const json = JSONCodec();

describe('stored portfolios: VaR, history, limits, breaches, alerts, events', () => {
  let app: NestFastifyApplication;
  let url: string;
  let nc: NatsConnection;
  let a: ReturnType<typeof api>;
  const pid = `desk-${randomUUID().slice(0, 8)}`;
  const smiId = `SMI-${pid}`;
  const cacId = `CAC-${pid}`;

  beforeAll(async () => {
    ({ app, url } = await startHttpApp());
    a = api(url);
    nc = await connect({ servers: process.env.NATS_URL });
    await app.get(NatsConnectionService).jetstream(); // makes sure the RISK stream exists
    expect((await a.post('/v1/portfolios', { id: pid, name: 'Test desk', base_currency: 'CHF' })).status).toBe(201);
    const json1 = SMI.map((r, i) => ({ date: DATES[i], return_pct: r }));
    expect((await a.put(`/v1/assets/${smiId}/returns`, json1)).body).toMatchObject({ inserted: SMI.length, updated: 0 });
    const csv = ['date,return_pct', ...CAC.map((r, i) => `${DATES[i]},${r}`)].join('\r\n');
    expect((await a.putCsv(`/v1/assets/${cacId}/returns`, csv)).body).toMatchObject({ inserted: CAC.length, updated: 0 });
    const book = await a.put(`/v1/portfolios/${pid}/positions`, [{ asset_id: smiId, market_value: '600000.00' }, { asset_id: cacId, market_value: 400000 }]);
    expect(book.body).toMatchObject({ portfolio_value: '1000000.00' });
    // A wide limit, so that only the breach scenario below breaches.
    expect((await a.put(`/v1/portfolios/${pid}/limits`, { max_var_percent: 50 })).status).toBe(200);
  });
  afterAll(async () => {
    await nc.close();
    await app.close();
  });

  const weighted = (lookback: number) => {
    const n = SMI.length;
    const out: number[] = [];
    for (let t = Math.max(0, n - lookback); t < n; t++) out.push(0.6 * SMI[t] + 0.4 * CAC[t]);
    return out;
  };

  it.each<VarMethod>(['historical', 'parametric', 'cornish_fisher'])('%s VaR equals the stateless VaR of the aligned weighted series', async (method) => {
    const res = await a.post(`/v1/portfolios/${pid}/var`, { method, confidence: 99, lookback_days: 1000, horizon_days: 5 });
    expect(res.status).toBe(200);
    const expected = computeRisk({ returns: weighted(1000), confidence: 99, method, horizonDays: 5 }).varReturn;
    expect(relClose(res.body.var_return, expected)).toBe(true);
    expect(res.body).toMatchObject({ portfolio_id: pid, observations: 1000, from: DATES[SMI.length - 1000], to: DATES[SMI.length - 1], portfolio_value: '1000000.00' });
    const sum = res.body.contributions.reduce((s: number, c: { component_var_return: number }) => s + c.component_var_return, 0);
    expect(Math.abs(sum - res.body.var_return)).toBeLessThan(1e-12);
    const cents = res.body.contributions.reduce((s: number, c: { component_var: string }) => s + Math.round(Number(c.component_var) * 100), 0);
    expect(Math.abs(cents - Math.round(Number(res.body.var) * 100))).toBeLessThanOrEqual(2);
    const weights = Object.fromEntries(res.body.contributions.map((c: { asset_id: string; weight: number }) => [c.asset_id, c.weight]));
    expect(weights).toEqual({ [smiId]: 0.6, [cacId]: 0.4 });
  });

  it('answers CVaR with CVaR contributions and keeps the history newest first', async () => {
    const res = await a.post(`/v1/portfolios/${pid}/cvar`, { method: 'historical', confidence: 97.5, lookback_days: 500 });
    expect(res.status).toBe(200);
    const expected = computeRisk({ returns: weighted(500), confidence: 97.5, method: 'historical', wantCvar: true }).cvarReturn!;
    expect(relClose(res.body.cvar_return, expected)).toBe(true);
    const history = await a.get(`/v1/portfolios/${pid}/var-history?limit=2`);
    expect(history.status).toBe(200);
    expect(history.body).toHaveLength(2);
    expect(history.body[0].id).toBe(res.body.id);
    expect(history.body[0].cvar_return).toBe(res.body.cvar_return);
  });

  it('re-posting the same returns changes nothing; a bad CSV line writes nothing and is named', async () => {
    const again = await a.put(`/v1/assets/${smiId}/returns`, SMI.slice(0, 10).map((r, i) => ({ date: DATES[i], return_pct: r })));
    expect(again.body).toMatchObject({ inserted: 0, updated: 0 });
    const csv = `date,return_pct\n2030-01-02,0.01\n2030-01-03,abc\n2030-02-30,0.02\n2030-01-04,-1\n`;
    const bad = await a.putCsv(`/v1/assets/${smiId}/returns`, csv);
    expect(bad.status).toBe(400);
    expect(bad.body.message.join(' | ')).toMatch(/line 3: return_pct must be a number.*line 4: date 2030-02-30 is not a calendar date.*line 5: return_pct must be greater than -1/);
    const res = await a.post(`/v1/portfolios/${pid}/var`, { confidence: 95, lookback_days: 100000 });
    expect(res.body.to).toBe(DATES[SMI.length - 1]); // 2030-01-02 was not written
    const dup = await a.put(`/v1/assets/${smiId}/returns`, [{ date: '2030-01-02', return_pct: 0.01 }, { date: '2030-01-02', return_pct: 2e-2 }]);
    expect(dup.status).toBe(400);
    expect(dup.body.message[0]).toMatch(/\[1\]: date 2030-01-02 repeats \[0\]/);
  });

  it('answers 404, 422 and 422 INVALID_INPUT for unknown, empty and non-positive books', async () => {
    expect((await a.post('/v1/portfolios/nope-404/var', {})).body).toMatchObject({ status_code: 404, error_type: 'NOT_FOUND' });
    const stray = await a.post(`/v1/portfolios/${pid}/var`, { method: 'historical', seed: 3 });
    expect(stray.body).toMatchObject({ status_code: 400, message: ['seed applies to method monte_carlo only'] });
    const empty = `empty-${randomUUID().slice(0, 8)}`;
    await a.post('/v1/portfolios', { id: empty, name: 'Empty' });
    expect((await a.post(`/v1/portfolios/${empty}/var`, {})).body).toMatchObject({ status_code: 422, error_type: 'INSUFFICIENT_DATA' });
    await a.put(`/v1/portfolios/${empty}/positions`, [{ asset_id: smiId, market_value: '-100' }]);
    expect((await a.post(`/v1/portfolios/${empty}/var`, {})).body).toMatchObject({ status_code: 422, error_type: 'INVALID_INPUT' });
    await a.put(`/v1/portfolios/${empty}/positions`, [{ asset_id: smiId, market_value: '100' }]);
    const short = await a.post(`/v1/portfolios/${empty}/var`, { confidence: 99, lookback_days: 50 });
    expect(short.body).toMatchObject({ status_code: 422, error_type: 'INSUFFICIENT_DATA' });
    expect(short.body.message[0]).toMatch(/aligned dates/);
  });

  it('a breach raises one alert and exactly one risk.limit.breach event', async () => {
    const js = nc.jetstream();
    const opts = consumerOpts();
    opts.orderedConsumer();
    opts.filterSubject('risk.limit.breach');
    opts.deliverNew();
    const sub = await js.subscribe('risk.limit.breach', opts);
    const received: any[] = [];
    const firstForUs = (async () => {
      for await (const m of sub) {
        const e = json.decode(m.data) as any;
        if (e.portfolio_id === pid) {
          received.push({ event: e, msgId: m.headers?.get('Nats-Msg-Id'), corr: m.headers?.get('x-correlation-id') });
          if (received.length === 1) return;
        }
      }
    })();
    expect((await a.put(`/v1/portfolios/${pid}/limits`, { max_var_percent: 0.5 })).status).toBe(200);
    const res = await a.post(`/v1/portfolios/${pid}/var`, { confidence: 99, lookback_days: 500 }).set('x-correlation-id', `breach-${pid}`);
    expect(res.body.limit).toMatchObject({ max_var_percent: 0.5, status: 'breach', severity: 'critical' });
    await Promise.race([firstForUs, new Promise((_, rej) => setTimeout(() => rej(new Error('no breach event within 10 s')), 10_000))]);
    expect(received[0].event).toMatchObject({ type: 'risk.limit.breach', portfolio_id: pid, correlation_id: `breach-${pid}`, data: { breach_type: 'VAR', severity: 'critical', var_result_id: res.body.id } });
    expect(received[0].msgId).toBe(received[0].event.id);
    expect(received[0].corr).toBe(`breach-${pid}`);

    // A repeat counts on the same alert and emits no second event.
    await a.post(`/v1/portfolios/${pid}/var`, { confidence: 99, lookback_days: 500 });
    await app.get(OutboxRelayService).drain();
    const alerts = (await a.get(`/v1/alerts?portfolio_id=${pid}&status=active`)).body;
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ type: 'VAR', severity: 'critical', occurrences: 2, status: 'active' });
    const breaches = (await a.get(`/v1/portfolios/${pid}/breaches`)).body;
    expect(breaches.length).toBe(2);
    sub.unsubscribe();
    expect(received).toHaveLength(1);

    const ack = await a.post(`/v1/alerts/${alerts[0].id}/acknowledge`, { note: 'seen' });
    expect(ack.body).toMatchObject({ status: 'acknowledged', acknowledge_note: 'seen' });
    expect(ack.body.acknowledged_by).toBeTruthy();
    const resolved = await a.post(`/v1/alerts/${alerts[0].id}/resolve`, {});
    expect(resolved.body.status).toBe('resolved');
    expect((await a.post(`/v1/alerts/${alerts[0].id}/resolve`, {})).status).toBe(409);
  });

  it('keeps limit versions and answers the defaults for a portfolio without one', async () => {
    const other = `lim-${randomUUID().slice(0, 8)}`;
    await a.post('/v1/portfolios', { id: other, name: 'Limits' });
    expect((await a.get(`/v1/portfolios/${other}/limits`)).body).toMatchObject({ is_default: true, max_var_percent: 5 });
    await a.put(`/v1/portfolios/${other}/limits`, { max_var_percent: 3, max_drawdown_percent: 15 });
    await a.put(`/v1/portfolios/${other}/limits`, { max_var_percent: 4 });
    expect((await a.get(`/v1/portfolios/${other}/limits`)).body).toMatchObject({ is_default: false, max_var_percent: 4, max_drawdown_percent: 15 });
    expect((await a.get(`/v1/portfolios/${other}/limits/history`)).body).toHaveLength(2);
  });

  it('runs 50 concurrent calculations', async () => {
    const all = await Promise.all(Array.from({ length: 50 }, (_, i) => a.post(`/v1/portfolios/${pid}/var`, { method: i % 2 ? 'parametric' : 'historical', confidence: 99, lookback_days: 500 })));
    expect(all.map((r) => r.status)).toEqual(new Array(50).fill(200));
    const alerts = (await a.get(`/v1/alerts?portfolio_id=${pid}&status=active`)).body;
    expect(alerts).toHaveLength(1);
  });

  it('applies the portfolio position limit to position sizing', async () => {
    const res = await a.post('/v1/position-size', { method: 'kelly', equity: '1000000', win_probability: 0.9, win_loss_ratio: 3, portfolio_id: pid });
    expect(res.body).toMatchObject({ capped_by: 'position_limit', max_position_size_percent: 10, fraction: 0.1 });
    expect((await a.post('/v1/position-size', { method: 'kelly', equity: '1', win_probability: 0.5, win_loss_ratio: 1, portfolio_id: 'none-such' })).status).toBe(404);
  });

  it('refuses a missing key (401) and a weak role (403)', async () => {
    expect((await api(url, '').get('/v1/portfolios')).status).toBe(401);
    expect((await api(url, 'rk_not-a-key').get('/v1/portfolios')).body).toMatchObject({ status_code: 401, error_type: 'UNAUTHORIZED' });
    const viewer = await a.post('/v1/api-keys', { name: `viewer-${pid}`, role: 'viewer' });
    expect(viewer.body.key).toMatch(/^rk_/);
    const v = api(url, viewer.body.key);
    expect((await v.get(`/v1/portfolios/${pid}`)).status).toBe(200);
    expect((await v.post(`/v1/portfolios/${pid}/var`, {})).body).toMatchObject({ status_code: 403, error_type: 'FORBIDDEN' });
    expect((await v.put(`/v1/portfolios/${pid}/limits`, { max_var_percent: 50 })).status).toBe(403);
    expect((await a.del(`/v1/api-keys/${viewer.body.id}`)).status).toBe(204);
  });

  it('reports readiness of every configured dependency and exports the docs/api.md metrics', async () => {
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

  it('answers risk.portfolio.var on NATS with the stored result', async () => {
    const msg = await nc.request('risk.portfolio.var', json.encode({ portfolio_id: pid, method: 'parametric', confidence: 99, lookback_days: 500 }), { timeout: 5000 });
    const body = json.decode(msg.data) as any;
    const expected = computeRisk({ returns: weighted(500), confidence: 99, method: 'parametric' }).varReturn;
    expect(relClose(body.var_return, expected)).toBe(true);
    expect((await a.get(`/v1/portfolios/${pid}/var-history?limit=1`)).body[0].id).toBe(body.id);
    const missing = json.decode((await nc.request('risk.portfolio.var', json.encode({ portfolio_id: 'no-such-book' }), { timeout: 5000 })).data) as any;
    expect(missing.error).toMatchObject({ status_code: 404, error_type: 'NOT_FOUND' });
  });
});
