import { randomUUID } from 'node:crypto';
import { Xoshiro128 } from '../src/math';
import { backToBack, histogramOf, loadTest, LoadResult, pausedLoop, quantile, shareAbove, Target } from './http-load';
import { inTurns } from './harness';
import { ensureBuilt, ServiceProcess } from './service-process';
import { runPreTradeBench } from './pretrade.bench';
import { restCaller, storeBook } from './books';

/** One figure measured on both servers. */
export interface HttpBenchRow {
  figure: string;
  unit: string;
  service: number;
  bare: number;
  /** service / bare for throughput; bare / service for a latency, so that 1 is parity and less is worse either way. */
  ratio: number;
  detail?: Record<string, unknown>;
}

const returns = (n: number, seed: number) => {
  const rng = new Xoshiro128(seed);
  return Array.from({ length: n }, () => Math.round(0.01 * rng.nextNormal() * 1e6) / 1e6);
};

/**
 * `npm run bench:http`: the service (built, `node dist/src/main.js`, on PostgreSQL) and a bare
 * node:http server doing the same work (bench/bare-server.ts), each in its own process, loaded
 * one after the other by the same client in this process (autocannon; keep-alive). Prints both and
 * the ratio for each figure of issue 11, the two servers alternating in BENCH_HTTP_ROUNDS rounds
 * (default 5, the first server alternating; the median round's figures and ratio are printed).
 * BENCH_HTTP_SECONDS (default 5) per server and round for a throughput figure,
 * BENCH_HTTP_LOOP_CALLS (default 1,000) per server for the paced loop, split over the rounds.
 */
