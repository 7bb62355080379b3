import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export interface BenchRow {
  suite: string;
  name: string;
  size: number;
  iterations: number;
  p50_us: number;
  p99_us: number;
  mean_us: number;
  ops_per_sec: number;
}

/**
 * Times `fn` one call at a time (process.hrtime.bigint) after a warm-up, for about
 * `budgetMs` or `maxIterations` calls, and reports p50 / p99 / mean and ops per second.
 */
export function measure(suite: string, name: string, size: number, fn: () => unknown, opts: { budgetMs?: number; maxIterations?: number; warmup?: number } = {}): BenchRow {
  const budget = BigInt(Math.round((opts.budgetMs ?? 1000) * 1e6));
  const maxIterations = opts.maxIterations ?? 200_000;
  const warmup = opts.warmup ?? 50;
  let sink = 0;
  for (let i = 0; i < warmup; i++) sink += Number(fn()) || 0;
  (globalThis as { gc?: () => void }).gc?.();
  const samples: number[] = [];
  const start = process.hrtime.bigint();
  while (samples.length < maxIterations && process.hrtime.bigint() - start < budget) {
    const t0 = process.hrtime.bigint();
    sink += Number(fn()) || 0;
    samples.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  if (sink === Number.MIN_VALUE) console.log('');
  samples.sort((a, b) => a - b);
  const pct = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))];
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return { suite, name, size, iterations: samples.length, p50_us: round(pct(0.5)), p99_us: round(pct(0.99)), mean_us: round(mean), ops_per_sec: Math.round(1e6 / mean) };
}

/** Times an async operation sequentially, `iterations` times. */
export async function measureAsync(suite: string, name: string, size: number, fn: () => Promise<unknown>, iterations: number, warmup = 3): Promise<BenchRow> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  await timeAsync(fn, iterations, samples);
  return rowOf(suite, name, size, samples);
}

export interface AsyncCase {
  suite: string;
  name: string;
  fn: () => Promise<unknown>;
}

/**
 * Two async operations timed in turns: `rounds` rounds of iterations / rounds calls of `a` and
 * of `b`, the first of the two alternating (after `warmup` calls of each); each row pools its
 * rounds. Two operations compared this way share the machine's drift, which on a shared 2-core
 * machine moves figures by tens of percent within minutes; timed one after the other, the second
 * would carry it alone.
 */
export async function measureAlternating(a: AsyncCase, b: AsyncCase, size: number, iterations: number, rounds = 5, warmup = 3): Promise<[BenchRow, BenchRow]> {
  for (let i = 0; i < warmup; i++) await a.fn();
  for (let i = 0; i < warmup; i++) await b.fn();
  const sa: number[] = [];
  const sb: number[] = [];
  const n = Math.ceil(iterations / rounds);
  for (let r = 0; r < rounds; r++) await inTurns(r, () => timeAsync(a.fn, n, sa), () => timeAsync(b.fn, n, sb));
  return [rowOf(a.suite, a.name, size, sa), rowOf(b.suite, b.name, size, sb)];
}

/**
 * `a` then `b` in even rounds, `b` then `a` in odd ones (ABBA…), so that neither is always the one
 * measured first; answers both results.
 */
export async function inTurns<A, B>(round: number, a: () => Promise<A>, b: () => Promise<B>): Promise<[A, B]> {
  if (round % 2 === 0) {
    const first = await a();
    return [first, await b()];
  }
  const first = await b();
  return [await a(), first];
}

async function timeAsync(fn: () => Promise<unknown>, n: number, samples: number[]): Promise<void> {
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
}

function rowOf(suite: string, name: string, size: number, samples: number[]): BenchRow {
  samples.sort((x, y) => x - y);
  const pct = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))];
  const mean = samples.reduce((x, y) => x + y, 0) / samples.length;
  return { suite, name, size, iterations: samples.length, p50_us: round(pct(0.5)), p99_us: round(pct(0.99)), mean_us: round(mean), ops_per_sec: Math.round(1e6 / mean) };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

export function printTable(rows: BenchRow[]): void {
  const fmt = (us: number) => (us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(2)} µs`);
  console.log(['suite', 'case', 'size', 'iters', 'p50', 'p99', 'ops/s'].map((h, i) => (i < 2 ? h.padEnd(i ? 46 : 10) : h.padStart(12))).join(''));
  for (const r of rows) {
    console.log([r.suite.padEnd(10), r.name.padEnd(46), String(r.size).padStart(12), String(r.iterations).padStart(12), fmt(r.p50_us).padStart(12), fmt(r.p99_us).padStart(12), r.ops_per_sec.toLocaleString('en-US').padStart(12)].join(''));
  }
}

/** Merges this run's suites into bench/results.json (other suites' rows are kept). */
export function writeResults(suites: Record<string, unknown>): string {
  const file = resolve(process.cwd(), 'bench/results.json');
  mkdirSync(dirname(file), { recursive: true });
  let previous: Record<string, unknown> = {};
  try {
    previous = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    previous = {};
  }
  const out = { ...previous, ...suites, generated_at: new Date().toISOString(), node: process.version };
  writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  return file;
}
