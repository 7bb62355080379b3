import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { connect, consumerOpts, headers, JSONCodec, NatsConnection } from 'nats';
import { NatsConnectionService } from '../../src/events/nats-connection.service';
import { api } from '../support/api';
import { startHttpApp } from '../support/http-app';

const json = JSONCodec();

/** Waits (bounded, no fixed sleep) until `check` holds, polling. */
async function until<T>(what: string, probe: () => Promise<T>, check: (v: T) => boolean, ms = 40_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (check(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: last ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('live drawdown monitor', () => {
  let app: NestFastifyApplication;
  let url: string;
  let nc: NatsConnection;
  let a: ReturnType<typeof api>;
  const pid = `dd-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    ({ app, url } = await startHttpApp());
    a = api(url);
    nc = await connect({ servers: process.env.NATS_URL });
    await app.get(NatsConnectionService).jetstream();
    await a.post('/v1/portfolios', { id: pid, name: 'Drawdown desk' });
    await a.put(`/v1/portfolios/${pid}/limits`, { max_drawdown_percent: 10 });
  });
  afterAll(async () => {
    await nc.close();
    await app?.close();
  });

  it('tracks peak and drawdown, crosses warning / high / critical and recovers, one event each', async () => {
    const js = nc.jetstream();
    const opts = consumerOpts();
    opts.orderedConsumer();
    opts.filterSubject('risk.drawdown.alert');
    opts.deliverNew();
    const sub = await js.subscribe('risk.drawdown.alert', opts);
    const seen: any[] = [];
    const collect = (async () => {
      for await (const m of sub) {
        const e = json.decode(m.data) as any;
        if (e.portfolio_id === pid) seen.push(e);
        if (seen.length === 4) return;
      }
    })();
    // NAV times after the limit took force (the limit in force at a NAV's time applies).
    const t0 = Date.now() + 1000;
    const at = (i: number) => new Date(t0 + i * 1000).toISOString();
    const navs = ['1000000', '1100000', '1010000', '980000', '950000', '940000', '1105000'];
    const statuses: string[] = [];
    for (let i = 0; i < navs.length; i++) statuses.push((await a.post(`/v1/portfolios/${pid}/nav`, { value: navs[i], at: at(i) })).body.status);
    // 1.1M peak: 1.01M = 8.2 % (warning), 0.98M = 10.9 % (high), 0.95M = 13.6 % (critical), 1.105M new peak (ok)
    expect(statuses).toEqual(['ok', 'ok', 'warning', 'high', 'critical', 'critical', 'ok']);
    await Promise.race([collect, new Promise((_, rej) => setTimeout(() => rej(new Error(`got ${seen.length} drawdown events`)), 10_000))]);
    sub.unsubscribe();
    expect(seen.map((e) => `${e.data.from_status}->${e.data.to_status}`)).toEqual(['ok->warning', 'warning->high', 'high->critical', 'critical->ok']);
    const state = (await a.get(`/v1/portfolios/${pid}/drawdown`)).body;
    expect(state).toMatchObject({ peak_value: '1105000.00', current_value: '1105000.00', current_drawdown: 0, status: 'ok' });
    expect(state.max_drawdown).toBeCloseTo(1 - 940000 / 1100000, 12);
    const alerts = (await a.get(`/v1/alerts?portfolio_id=${pid}`)).body.filter((x: any) => x.type === 'DRAWDOWN');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ severity: 'critical', status: 'resolved' });
    const breaches = (await a.get(`/v1/portfolios/${pid}/breaches`)).body;
    expect(breaches.map((b: any) => b.severity)).toEqual(['critical', 'high']);

    // A duplicate and an out-of-order update change nothing.
    const dup = await a.post(`/v1/portfolios/${pid}/nav`, { value: '500000', at: at(3) });
    expect(dup.body).toMatchObject({ applied: false, current_value: '1105000.00', status: 'ok' });
  });

  it('loses no state when the service restarts mid-stream of NATS NAV updates', async () => {
    const other = `dd-r-${randomUUID().slice(0, 8)}`;
    await a.post('/v1/portfolios', { id: other, name: 'Restart desk' });
    const js = nc.jetstream();
    const t0 = Date.UTC(2026, 10, 3);
    const values = Array.from({ length: 200 }, (_, i) => 1_000_000 + Math.round(50_000 * Math.sin(i / 7)) - i * 300);
    const publish = (i: number) => {
      const h = headers();
      h.set('x-correlation-id', `nav-${other}-${i}`);
      return js.publish('risk.nav.updated', json.encode({ portfolio_id: other, value: String(values[i]), at: new Date(t0 + i * 60_000).toISOString() }), { headers: h });
    };
    for (let i = 0; i < 100; i++) await publish(i);
    await app.close();
    for (let i = 100; i < 200; i++) await publish(i); // published while the service is down
    ({ app, url } = await startHttpApp());
    a = api(url);
    const last = new Date(t0 + 199 * 60_000).toISOString();
    const state = await until('the last NAV', () => a.get(`/v1/portfolios/${other}/drawdown`).then((r) => r.body), (b) => b.current_at === last);
    const peak = Math.max(...values);
    let maxDd = 0;
    let run = values[0];
    for (const v of values) {
      run = Math.max(run, v);
      maxDd = Math.max(maxDd, 1 - v / run);
    }
    expect(state.peak_value).toBe(`${peak}.00`);
    expect(state.current_value).toBe(`${values[199]}.00`);
    expect(state.max_drawdown).toBeCloseTo(maxDd, 12);
  });
});
