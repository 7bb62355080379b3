import { TestingModule } from '@nestjs/testing';
import { getToken } from '@willsoto/nestjs-prometheus';
import type { JsMsg } from 'nats';
import type { Counter } from 'prom-client';
import { DataSource } from 'typeorm';
import { InvalidInputError } from '../../src/math/errors';
import { DrawdownModule } from '../../src/drawdown/drawdown.module';
import { DrawdownMonitorService } from '../../src/drawdown/drawdown-monitor.service';
import { NAV_BATCH_MAX, NavConsumerService } from '../../src/drawdown/nav-consumer.service';
import { METRIC } from '../../src/observability/metrics';
import { DrawdownLimit, expectedDrawdown, NavPoint, navWalk } from '../support/drawdown-reference';
import { Fixtures, startServices } from './support';

/** A JetStream message as the consumer sees it, recording what was done with it. */
interface FakeMsg {
  seq: number;
  data: Uint8Array;
  headers: undefined;
  info: { redeliveryCount: number; timestampNanos: number };
  done: Array<'ack' | 'nak' | 'term'>;
  ack(): void;
  nak(): void;
  term(): void;
}

let streamSeq = 0;
function message(body: unknown, raw?: string): FakeMsg {
  return {
    seq: ++streamSeq,
    data: new Uint8Array(Buffer.from(raw ?? JSON.stringify(body))),
    headers: undefined,
    info: { redeliveryCount: 1, timestampNanos: Date.now() * 1e6 },
    done: [],
    ack() { this.done.push('ack'); },
    nak() { this.done.push('nak'); },
    term() { this.done.push('term'); },
  };
}
/** The same message delivered again (after a nak, an expired ack wait, a crash). */
const redelivered = (m: FakeMsg): FakeMsg => ({ ...m, info: { ...m.info, redeliveryCount: m.info.redeliveryCount + 1 }, done: [] });
const asJs = (ms: FakeMsg[]) => ms as unknown as JsMsg[];

/**
 * The NAV consumer's batches (NavConsumerService.handleBatch, fed the messages a JetStream pull
 * would hand it) against the real database: grouping per portfolio, one transaction per group, poison
 * messages terminated one by one, and redeliveries after a failed or interrupted batch applied once.
 * The path through JetStream itself is test/e2e/nav-batches.spec.ts.
 */
