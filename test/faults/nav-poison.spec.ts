import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AckPolicy, connect, DeliverPolicy, JSONCodec, NatsConnection, StringCodec } from 'nats';
import request from 'supertest';
import { NatsConnectionService } from '../../src/events/nats-connection.service';
import { api } from '../support/api';
import { startHttpApp } from '../support/http-app';

const json = JSONCodec();

/** risk_nav_rejected_total by reason, from GET /metrics. */
async function rejections(url: string): Promise<Record<string, number>> {
  const text = (await request(url).get('/metrics')).text;
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^risk_nav_rejected_total\{reason="([a-z_]+)"\} (\d+)/gm)) out[m[1]] = Number(m[2]);
  return out;
}

async function until<T>(probe: () => Promise<T>, check: (v: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (check(v)) return v;
    if (Date.now() > end) throw new Error(`timed out: last ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('risk.nav.updated poison messages', () => {
  let app: NestFastifyApplication;
  let url: string;
  let nc: NatsConnection;
  beforeAll(async () => {
    nc = await connect({ servers: process.env.NATS_URL });
    // A durable of its own that starts at the next message, made before the service (which finds it
    // and uses it): the messages of earlier runs in the stream are not this test's to count.
    const durable = `nav-poison-${randomUUID().slice(0, 8)}`;
    await (await nc.jetstreamManager()).consumers.add('RISK', {
      durable_name: durable,
      filter_subject: 'risk.nav.updated',
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.New,
      inactive_threshold: 300 * 1e9,
    });
    ({ app, url } = await startHttpApp({ NATS_NAV_DURABLE: durable }));
    await app.get(NatsConnectionService).jetstream();
  });
  afterAll(async () => {
    await nc.close();
    await app.close();
  });

  it('terminates each poison message at its first delivery, counts it by reason, and applies the valid one behind them', async () => {
    const pid = `poison-${randomUUID().slice(0, 8)}`;
    await api(url).post('/v1/portfolios', { id: pid, name: 'Poison desk' });
    const before = await rejections(url);
    const js = nc.jetstream();
    const at = new Date().toISOString();
    await js.publish('risk.nav.updated', StringCodec().encode('{"portfolio_id": "x", "value": '));
    await js.publish('risk.nav.updated', json.encode({ portfolio_id: pid, value: '+1', at }));
    await js.publish('risk.nav.updated', json.encode({ portfolio_id: `${pid}\u0000x`, value: '100', at }));
    await js.publish('risk.nav.updated', json.encode({ portfolio_id: `nope-${randomUUID().slice(0, 8)}`, value: '100', at }));
    await js.publish('risk.nav.updated', json.encode({ portfolio_id: pid, value: '100', at: 'yesterday' }));
    await js.publish('risk.nav.updated', json.encode({ portfolio_id: pid, value: '1000000.50', at }));

    const state = await until(() => api(url).get(`/v1/portfolios/${pid}/drawdown`), (r) => r.status === 200);
    expect(state.body).toMatchObject({ current_value: '1000000.50', current_at: at });
    const expected = { bad_json: 1, invalid_value: 1, invalid_portfolio_id: 1, unknown_portfolio: 1, invalid_message: 1 };
    const delta = (now: Record<string, number>) => Object.fromEntries(Object.keys(expected).map((k) => [k, (now[k] ?? 0) - (before[k] ?? 0)]));
    await until(() => rejections(url), (now) => JSON.stringify(delta(now)) === JSON.stringify(expected));
    // A redelivered message would be counted again: after the first backoff (0.5 s) has passed, still once each.
    await new Promise((r) => setTimeout(r, 1500));
    expect(delta(await rejections(url))).toEqual(expected);
    expect((await rejections(url)).retries_exhausted ?? 0).toBe(before.retries_exhausted ?? 0);
  });
});
