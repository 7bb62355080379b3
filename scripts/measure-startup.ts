import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeResults } from '../bench/harness';
import { loadTest, Target } from '../bench/http-load';
import { ensureBuilt, ServiceProcess, ServiceProcessOptions } from '../bench/service-process';
import { Xoshiro128 } from '../src/math';

/**
 * `npm run measure:startup`: time to ready (spawn to the first 200 on /health/ready) and resident
 * memory (Linux /proc VmRSS) of the built service, in the situations of issue 11:
 *   - embedded PGlite: the first start on an empty DATA_DIR, a later start on it, `npm start` on it
 *     (npm and the up-to-date-build check included), and MEASURE_LOAD_SECONDS (30) of load;
 *   - PostgreSQL (DATABASE_URL; skipped when unset): idle after start, and during the same load,
 *     sampled every second, with the growth between the first and the last third of the load, after
 *     MEASURE_WARMUP_SECONDS (30) of the same load (sampled too, reported apart).
 * Load: 4 keep-alive connections on POST /v1/var (1,000 returns) and 4 on the stored VaR of a
 * two-asset portfolio (a result, its outbox event and limit check written per call).
 * Prints a table and merges it into bench/results.json ("startup").
 */
interface Row {
  scenario: string;
  ready_ms: number | null;
  rss_mb: number | null;
  peak_rss_mb?: number | null;
  note?: string;
  samples_mb?: number[];
  warmup_samples_mb?: number[];
}

const MB = 1024 * 1024;
const key = `measure-${randomUUID()}`;
const loadSeconds = Number(process.env.MEASURE_LOAD_SECONDS ?? 30);
/**
 * Load before the sampled MEASURE_LOAD_SECONDS: in its first ~30 s RSS climbs while V8 sizes its heap
 * to the allocation rate and native buffers and caches fill to their bound (measured in process with
 * forced GCs: the live heap is flat from 10 s of load on), which is start-up, not growth over the run.
 */
const warmupSeconds = Number(process.env.MEASURE_WARMUP_SECONDS ?? 30);
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes: number) => Math.round(bytes / MB);

async function main(): Promise<void> {
  ensureBuilt();
  const rows: Row[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'risk-measure-'));
  // The load sends more than the default 60,000 requests a minute with one key: a faster machine
  // measured the PostgreSQL service answering 429 to every call (0 calc/s) until this was raised.
  const unlimited = { RATE_LIMIT_PER_MINUTE: '1000000000' };
  const embedded = { DATABASE_URL: undefined, REDIS_URL: undefined, NATS_URL: undefined, DATA_DIR: dataDir, ADMIN_API_KEY: key, LOG_LEVEL: 'warn', ...unlimited };
  try {
    await withService('pglite-first', { env: embedded }, async (s) => {
      rows.push(await idle(s, 'PGlite, first start (empty DATA_DIR: initdb + migrations)'));
    });
    await withService('pglite-later', { env: embedded }, async (s) => {
      rows.push(await idle(s, 'PGlite, later start (existing DATA_DIR)'));
      rows.push(await underLoad(s, 'PGlite, during load'));
    });
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    await withService('npm-start', { command: npm, args: ['start', '--silent'], env: embedded }, async (s) => {
      rows.push({ scenario: '`npm start`, existing DATA_DIR, up-to-date build', ready_ms: Math.round(s.readyMs), rss_mb: null, note: 'npm + build check + start; RSS is the service\'s (rows above)' });
    });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }

  if (process.env.DATABASE_URL) {
    const postgres = { DATABASE_URL: process.env.DATABASE_URL, ADMIN_API_KEY: key, LOG_LEVEL: 'warn', ...unlimited };
    await withService('postgres', { env: postgres }, async (s) => {
      rows.push(await idle(s, 'PostgreSQL, idle after start'));
      rows.push(await underLoad(s, 'PostgreSQL, during load'));
    });
  } else {
    rows.push({ scenario: 'PostgreSQL', ready_ms: null, rss_mb: null, note: 'skipped: DATABASE_URL is not set' });
  }

  print(rows);
  console.log(`\nwritten to ${writeResults({ startup: { rows, load_seconds: loadSeconds, warmup_seconds: warmupSeconds, measured_at: new Date().toISOString() } })}`);
}

/**
 * Starts a service, runs `measure` on it, and stops it whatever happens: a measurement that throws
 * must not leave the service running (its own process group outlives this one) nor, on PGlite, have
 * its DATA_DIR removed under it.
 */