describe('NavConsumerService batches', () => {
  let moduleRef: TestingModule;
  let consumer: NavConsumerService;
  let monitor: DrawdownMonitorService;
  let db: DataSource;
  let fx: Fixtures;
  const t0 = Date.UTC(2026, 9, 1);
  const limits: DrawdownLimit[] = [{ from: new Date(t0 - 86_400_000), maxDrawdownPercent: 5 }];

  beforeAll(async () => {
    moduleRef = await startServices(DrawdownModule);
    consumer = moduleRef.get(NavConsumerService);
    monitor = moduleRef.get(DrawdownMonitorService);
    db = moduleRef.get(DataSource);
    fx = new Fixtures(moduleRef);
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await moduleRef.close();
  });

  const desks = async (n: number) => {
    const ids: string[] = [];
    for (let k = 0; k < n; k++) {
      const p = await fx.portfolio('navb');
      await fx.limits(p, { maxDrawdownPercent: 5, effectiveDate: limits[0].from });
      ids.push(p);
    }
    return ids;
  };
  /** Each portfolio's walk, interleaved in stream order (update i of every portfolio, then i + 1 …). */
  const interleave = (ids: string[], walks: NavPoint[][]) =>
    walks[0].flatMap((_, i) => ids.map((p, k) => message({ portfolio_id: p, value: String(walks[k][i].value), at: walks[k][i].at.toISOString() })));
  const batches = (ms: FakeMsg[]) => Array.from({ length: Math.ceil(ms.length / NAV_BATCH_MAX) }, (_, b) => ms.slice(b * NAV_BATCH_MAX, (b + 1) * NAV_BATCH_MAX));

  const stored = async (p: string) => {
    const [state] = await db.query(`SELECT peak_value, current_value, current_at, max_drawdown, status FROM drawdown_states WHERE portfolio_id = $1`, [p]);
    const events = await db.query(`SELECT from_status, to_status FROM drawdown_events WHERE portfolio_id = $1 ORDER BY at`, [p]);
    const [{ n: alerts }] = await db.query(`SELECT count(*)::int AS n FROM alerts WHERE portfolio_id = $1 AND type = 'DRAWDOWN'`, [p]);
    const [{ n: outbox }] = await db.query(`SELECT count(*)::int AS n FROM outbox_events WHERE payload->>'portfolio_id' = $1 AND subject = 'risk.drawdown.alert'`, [p]);
    return { state, events: events.map((e: any) => `${e.from_status}->${e.to_status}`), alerts, outbox };
  };
  const expectExactly = async (p: string, walk: NavPoint[], lim = limits) => {
    const want = expectedDrawdown(walk, lim);
    const got = await stored(p);
    expect(Number(got.state.peak_value)).toBe(want.peak);
    expect(Number(got.state.current_value)).toBe(want.current);
    expect(new Date(got.state.current_at).toISOString()).toBe(want.currentAt.toISOString());
    expect(got.state.max_drawdown).toBeCloseTo(want.maxDrawdown, 14);
    expect(got.state.status).toBe(want.status);
    expect(got.events).toEqual(want.changes.map((c) => `${c.from}->${c.to}`));
    expect(got.outbox).toBe(want.changes.length);
    expect(got.alerts).toBe(want.alertsOpened);
    return want;
  };

  it('applies interleaved updates of several portfolios batch by batch, each portfolio exactly as its own sequence', async () => {
    const ids = await desks(4);
    const walks = ids.map((_, k) => navWalk(300, 11 + k, t0));
    const msgs = interleave(ids, walks);
    for (const b of batches(msgs)) await consumer.handleBatch(asJs(b));
    expect(msgs.every((m) => m.done.join() === 'ack')).toBe(true);
    for (const [k, p] of ids.entries()) expect((await expectExactly(p, walks[k])).changes.length).toBeGreaterThan(2);
  });

  it('writes each portfolio of a batch in one transaction: the state row once, whatever the number of its updates', async () => {
    const [p] = await desks(1);
    const walk = navWalk(200, 5, t0);
    const before = (await db.query(`SELECT version FROM drawdown_states WHERE portfolio_id = $1`, [p]))[0]?.version ?? 0;
    const spy = jest.spyOn(monitor, 'applyBatch');
    await consumer.handleBatch(asJs(walk.map((w) => message({ portfolio_id: p, value: String(w.value), at: w.at.toISOString() }))));
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy.mock.calls[0][1]).toHaveLength(200);
    const [{ version }] = await db.query(`SELECT version FROM drawdown_states WHERE portfolio_id = $1`, [p]);
    expect(version - before).toBe(1);
    await expectExactly(p, walk);
  });

  it('terminates poison messages in the middle of a batch one by one, counts them, and applies the rest of the batch', async () => {
    const [p, q] = await desks(2);
    const counter = moduleRef.get<Counter>(getToken(METRIC.navRejected));
    const count = async () => Object.fromEntries((await counter.get()).values.map((v) => [v.labels.reason, v.value]));
    const before = await count();
    const walkP = navWalk(60, 21, t0);
    const walkQ = navWalk(60, 22, t0);
    const good = (p2: string, w: NavPoint) => message({ portfolio_id: p2, value: String(w.value), at: w.at.toISOString() });
    const poison = [
      message(undefined, '{"portfolio_id": "x", "value": '),
      message({ portfolio_id: p, value: '-5', at: walkP[30].at.toISOString() }),
      message({ portfolio_id: `${p}\u0000`, value: '100' }),
      message({ portfolio_id: 'no-such-desk-x1', value: '100', at: walkP[30].at.toISOString() }),
      message({ portfolio_id: q, value: '100', at: 'yesterday' }),
    ];
    const batch = [...walkP.slice(0, 30).map((w) => good(p, w)), ...walkQ.slice(0, 30).map((w) => good(q, w)), ...poison, ...walkP.slice(30).map((w) => good(p, w)), ...walkQ.slice(30).map((w) => good(q, w))];
    await consumer.handleBatch(asJs(batch));
    expect(poison.map((m) => m.done.join())).toEqual(['term', 'term', 'term', 'term', 'term']);
    expect(batch.filter((m) => !poison.includes(m)).every((m) => m.done.join() === 'ack')).toBe(true);
    const after = await count();
    const delta = Object.fromEntries(['bad_json', 'invalid_value', 'invalid_portfolio_id', 'unknown_portfolio', 'invalid_message'].map((r) => [r, (after[r] ?? 0) - (before[r] ?? 0)]));
    expect(delta).toEqual({ bad_json: 1, invalid_value: 1, invalid_portfolio_id: 1, unknown_portfolio: 1, invalid_message: 1 });
    await expectExactly(p, walkP);
    await expectExactly(q, walkQ);
  });

  it('applies a group that fails for a permanent reason again one message at a time: only the offending message is terminated', async () => {
    const [p] = await desks(1);
    const walk = navWalk(40, 31, t0);
    const msgs = walk.map((w) => message({ portfolio_id: p, value: String(w.value), at: w.at.toISOString() }));
    const real = monitor.applyBatch.bind(monitor);
    const cursed = walk[17].at.getTime();
    // A failure only one message can cause (as a maths error on its figures would): the 18th.
    jest.spyOn(monitor, 'applyBatch').mockImplementation(async (id, ups) => {
      if (ups.some((u) => u.at.getTime() === cursed)) throw new InvalidInputError('not computable for this update');
      return real(id, ups);
    });
    await consumer.handleBatch(asJs(msgs));
    expect(msgs.map((m) => m.done.join())).toEqual(msgs.map((_, i) => (i === 17 ? 'term' : 'ack')));
    await expectExactly(p, walk.filter((_, i) => i !== 17));
  });

  it('redelivers the group whose transaction failed, leaves the others committed, and applies nothing twice when the whole batch comes back', async () => {
    const ids = await desks(5);
    const walks = ids.map((_, k) => navWalk(100, 41 + k, t0));
    const msgs = interleave(ids, walks); // 500 messages: two batches
    const [first, second] = batches(msgs);
    const real = monitor.applyBatch.bind(monitor);
    const failing = ids[2];
    jest.spyOn(monitor, 'applyBatch').mockImplementation(async (id, ups) => {
      if (id === failing) throw new Error('Connection terminated unexpectedly');
      return real(id, ups);
    });
    await consumer.handleBatch(asJs(first));
    const portfolioOf = (m: FakeMsg) => JSON.parse(Buffer.from(m.data).toString()).portfolio_id;
    expect(first.filter((m) => portfolioOf(m) === failing).map((m) => m.done.join())).toEqual(Array(51).fill('nak')); // 256 messages over 5 portfolios
    expect(first.filter((m) => portfolioOf(m) !== failing).every((m) => m.done.join() === 'ack')).toBe(true);
    jest.restoreAllMocks();
    // The replica dies here: none of the first batch's acks counted, so all of it comes back (ahead of the second batch).
    const again = first.map(redelivered);
    await consumer.handleBatch(asJs(again));
    await consumer.handleBatch(asJs(second));
    expect([...again, ...second].every((m) => m.done.join() === 'ack')).toBe(true);
    for (const [k, p] of ids.entries()) await expectExactly(p, walks[k]);
  });

  it('applies nothing twice when a replica dies between the commit and the acks of a group', async () => {
    const [p, q] = await desks(2);
    const walkP = navWalk(120, 51, t0);
    const walkQ = navWalk(120, 52, t0);
    const msgs = interleave([p, q], [walkP, walkQ]);
    const real = monitor.applyBatch.bind(monitor);
    jest.spyOn(monitor, 'applyBatch').mockImplementation(async (id, ups) => {
      const out = await real(id, ups); // committed
      if (id === p) throw new Error('socket hang up'); // … and the process is gone before it acks
      return out;
    });
    await consumer.handleBatch(asJs(msgs));
    jest.restoreAllMocks();
    const once = await stored(p);
    const spy = jest.spyOn(monitor, 'applyBatch');
    const again = msgs.map(redelivered);
    await consumer.handleBatch(asJs(again));
    expect(again.every((m) => m.done.join() === 'ack')).toBe(true);
    expect((await Promise.all(spy.mock.results.map((r) => r.value))).flatMap((o) => o.applied).some(Boolean)).toBe(false);
    expect(await stored(p)).toEqual(once);
    await expectExactly(p, walkP);
    await expectExactly(q, walkQ);
  });

  it('sees a limit version written between two batches (the cached history is checked in every transaction)', async () => {
    const [p] = await desks(1);
    const walk = navWalk(200, 61, t0);
    const msgs = walk.map((w) => message({ portfolio_id: p, value: String(w.value), at: w.at.toISOString() }));
    await consumer.handleBatch(asJs(msgs.slice(0, 100)));
    // Written by another writer (another replica, the limits API): 1 % from update 120 on.
    const tighter: DrawdownLimit = { from: walk[120].at, maxDrawdownPercent: 1 };
    await fx.limits(p, { maxDrawdownPercent: 1, effectiveDate: tighter.from });
    await consumer.handleBatch(asJs(msgs.slice(100)));
    const want = await expectExactly(p, walk, [...limits, tighter]);
    expect(want).not.toEqual(expectedDrawdown(walk, limits)); // the new version did change the outcome
  });

  it('takes the time JetStream stored a message without `at` as its time, so its redelivery is not applied again', async () => {
    const [p] = await desks(1);
    const m = message({ portfolio_id: p, value: '1000000' });
    m.info.timestampNanos = Date.UTC(2026, 9, 5) * 1e6;
    await consumer.handleBatch(asJs([m]));
    const spy = jest.spyOn(monitor, 'applyBatch');
    await consumer.handleBatch(asJs([redelivered(m)]));
    expect((await spy.mock.results[0].value).applied).toEqual([false]);
    expect(new Date((await stored(p)).state.current_at).toISOString()).toBe('2026-10-05T00:00:00.000Z');
  });
});
