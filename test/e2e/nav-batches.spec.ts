import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AckPolicy, connect, DeliverPolicy, JSONCodec, NatsConnection } from 'nats';
import { Client } from 'pg';
import { ensureBuilt, LogLine, ServiceProcess } from '../../bench/service-process';
import { NatsConnectionService } from '../../src/events/nats-connection.service';
import { api } from '../support/api';
import { DrawdownLimit, expectedDrawdown, NavPoint, navWalk } from '../support/drawdown-reference';
import { startHttpApp } from '../support/http-app';

const json = JSONCodec();
const PORTFOLIOS = 20;
const PER_PORTFOLIO = 250; // 5,000 updates

async function until<T>(what: string, probe: () => Promise<T>, check: (v: T) => boolean, ms = 90_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (check(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: last ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A durable of the test's own that starts at the next message (earlier runs' NAV messages are not the test's). */
async function freshDurable(nc: NatsConnection, ackWaitMs = 10_000): Promise<string> {
  const durable = `nav-batches-${randomUUID().slice(0, 8)}`;
  await (await nc.jetstreamManager()).consumers.add('RISK', {
    durable_name: durable,
    filter_subject: 'risk.nav.updated',
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.New,
    ack_wait: ackWaitMs * 1e6,
    max_ack_pending: 1000,
    max_deliver: 20,
    inactive_threshold: 300 * 1e9,
  });
  return durable;
}

/** 20 portfolios with max_drawdown_percent 5 in force, and each one's walk of 250 NAVs (times from t0, one minute apart). */
async function desks(a: ReturnType<typeof api>, t0: number) {
  const tag = randomUUID().slice(0, 8);
  const ids = Array.from({ length: PORTFOLIOS }, (_, k) => `navb-${tag}-${k}`);
  for (const id of ids) {
    expect((await a.post('/v1/portfolios', { id, name: id })).status).toBe(201);
    expect((await a.put(`/v1/portfolios/${id}/limits`, { max_drawdown_percent: 5 })).status).toBe(200);
  }
  const walks = ids.map((_, k) => navWalk(PER_PORTFOLIO, 1000 + k, t0));
  const limits: DrawdownLimit[][] = ids.map(() => [{ from: new Date(0), maxDrawdownPercent: 5 }]);
  return { ids, walks, limits };
}

/** Update i of every portfolio, then i + 1 …: the portfolios interleaved in the stream. */
async function publish(nc: NatsConnection, ids: string[], walks: NavPoint[][], from: number, to: number) {
  const js = nc.jetstream();
  const pending: Promise<unknown>[] = [];
  for (let i = from; i < to; i++) {
    for (const [k, id] of ids.entries()) pending.push(js.publish('risk.nav.updated', json.encode({ portfolio_id: id, value: String(walks[k][i].value), at: walks[k][i].at.toISOString() })));
  }
  await Promise.all(pending);
}

/** Each portfolio's state, drawdown events, DRAWDOWN alerts and risk.drawdown.alert outbox rows equal those of its own sequence. */
async function expectExact(db: Client, a: ReturnType<typeof api>, ids: string[], walks: NavPoint[][], limits: DrawdownLimit[][]) {
  let changes = 0;
  for (const [k, id] of ids.entries()) {
    const want = expectedDrawdown(walks[k], limits[k]);
    const state = (await a.get(`/v1/portfolios/${id}/drawdown`)).body;
    expect({ id, peak: state.peak_value, current: state.current_value, at: state.current_at, status: state.status }).toEqual({
      id,
      peak: `${want.peak}.00`,
      current: `${want.current}.00`,
      at: want.currentAt.toISOString(),
      status: want.status,
    });
    expect(state.max_drawdown).toBeCloseTo(want.maxDrawdown, 12);
    const events = await db.query(`SELECT from_status || '->' || to_status AS change FROM drawdown_events WHERE portfolio_id = $1 ORDER BY at`, [id]);
    expect(events.rows.map((r) => r.change)).toEqual(want.changes.map((c) => `${c.from}->${c.to}`));
    const outbox = await db.query(`SELECT count(*)::int AS n FROM outbox_events WHERE payload->>'portfolio_id' = $1 AND subject = 'risk.drawdown.alert'`, [id]);
    expect(outbox.rows[0].n).toBe(want.changes.length);
    const alerts = await db.query(`SELECT count(*)::int AS n FROM alerts WHERE portfolio_id = $1 AND type = 'DRAWDOWN'`, [id]);
    expect(alerts.rows[0].n).toBe(want.alertsOpened);
    changes += want.changes.length;
  }
  expect(changes).toBeGreaterThan(PORTFOLIOS); // the walks do cross the thresholds
}

/**
 * NAV updates through JetStream in batches (NavConsumerService): 5,000 updates over 20 portfolios
 * end in each portfolio's exact state, with one drawdown event, one risk.drawdown.alert and the
 * alerts of each status change; with two replicas on one durable, one of them killed mid-stream,
 * the same. Batch mechanics (poison in a batch, failed groups, redeliveries) are specified in
 * test/services/nav-consumer.spec.ts.
 */
describe('NAV updates through JetStream in batches', () => {
  let nc: NatsConnection;
  let db: Client;

  beforeAll(async () => {
    nc = await connect({ servers: process.env.NATS_URL });
    db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
  });
  afterAll(async () => {
    await nc?.close();
    await db?.end();
  });

  describe('one service', () => {
    let app: NestFastifyApplication;
    let url: string;
    beforeAll(async () => {
      ({ app, url } = await startHttpApp({ NATS_NAV_DURABLE: await freshDurable(nc) }));
      await app.get(NatsConnectionService).jetstream();
    });
    afterAll(async () => {
      await app?.close();
    });

    it('applies 5,000 updates over 20 portfolios exactly as each portfolio\'s sequence, with a limit version scheduled mid-stream', async () => {
      const a = api(url);
      const t0 = Date.now() + 86_400_000; // NAV times after the limits took force
      const { ids, walks, limits } = await desks(a, t0);
      await publish(nc, ids, walks, 0, PER_PORTFOLIO / 2);
      // While the first half is consumed: portfolio 0's limit tightens to 2 % from its 150th NAV on.
      const from = walks[0][150].at;
      expect((await a.put(`/v1/portfolios/${ids[0]}/limits`, { max_drawdown_percent: 2, effective_date: from.toISOString() })).status).toBe(200);
      limits[0].push({ from, maxDrawdownPercent: 2 });
      await publish(nc, ids, walks, PER_PORTFOLIO / 2, PER_PORTFOLIO);
      const last = (k: number) => walks[k][PER_PORTFOLIO - 1].at.toISOString();
      for (const [k, id] of ids.entries()) await until(`${id}'s last NAV`, () => a.get(`/v1/portfolios/${id}/drawdown`).then((r) => r.body.current_at), (v) => v === last(k));
      await expectExact(db, a, ids, walks, limits);
    }, 180_000);
  });

  describe('two replicas on one durable', () => {
    const ACK_WAIT_MS = 3000;
    let replicas: ServiceProcess[] = [];

    beforeAll(async () => {
      ensureBuilt();
      const durable = await freshDurable(nc, ACK_WAIT_MS);
      const options = { captureLogs: true, env: { LOG_LEVEL: 'info', NATS_NAV_DURABLE: durable } };
      replicas = await Promise.all([ServiceProcess.start('nav-a', options), ServiceProcess.start('nav-b', options)]);
    }, 240_000);
    afterAll(async () => {
      await Promise.all(replicas.map((r) => r.stop()));
    });

    it('lets one replica consume at a time; after it is killed mid-stream the other takes over and every portfolio is still exact', async () => {
      const consuming = (l: LogLine) => /^consuming risk\.nav\.updated/.test(l.msg);
      const standingBy = (l: LogLine) => /standing by/.test(l.msg);
      const first = await until('a consuming replica', async () => replicas.find((r) => r.lines.some(consuming)), (r) => r !== undefined, 30_000);
      const other = replicas.find((r) => r !== first)!;
      await other.waitForLine(standingBy);
      expect(other.lines.some(consuming)).toBe(false);

      const a = api(other.url);
      const t0 = Date.now() + 86_400_000;
      const { ids, walks, limits } = await desks(a, t0);
      await publish(nc, ids, walks, 0, PER_PORTFOLIO / 2);
      // Killed once it has applied some of the stream, with more in hand.
      await until('a first NAV applied', () => a.get(`/v1/portfolios/${ids[0]}/drawdown`).then((r) => r.status), (s) => s === 200, 30_000);
      await first!.kill('SIGKILL');
      // Newer updates published while the survivor takes over: they must not overtake the dead replica's unacknowledged ones.
      await publish(nc, ids, walks, PER_PORTFOLIO / 2, PER_PORTFOLIO);
      await other.waitForLine(consuming, 30_000);
      // It held back until the dead replica's unacknowledged messages were due again (the case this test is about).
      expect(other.lines.some((l) => /taken by an earlier consumer are unacknowledged/.test(l.msg))).toBe(true);
      const last = (k: number) => walks[k][PER_PORTFOLIO - 1].at.toISOString();
      for (const [k, id] of ids.entries()) await until(`${id}'s last NAV`, () => a.get(`/v1/portfolios/${id}/drawdown`).then((r) => r.body.current_at), (v) => v === last(k));
      await expectExact(db, a, ids, walks, limits);
    }, 240_000);
  });
});