export async function runHttpBench(): Promise<{ rows: HttpBenchRow[]; settings: Record<string, unknown> }> {
  const seconds = Number(process.env.BENCH_HTTP_SECONDS ?? 5);
  const rounds = Number(process.env.BENCH_HTTP_ROUNDS ?? 5);
  const loopCalls = Number(process.env.BENCH_HTTP_LOOP_CALLS ?? 1000);
  const key = `bench-${randomUUID()}`;
  ensureBuilt();
  const service = await ServiceProcess.start('service', {
    env: {
      // As deployed: PostgreSQL, Redis (the shared rate limit) and NATS (its request handlers).
      DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      NATS_URL: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
      ADMIN_API_KEY: key,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info', // as deployed: one log line per request
      // The limiter runs and counts every request (in Redis when REDIS_URL is set), but a bench
      // sends more than the default 60,000 a minute with one key.
      RATE_LIMIT_PER_MINUTE: '1000000000',
    },
  });
  const bare = await ServiceProcess.start('bare', { args: ['dist/bench/bare-server.js'], readyPath: '/health/live' });
  const rows: HttpBenchRow[] = [];
  try {
    const target = (s: ServiceProcess, method: Target['method'], path: string, body?: unknown): Target => ({
      url: s.url, method, path, headers: s === service ? { 'x-api-key': key } : {}, body: body === undefined ? undefined : JSON.stringify(body),
    });
    // Service and bare alternate in `rounds` rounds, each figure's ratio the median of the rounds'
    // ratios: this machine's speed drifts by tens of percent within minutes, and two measurements a
    // few seconds apart share the drift where two minutes apart do not.
    const both = async (figure: string, method: Target['method'], path: string, body: unknown, connections: number) => {
      const perRound: Array<{ service: LoadResult; bare: LoadResult; ratio: number }> = [];
      for (let round = 0; round < rounds; round++) {
        const one = (server: ServiceProcess) => () => loadTest(target(server, method, path, body), connections, seconds);
        const [s, b] = await inTurns(round, one(service), one(bare));
        perRound.push({ service: s, bare: b, ratio: s.requests_per_sec / b.requests_per_sec });
      }
      const mid = median(perRound, (r) => r.ratio);
      rows.push({ figure, unit: 'req/s', service: mid.service.requests_per_sec, bare: mid.bare.requests_per_sec, ratio: round(mid.ratio), detail: { service: mid.service, bare: mid.bare, rounds: perRound.map((r) => ({ service: r.service.requests_per_sec, bare: r.bare.requests_per_sec, ratio: round(r.ratio) })) } });
    };
    const var20 = { returns: returns(20, 1), confidence: 95, portfolio_value: '1000000' };
    const var1000 = { returns: returns(1000, 2), confidence: 99, portfolio_value: '1000000' };
    await both('GET /health/live, 1 connection', 'GET', '/health/live', undefined, 1);
    await both('POST /v1/var 20 returns, 1 connection', 'POST', '/v1/var', var20, 1);
    await both('POST /v1/var 1,000 returns, 16 connections', 'POST', '/v1/var', var1000, 16);
    await both('POST /v1/var 1,000 returns, 100 connections', 'POST', '/v1/var', var1000, 100);
    const p99 = rows[rows.length - 1].detail as { service: LoadResult; bare: LoadResult };
    rows.push({ figure: 'POST /v1/var 1,000 returns, 100 connections: p99', unit: 'ms', service: p99.service.p99_ms, bare: p99.bare.p99_ms, ratio: round(p99.bare.p99_ms / p99.service.p99_ms) });

    // The original design's loop: one client, a 10 ms pause after each call, 1,000 returns.
    const metrics = async () => (await fetch(`${service.url}/metrics`)).text();
    const httpHist = (text: string) => histogramOf(text, 'http_request_duration_seconds', { method: 'POST', route: '/v1/var', status_code: '200' });
    const mathHist = (text: string) => histogramOf(text, 'risk_calculation_duration_seconds', { method: 'historical' });
    // Alternating rounds here too (loopCalls in all per server), the median round's ratio.
    const loops: Array<{ service: number[]; bare: number[]; ratio: number }> = [];
    let http = { above: 0, total: 0 };
    let maths = { above: 0, total: 0 };
    for (let r = 0; r < rounds; r++) {
      const calls = Math.ceil(loopCalls / rounds);
      let before = '';
      let after = '';
      const serviceLoop = async () => {
        const wire = await pausedLoop(target(service, 'POST', '/v1/var', var1000), calls, 10, async () => (before = await metrics()));
        after = await metrics();
        return wire.sort((a, b) => a - b);
      };
      const bareLoop = async () => (await pausedLoop(target(bare, 'POST', '/v1/var', var1000), calls, 10)).sort((a, b) => a - b);
      const [sWire, bWire] = await inTurns(r, serviceLoop, bareLoop);
      loops.push({ service: sWire, bare: bWire, ratio: quantile(bWire, 0.5) / quantile(sWire, 0.5) });
      const h = shareAbove(httpHist(before), httpHist(after), 0.001);
      const m = shareAbove(mathHist(before), mathHist(after), 0.001);
      http = { above: http.above + h.above, total: http.total + h.total };
      maths = { above: maths.above + m.above, total: maths.total + m.total };
    }
    const midLoop = median(loops, (l) => l.ratio);
    const sWire = loops.flatMap((l) => l.service).sort((a, b) => a - b);
    const bWire = loops.flatMap((l) => l.bare).sort((a, b) => a - b);
    const over = (w: number[]) => w.filter((x) => x > 1000).length / w.length;
    rows.push({
      figure: 'paced loop (1 client, 10 ms pause, 1,000 returns): wire p50', unit: 'µs', service: round(quantile(midLoop.service, 0.5)), bare: round(quantile(midLoop.bare, 0.5)), ratio: round(midLoop.ratio),
      detail: { calls: sWire.length, all_rounds_service_p50_us: round(quantile(sWire, 0.5)), all_rounds_bare_p50_us: round(quantile(bWire, 0.5)), service_p99_us: round(quantile(sWire, 0.99)), bare_p99_us: round(quantile(bWire, 0.99)), rounds: loops.map((l) => ({ service_p50_us: round(quantile(l.service, 0.5)), bare_p50_us: round(quantile(l.bare, 0.5)), ratio: round(l.ratio) })) },
    });
    rows.push({ figure: 'paced loop: share of calls over 1 ms on the wire', unit: '%', service: round(100 * over(sWire)), bare: round(100 * over(bWire)), ratio: NaN });
    rows.push({
      figure: 'paced loop: share over 1 ms by the service\'s http_request_duration_seconds',
      unit: '%', service: round((100 * http.above) / http.total), bare: NaN, ratio: NaN,
      detail: { observations: http.total, maths_histogram_over_1ms_percent: round((100 * maths.above) / maths.total), maths_observations: maths.total },
    });

    // risk.pretrade.check as deployed (issue 14): the service in its own process, a plain `nats`
    // client in this process, a bare NATS echo (same message sizes) in a process of its own, one request at a time.
    const natsHist = (text: string) => histogramOf(text, 'risk_nats_request_duration_seconds', { subject: 'risk.pretrade.check', status_code: '200' });
    const beforeChecks = natsHist(await metrics());
    const f = await preTradeFromOwnProcess(service, key);
    const afterChecks = natsHist(await metrics());
    for (const method of ['historical', 'parametric']) {
      for (const q of ['p50', 'p99']) {
        const s = f[`pretrade_${method}_${q}_us`];
        const b = f[`nats_echo_${method}_${q}_us`];
        rows.push({ figure: `risk.pretrade.check ${method}, 10 assets × 1,000 dates, warm (bare: NATS echo, own process): ${q}`, unit: 'µs', service: round(s), bare: round(b), ratio: round(b / s) });
      }
    }
    // The service's own time for the same checks (from the message to the reply sent): what the
    // wire adds beyond it is the machine's scheduling of three processes (the echo pays it too).
    const checks = shareAbove(beforeChecks, afterChecks, 0.001);
    rows.push({
      figure: 'risk.pretrade.check: share over 1 ms by the service\'s risk_nats_request_duration_seconds',
      unit: '%', service: round((100 * checks.above) / checks.total), bare: NaN, ratio: NaN,
      detail: { observations: checks.total, over_0_5_ms_percent: round((100 * shareAbove(beforeChecks, afterChecks, 0.0005).above) / checks.total) },
    });
    rows.push({ figure: 'risk.var.calculate over NATS, 20 returns (a Nest handler\'s floor): p50 / p99', unit: 'µs', service: round(f.nats_handler_floor_p50_us), bare: NaN, ratio: NaN, detail: { p99_us: round(f.nats_handler_floor_p99_us) } });

    // Issue 11's stored-portfolio figure as deployed: the service in its own process on PostgreSQL,
    // one keep-alive client calling back to back (bench:service measures it with fetch in the
    // service's own process, which adds the client's work to every call).
    for (const [method, wire] of await storedVarFromOwnProcess(service, key)) {
      const sorted = wire.sort((a, b) => a - b);
      for (const q of [0.5, 0.99]) {
        rows.push({ figure: `stored ${method} VaR, 10 × 2,520, lookback 1,000, warm, back to back: p${q * 100}`, unit: 'ms', service: round(quantile(sorted, q) / 1000), bare: NaN, ratio: NaN, detail: { calls: sorted.length } });
      }
    }
  } finally {
    await Promise.all([service.stop(), bare.stop()]);
  }
  return { rows, settings: { seconds_per_figure_and_round: seconds, rounds, loop_calls: loopCalls, service_log_level: process.env.LOG_LEVEL ?? 'info', database: 'PostgreSQL (DATABASE_URL), Redis (REDIS_URL), NATS (NATS_URL)', client: 'autocannon 8 in the bench process, keep-alive' } };
}