async function withService(name: string, opts: ServiceProcessOptions, measure: (s: ServiceProcess) => Promise<void>): Promise<void> {
  const s = await ServiceProcess.start(name, opts);
  try {
    await measure(s);
  } finally {
    await s.stop();
  }
}

/** Ready time, and RSS two seconds after ready (start-up work settled). */
async function idle(s: ServiceProcess, scenario: string): Promise<Row> {
  await settle(2000);
  return { scenario, ready_ms: Math.round(s.readyMs), rss_mb: mb(s.rssBytes()), peak_rss_mb: mb(s.peakRssBytes()) };
}

/**
 * RSS every second under MEASURE_LOAD_SECONDS of mixed load; the note gives the growth between the
 * first and last third. A refused load (loadTest throws) stops the measurement: it would be an idle
 * service's RSS.
 */
async function underLoad(s: ServiceProcess, scenario: string): Promise<Row> {
  const portfolio = await book(s);
  const headers = { 'x-api-key': key };
  const rng = new Xoshiro128(3);
  const calc: Target = { url: s.url, method: 'POST', path: '/v1/var', headers, body: JSON.stringify({ returns: Array.from({ length: 1000 }, () => 0.01 * rng.nextNormal()), confidence: 99 }) };
  const stored: Target = { url: s.url, method: 'POST', path: `/v1/portfolios/${portfolio}/var`, headers, body: JSON.stringify({ method: 'historical', confidence: 99, lookback_days: 250 }) };
  const sampled = async (seconds: number) => {
    const samples: number[] = [];
    const timer = setInterval(() => samples.push(mb(s.rssBytes())), 1000);
    const [a, b] = await Promise.all([loadTest(calc, 4, seconds), loadTest(stored, 4, seconds)]);
    clearInterval(timer);
    return { a, b, samples };
  };
  const warm = warmupSeconds > 0 ? await sampled(warmupSeconds) : null;
  const { a, b, samples } = await sampled(loadSeconds);
  const third = Math.max(1, Math.floor(samples.length / 3));
  const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
  const growth = Math.round(mean(samples.slice(-third)) - mean(samples.slice(0, third)));
  const span = (xs: number[]) => `${xs[0]} → ${xs[xs.length - 1]} MB`;
  return {
    scenario,
    ready_ms: null,
    rss_mb: Math.max(...samples, ...(warm?.samples ?? [])),
    peak_rss_mb: mb(s.peakRssBytes()),
    note: `${warm ? `warm-up ${warmupSeconds} s: RSS ${span(warm.samples)}; then ` : ''}${loadSeconds} s: ${a.requests_per_sec} calc/s + ${b.requests_per_sec} stored VaR/s; RSS ${span(samples)}, last third − first third ${growth >= 0 ? '+' : ''}${growth} MB`,
    samples_mb: samples,
    ...(warm ? { warmup_samples_mb: warm.samples } : {}),
  };
}

/** A portfolio of two assets with 300 returns each, for the stored-VaR load. */
async function book(s: ServiceProcess): Promise<string> {
  const id = `measure-${randomUUID().slice(0, 8)}`;
  const call = async (method: string, path: string, body: unknown) => {
    const res = await fetch(s.url + path, { method, headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  };
  const rng = new Xoshiro128(11);
  const day = (i: number) => new Date(Date.UTC(2000, 0, 3) + i * 86_400_000).toISOString().slice(0, 10);
  await call('POST', '/v1/portfolios', { id, name: id, base_currency: 'USD' });
  for (const asset of [`${id}-A`, `${id}-B`]) await call('PUT', `/v1/assets/${asset}/returns`, Array.from({ length: 300 }, (_, i) => ({ date: day(i), return_pct: 0.01 * rng.nextNormal() })));
  await call('PUT', `/v1/portfolios/${id}/positions`, [{ asset_id: `${id}-A`, market_value: '600000' }, { asset_id: `${id}-B`, market_value: '400000' }]);
  return id;
}

function print(rows: Row[]): void {
  const cell = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v.toLocaleString('en-US'));
  console.log(['scenario'.padEnd(54), 'ready ms'.padStart(9), 'RSS MB'.padStart(8), 'peak MB'.padStart(8), '  note'].join(''));
  for (const r of rows) console.log([r.scenario.padEnd(54), cell(r.ready_ms).padStart(9), cell(r.rss_mb).padStart(8), cell(r.peak_rss_mb).padStart(8), `  ${r.note ?? ''}`].join(''));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
