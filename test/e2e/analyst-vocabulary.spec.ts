import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { connect, consumerOpts, JSONCodec, NatsConnection } from 'nats';
import { NatsConnectionService } from '../../src/events/nats-connection.service';
import { api, businessDays } from '../support/api';
import { startHttpApp } from '../support/http-app';
import { syntheticAssets } from '../support/synthetic-returns';

const json = JSONCodec();
const [X, Y] = syntheticAssets(2, 400, 11);
const DAYS = businessDays(400);

/**
 * docs/api.md "Analyst conventions": one name per concept in requests, results, events, alerts and
 * metrics, over the real HTTP, JetStream and /metrics. Each test has its own portfolio.
 */
describe('one vocabulary over HTTP, JetStream and /metrics', () => {
  let app: NestFastifyApplication;
  let url: string;
  let nc: NatsConnection;
  let a: ReturnType<typeof api>;
  const run = randomUUID().slice(0, 8);
  const [x, y] = [`VX-${run}`, `VY-${run}`];

  beforeAll(async () => {
    ({ app, url } = await startHttpApp());
    a = api(url);
    nc = await connect({ servers: process.env.NATS_URL });
    await app.get(NatsConnectionService).jetstream();
    const wide = [`date,${x},${y}`, ...DAYS.map((d, i) => `${d},${X[i]},${Y[i]}`)].join('\n');
    expect((await a.putCsv('/v1/returns', wide)).body).toEqual({ [x]: { inserted: 400, updated: 0 }, [y]: { inserted: 400, updated: 0 } });
  });
  afterAll(async () => {
    await nc.close();
    await app.close();
  });

  /** A portfolio holding x and y, with the limits given (PUT …/limits in the request vocabulary). */
  const book = async (limits?: Record<string, number>) => {
    const id = `voc-${randomUUID().slice(0, 8)}`;
    expect((await a.post('/v1/portfolios', { id, name: id })).status).toBe(201);
    expect((await a.put(`/v1/portfolios/${id}/positions`, [{ asset_id: x, market_value: '700000' }, { asset_id: y, market_value: '300000' }])).status).toBe(200);
    if (limits) expect((await a.put(`/v1/portfolios/${id}/limits`, limits)).status).toBe(200);
    return id;
  };

  /** The first event on `subject` for portfolio `pid` published after `trigger` starts (10 s at most). */
  const eventOf = async (subject: string, pid: string, trigger: () => Promise<unknown>): Promise<any> => {
    const opts = consumerOpts();
    opts.orderedConsumer();
    opts.filterSubject(subject);
    opts.deliverNew();
    const sub = await nc.jetstream().subscribe(subject, opts);
    const first = (async () => {
      for await (const m of sub) {
        const e = json.decode(m.data) as any;
        if (e.portfolio_id === pid) return e;
      }
      return undefined;
    })();
    try {
      await trigger();
      return await Promise.race([first, new Promise((_, reject) => setTimeout(() => reject(new Error(`no ${subject} for ${pid} within 10 s`)), 10_000))]);
    } finally {
      sub.unsubscribe();
    }
  };

  it('takes confidence and horizon_days on PUT …/limits and answers confidence_level and horizon_days', async () => {
    const pid = await book();
    const res = await a.put(`/v1/portfolios/${pid}/limits`, { max_var_percent: 4, confidence: 99, horizon_days: 10 });
    expect(res.body).toMatchObject({ max_var_percent: 4, confidence_level: 99, horizon_days: 10 });
    expect(res.body).not.toHaveProperty('confidence');
  });

  it('refuses confidence_level on PUT …/limits, naming it (no alias for the old name)', async () => {
    const pid = await book();
    const res = await a.put(`/v1/portfolios/${pid}/limits`, { confidence_level: 99 });
    expect(res.body).toMatchObject({ status_code: 400, message: ['confidence_level: property confidence_level should not exist'] });
  });

  it('refuses a limit confidence written as a fraction, saying it is a percentage', async () => {
    const pid = await book();
    const res = await a.put(`/v1/portfolios/${pid}/limits`, { confidence: 0.99 });
    expect(res.body).toMatchObject({ status_code: 400, message: [expect.stringMatching(/confidence must be a percentage over 50, e\.g\. 95/)] });
  });

  it('compares a 10-day VaR with the daily limit × √10 in a limit block on the one status scale', async () => {
    const pid = await book({ max_var_percent: 1, horizon_days: 1 });
    const res = await a.post(`/v1/portfolios/${pid}/var`, { method: 'parametric', confidence: 99, horizon_days: 10 });
    const limit = res.body.limit;
    expect(Object.keys(limit).sort()).toEqual(['confidence_level', 'horizon_days', 'is_default', 'max_var_percent', 'scaled_max_var_percent', 'status', 'utilization', 'var_percent']);
    expect(limit).toMatchObject({ max_var_percent: 1, horizon_days: 1 });
    expect(limit.scaled_max_var_percent).toBeCloseTo(Math.sqrt(10), 12);
    expect(limit.var_percent).toBeCloseTo(Math.abs(res.body.var_return) * 100, 12);
    expect(limit.utilization).toBeCloseTo(limit.var_percent / Math.sqrt(10), 12);
    expect(['ok', 'warning', 'high', 'critical']).toContain(limit.status);
  });

  it('answers a stored CVaR with var_return, var, cvar_return, cvar and component_cvar contributions', async () => {
    const pid = await book();
    const res = await a.post(`/v1/portfolios/${pid}/cvar`, { confidence: 97.5 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kind: 'cvar', confidence_level: 97.5, var_return: expect.any(Number), var: expect.any(String), cvar_return: expect.any(Number), cvar: expect.any(String) });
    expect(res.body.cvar_return).toBeLessThan(res.body.var_return);
    expect(res.body.contributions.map((c: object) => Object.keys(c).sort())).toEqual([
      ['asset_id', 'component_cvar', 'component_cvar_return', 'weight'],
      ['asset_id', 'component_cvar', 'component_cvar_return', 'weight'],
    ]);
    expect(res.body.limit.var_percent).toBeCloseTo(Math.abs(res.body.var_return) * 100, 12);
  });

  it('publishes risk.var.calculated with confidence_level, horizon_days and the figures of the stored CVaR', async () => {
    const pid = await book();
    let result: any;
    const event = await eventOf('risk.var.calculated', pid, async () => (result = (await a.post(`/v1/portfolios/${pid}/cvar`, { confidence: 99, horizon_days: 5 })).body));
    expect(event.data).toMatchObject({
      result_id: result.id, kind: 'cvar', confidence_level: 99, horizon_days: 5, scaling: 'sqrt_time',
      var_return: result.var_return, var: result.var, cvar_return: result.cvar_return, cvar: result.cvar,
      limit: { scaled_max_var_percent: result.limit.scaled_max_var_percent, status: result.limit.status },
    });
    for (const old of ['confidence', 'value_return', 'value']) expect(event.data).not.toHaveProperty(old);
  });

  it('publishes risk.limit.breach and lists breaches with limit_percent and measured_percent', async () => {
    const pid = await book({ max_var_percent: 0.1 });
    let result: any;
    const event = await eventOf('risk.limit.breach', pid, async () => (result = (await a.post(`/v1/portfolios/${pid}/var`, { confidence: 99 })).body));
    expect(result.limit.status).toBe('critical');
    expect(event.data).toMatchObject({ severity: 'critical', limit_percent: 0.1, measured_percent: result.limit.var_percent, utilization: result.limit.utilization });
    const [breach] = (await a.get(`/v1/portfolios/${pid}/breaches`)).body;
    expect(breach).toMatchObject({ severity: 'critical', limit_percent: 0.1, measured_percent: result.limit.var_percent });
    for (const old of ['limit_value', 'measured_value']) {
      expect(event.data).not.toHaveProperty(old);
      expect(breach).not.toHaveProperty(old);
    }
  });

  it('lists alerts with threshold_percent and current_percent, a warning as severity warning', async () => {
    const pid = await book();
    const probe = await a.post(`/v1/portfolios/${pid}/var`, { confidence: 99 });
    const limit = probe.body.limit.var_percent / 0.9;
    await a.put(`/v1/portfolios/${pid}/limits`, { max_var_percent: limit });
    const res = await a.post(`/v1/portfolios/${pid}/var`, { confidence: 99 });
    expect(res.body.limit.status).toBe('warning');
    const [alert] = (await a.get(`/v1/alerts?portfolio_id=${pid}`)).body;
    expect(alert).toMatchObject({ type: 'VAR', severity: 'warning', threshold_percent: limit, current_percent: res.body.limit.var_percent });
    expect(alert).not.toHaveProperty('threshold');
    expect(alert).not.toHaveProperty('current_value');
  });

  it('answers 409 CONFLICT to a second acknowledgement and keeps the first', async () => {
    const pid = await book({ max_var_percent: 0.1 });
    await a.post(`/v1/portfolios/${pid}/var`, { confidence: 99 });
    const [alert] = (await a.get(`/v1/alerts?portfolio_id=${pid}`)).body;
    const first = await a.post(`/v1/alerts/${alert.id}/acknowledge`, { note: 'first' });
    expect(first.status).toBe(200);
    const second = await a.post(`/v1/alerts/${alert.id}/acknowledge`, { note: 'second' });
    expect(second.body).toMatchObject({ status_code: 409, error_type: 'CONFLICT', message: [expect.stringMatching(/already acknowledged/)] });
    const [now] = (await a.get(`/v1/alerts?portfolio_id=${pid}`)).body;
    expect(now).toMatchObject({ status: 'acknowledged', acknowledge_note: 'first', acknowledged_at: first.body.acknowledged_at });
  });

  it('publishes risk.drawdown.alert with current_drawdown, a fraction, beside max_drawdown_percent, a percentage', async () => {
    const pid = await book();
    await a.put(`/v1/portfolios/${pid}/limits`, { max_drawdown_percent: 10, effective_date: '2026-01-01T00:00:00Z' }); // in force at the NAVs' time
    await a.post(`/v1/portfolios/${pid}/nav`, { value: '1000000', at: '2026-01-05T16:00:00Z' });
    const event = await eventOf('risk.drawdown.alert', pid, () => a.post(`/v1/portfolios/${pid}/nav`, { value: '880000', at: '2026-01-06T16:00:00Z' }));
    expect(event.data).toMatchObject({ to_status: 'high', max_drawdown_percent: 10 });
    expect(event.data.current_drawdown).toBeCloseTo(0.12, 12);
    expect(event.data).not.toHaveProperty('drawdown');
    const [alert] = (await a.get(`/v1/alerts?portfolio_id=${pid}`)).body;
    expect(alert).toMatchObject({ type: 'DRAWDOWN', severity: 'high', threshold_percent: 10 });
    expect(alert.current_percent).toBeCloseTo(12, 10);
  });

  it('labels portfolio_var_current by portfolio_id, confidence_level and horizon_days', async () => {
    const pid = await book();
    const res = await a.post(`/v1/portfolios/${pid}/var`, { confidence: 99, horizon_days: 10 });
    const metrics = (await a.get('/metrics')).text;
    const line = metrics.split('\n').find((l) => l.startsWith('portfolio_var_current{') && l.includes(`portfolio_id="${pid}"`));
    expect(line).toBe(`portfolio_var_current{portfolio_id="${pid}",confidence_level="99",horizon_days="10"} ${res.body.var_return}`);
  });
});