/** A 10-asset book of 1,000 dates (storeBook), then runPreTradeBench against it over NATS. */
async function preTradeFromOwnProcess(service: ServiceProcess, key: string): Promise<Record<string, number>> {
  const { pid, assets, run } = await storeBook(restCaller(service.url, key), { prefix: 'pt', name: 'pre-trade bench', dates: 1000, firstDay: Date.UTC(2000, 0, 3), seed: 7 });
  return (await runPreTradeBench(process.env.NATS_URL ?? 'nats://127.0.0.1:4222', pid, assets, run, true)).figures;
}

/**
 * A 10-asset book of 2,520 dates with a VaR limit (storeBook); then POST /v1/portfolios/:id/var at
 * lookback 1,000 (the results stored, their events published), 200 calls of warm-up and
 * BENCH_STORED_VAR_CALLS (default 1,000) measured, per method.
 */
async function storedVarFromOwnProcess(service: ServiceProcess, key: string): Promise<Array<[string, number[]]>> {
  const { pid } = await storeBook(restCaller(service.url, key), { prefix: 'sv', name: 'stored VaR bench', dates: 2520, firstDay: Date.UTC(1990, 0, 1), seed: 11, limits: { max_var_percent: 50 } });
  const calls = Number(process.env.BENCH_STORED_VAR_CALLS ?? 1000);
  const out: Array<[string, number[]]> = [];
  for (const method of ['historical', 'parametric']) {
    const target: Target = { url: service.url, method: 'POST', path: `/v1/portfolios/${pid}/var`, headers: { 'x-api-key': key }, body: JSON.stringify({ method, confidence: 99, lookback_days: 1000 }) };
    out.push([method, await backToBack(target, 200, calls)]);
  }
  return out;
}

/** The element whose key is the median (the lower middle one for an even count). */
function median<T>(items: T[], key: (x: T) => number): T {
  return items.slice().sort((a, b) => key(a) - key(b))[Math.floor((items.length - 1) / 2)];
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

export function printHttpTable(rows: HttpBenchRow[]): void {
  const num = (x: number) => (Number.isNaN(x) ? '–' : x.toLocaleString('en-US'));
  console.log(['figure'.padEnd(84), 'unit'.padEnd(6), 'service'.padStart(12), 'bare'.padStart(12), 'ratio'.padStart(8)].join(''));
  for (const r of rows) console.log([r.figure.padEnd(84), r.unit.padEnd(6), num(r.service).padStart(12), num(r.bare).padStart(12), num(r.ratio).padStart(8)].join(''));
}
