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

/** The drawdown monitor's HTTP and NATS wiring; the monitor itself is specified in test/services/drawdown-monitor.service.spec.ts. */
describe('live drawdown monitor over HTTP and NATS', () => {
  let app: NestFastifyApplication;
  let url: string;
  let nc: NatsConnection;
  let a: ReturnType<typeof api>;

  beforeAll(async () => {
    ({ app, url } = await startHttpApp());
    a = api(url);
    nc = await connect({ servers: process.env.NATS_URL });
    await app.get(NatsConnectionService).jetstream();
  });
  afterAll(async () => {
    await nc.close();
    await app?.close();
  });

  it('takes NAV over HTTP, answers the state on GET …/drawdown, and publishes a status change on risk.drawdown.alert', async () => {
    const pid = `dd-${randomUUID().slice(0, 8)}`;
    await a.post('/v1/portfolios', { id: pid, name: 'Drawdown desk' });
    await a.put(`/v1/portfolios/${pid}/limits`, { max_drawdown_percent: 10 });
    const opts = consumerOpts();
    opts.orderedConsumer();
    opts.filterSubject('risk.drawdown.alert');
    opts.deliverNew();
    const sub = await nc.jetstream().subscribe('risk.drawdown.alert', opts);
    const ours = (async () => {
      for await (const m of sub) {
        const e = json.decode(m.data) as any;
        if (e.portfolio_id === pid) return { event: e, corr: m.headers?.get('x-correlation-id') };
      }
    })();
    // NAV times after the limit took force (the limit in force at a NAV's time applies).
    const t0 = Date.now() + 1000;
    const at = (i: number) => new Date(t0 + i * 1000).toISOString();
    expect((await a.post(`/v1/portfolios/${pid}/nav`, { value: '1100000', at: at(0) })).body).toMatchObject({ status: 'ok', applied: true });
    const warn = await a.post(`/v1/portfolios/${pid}/nav`, { value: '1010000', at: at(1) }).set('x-correlation-id', `nav-${pid}`);
    expect(warn.status).toBe(200);
    expect(warn.body).toMatchObject({ portfolio_id: pid, status: 'warning', peak_value: '1100000.00', current_value: '1010000.00', applied: true });
    const got = await Promise.race([ours, new Promise<never>((_, rej) => setTimeout(() => rej(new Error('no drawdown event within 10 s')), 10_000))]);
    sub.unsubscribe();
    expect(got!.event).toMatchObject({ type: 'risk.drawdown.alert', correlation_id: `nav-${pid}`, data: { from_status: 'ok', to_status: 'warning', at: at(1) } });
    expect(got!.corr).toBe(`nav-${pid}`);
    const { applied: _applied, ...state } = warn.body;
    expect((await a.get(`/v1/portfolios/${pid}/drawdown`)).body).toEqual(state);
  });

  it('answers GET …/drawdown with 404 before the first NAV', async () => {
    const pid = `dd-${randomUUID().slice(0, 8)}`;
    await a.post('/v1/portfolios', { id: pid, name: 'No NAV yet' });
    expect((await a.get(`/v1/portfolios/${pid}/drawdown`)).body).toMatchObject({ status_code: 404, error_type: 'NOT_FOUND' });
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
