import { randomUUID } from 'node:crypto';
import { AckPolicy, connect, DeliverPolicy, JSONCodec, NatsConnection } from 'nats';
import { NatsConnectionService } from '../src/events/nats-connection.service';
import { startBenchApp } from './bench-app';

const json = JSONCodec();

type Call = (method: string, path: string, body?: unknown) => Promise<any>;

/**
 * NAV updates per second through NATS: `n` updates published to JetStream (interleaved over
 * `portfolios` new portfolios, each portfolio's times increasing), consumed by the durable consumer;
 * from the first publish until GET …/drawdown shows every portfolio's last update.
 */
export async function measureNav(nc: NatsConnection, call: Call, run: string, portfolios: number, n = 5000): Promise<number> {
  await caughtUp(nc);
  const js = nc.jetstream();
  const ids = Array.from({ length: portfolios }, (_, k) => `nav-${run}-${portfolios}-${k}`);
  for (const id of ids) await call('POST', '/v1/portfolios', { id, name: id });
  const tNav = Date.now();
  const at = (i: number) => new Date(tNav + i).toISOString();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: n }, (_, i) => js.publish('risk.nav.updated', json.encode({ portfolio_id: ids[i % portfolios], value: String(1_000_000 + (i % 97) * 100), at: at(i) }))),
  );
  const lastOf = (k: number) => at(n - portfolios + k);
  for (let k = 0; k < portfolios; ) {
    const s = await call('GET', `/v1/portfolios/${ids[k]}/drawdown`).catch(() => null);
    if (s?.current_at === lastOf(k)) {
      k++;
      continue;
    }
    if (performance.now() - t0 > 120_000) throw new Error('NAV updates not processed within 120 s');
    await new Promise((r) => setTimeout(r, 20));
  }
  return Math.round(n / ((performance.now() - t0) / 1000));
}

/**
 * Makes the bench's NAV durable (NATS_NAV_DURABLE, one per bench process) before the service starts,
 * starting at the next message: the service finds it and uses it, and the stream's older NAV messages
 * (earlier runs, tests) are not consumed first and counted in the figures.
 */
export async function freshNavDurable(): Promise<void> {
  process.env.NATS_URL ??= 'nats://127.0.0.1:4222';
  process.env.NATS_NAV_DURABLE ??= `risk-service-nav-bench-${process.pid}`;
  const nc = await connect({ servers: process.env.NATS_URL });
  try {
    await (await nc.jetstreamManager()).consumers.add('RISK', {
      durable_name: process.env.NATS_NAV_DURABLE,
      filter_subject: 'risk.nav.updated',
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.New,
      ack_wait: 10e9,
      max_ack_pending: 1000,
      max_deliver: Number(process.env.NATS_NAV_MAX_DELIVER ?? 20),
      inactive_threshold: 300e9,
    });
  } finally {
    await nc.close();
  }
}

/** Waits until the service's durable has nothing pending (the previous figure's messages all acknowledged). */
async function caughtUp(nc: NatsConnection): Promise<void> {
  const jsm = await nc.jetstreamManager();
  const end = Date.now() + 300_000;
  for (;;) {
    const info = await jsm.consumers.info('RISK', process.env.NATS_NAV_DURABLE!).catch(() => null);
    if (info && info.num_pending + info.num_ack_pending === 0) return;
    if (Date.now() > end) throw new Error(`the NAV durable did not catch up within 300 s: ${info?.num_pending} pending`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `node dist/bench/run.js nav`: the NAV figures alone (one portfolio, then 20), `runs` times each. */
export async function runNavBench(runs = 3): Promise<Record<string, number[]>> {
  await freshNavDurable();
  const { app, call } = await startBenchApp();
  const nc = await connect({ servers: process.env.NATS_URL });
  await app.get(NatsConnectionService).jetstream();
  const figures: Record<string, number[]> = { nav_updates_per_second: [], nav_updates_per_second_20_portfolios: [] };
  for (let r = 0; r < runs; r++) {
    const run = randomUUID().slice(0, 8);
    figures.nav_updates_per_second.push(await measureNav(nc, call, run, 1));
    figures.nav_updates_per_second_20_portfolios.push(await measureNav(nc, call, run, 20));
  }
  await nc.close();
  await app.close();
  return figures;
}
