import { Agent, request } from 'node:http';
import autocannon from 'autocannon';

export interface Target {
  url: string;
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  requests_per_sec: number;
  /** ms, autocannon's histogram (1 ms resolution). */
  p50_ms: number;
  p99_ms: number;
  completed: number;
  non2xx: number;
  errors: number;
}

/**
 * `connections` keep-alive connections for `seconds` (autocannon), after a 2 s warm-up that is not
 * counted. Throws when any call of either is answered other than 2xx or fails: a refused load (429,
 * 503) measures a server that is not doing the work.
 */
export async function loadTest(t: Target, connections: number, seconds: number): Promise<LoadResult> {
  const opts = { url: t.url + t.path, method: t.method, headers: { 'content-type': 'application/json', ...t.headers }, body: t.body, connections, pipelining: 1, timeout: 30 };
  const answered = (r: autocannon.Result) => {
    const failed = r.errors + r.timeouts;
    if (r.non2xx > 0 || failed > 0) throw new Error(`${t.method} ${t.url}${t.path}: ${r.non2xx} non-2xx answers and ${failed} errors besides ${r['2xx']} 2xx`);
    return r;
  };
  answered(await autocannon({ ...opts, duration: 2 }));
  const r = answered(await autocannon({ ...opts, duration: seconds }));
  return {
    requests_per_sec: Math.round(r['2xx'] / r.duration),
    p50_ms: r.latency.p50,
    p99_ms: r.latency.p99,
    completed: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

/** One keep-alive call: resolves with the status and body once the answer is complete. */
export function call(agent: Agent, t: Target): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(t.url + t.path);
    const req = request(
      { agent, host: u.hostname, port: u.port, path: u.pathname, method: t.method, headers: { 'content-type': 'application/json', ...t.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(t.body);
  });
}

/**
 * The original design's load loop: one client on one keep-alive connection, `calls` calls with a
 * `pauseMs` pause after each; answers every call's wire time (µs, request sent to answer read).
 * `warmedUp` runs after the 20 warm-up calls, before the measured ones.
 */
export async function pausedLoop(t: Target, calls: number, pauseMs: number, warmedUp?: () => Promise<unknown>): Promise<number[]> {
  return loop(t, (i) => i < calls, pauseMs, warmedUp);
}

/** The same loop for `seconds` (measured after the warm-up) rather than a number of calls. */
export async function pausedLoopFor(t: Target, seconds: number, pauseMs: number, warmedUp?: () => Promise<unknown>): Promise<number[]> {
  let end = Infinity;
  return loop(t, (i) => (i === 0 && (end = performance.now() + seconds * 1000), performance.now() < end), pauseMs, warmedUp);
}

async function loop(t: Target, goOn: (i: number) => boolean, pauseMs: number, warmedUp?: () => Promise<unknown>): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const wire: number[] = [];
  try {
    for (let i = 0; i < 20; i++) await call(agent, t); // warm-up: connection, JIT
    await warmedUp?.();
    for (let i = 0; goOn(i); i++) {
      const t0 = process.hrtime.bigint();
      const res = await call(agent, t);
      wire.push(Number(process.hrtime.bigint() - t0) / 1000);
      if (res.status !== 200) throw new Error(`${t.method} ${t.path}: ${res.status} ${res.body.slice(0, 200)}`);
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  } finally {
    agent.destroy();
  }
  return wire;
}

/** `warmup` calls not counted, then `calls` calls one after the other on one keep-alive connection: each call's wire time (µs). */
export async function backToBack(t: Target, warmup: number, calls: number): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const wire: number[] = [];
  try {
    for (let i = 0; i < warmup + calls; i++) {
      const t0 = process.hrtime.bigint();
      const res = await call(agent, t);
      if (i >= warmup) wire.push(Number(process.hrtime.bigint() - t0) / 1000);
      if (res.status !== 200) throw new Error(`${t.method} ${t.path}: ${res.status} ${res.body.slice(0, 200)}`);
    }
  } finally {
    agent.destroy();
  }
  return wire;
}

/** The p-quantile (0..1) of already sorted values, nearest rank. */
export function quantile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** Cumulative buckets (le → count) and the count of one Prometheus histogram series in a /metrics text. */
export interface HistogramSample {
  buckets: Map<number, number>;
  count: number;
}

/**
 * Reads the histogram `name` from Prometheus text, summing the series whose labels include every
 * `labels` pair (e.g. { route: '/v1/var', method: 'POST' }).
 */
export function histogramOf(text: string, name: string, labels: Record<string, string> = {}): HistogramSample {
  const buckets = new Map<number, number>();
  let count = 0;
  const wanted = Object.entries(labels);
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)\{([^}]*)\}\s+(\S+)/.exec(line);
    if (!m || (m[1] !== `${name}_bucket` && m[1] !== `${name}_count`)) continue;
    const pairs = new Map([...m[2].matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((p) => [p[1], p[2]] as const));
    if (!wanted.every(([k, v]) => pairs.get(k) === v)) continue;
    const value = Number(m[3]);
    if (m[1] === `${name}_count`) count += value;
    else {
      const le = pairs.get('le') === '+Inf' ? Infinity : Number(pairs.get('le'));
      buckets.set(le, (buckets.get(le) ?? 0) + value);
    }
  }
  return { buckets, count };
}

/** The sum of the counter `name`'s series (Prometheus text) whose labels include every `labels` pair; 0 when absent. */
export function counterOf(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels);
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const pairs = new Map([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((p) => [p[1], p[2]] as const));
    if (wanted.every(([k, v]) => pairs.get(k) === v)) sum += Number(m[3]);
  }
  return sum;
}

/** Observations between two samples of one histogram above `le` (a bucket bound), and their total. */
export function shareAbove(before: HistogramSample, after: HistogramSample, le: number): { above: number; total: number } {
  const total = after.count - before.count;
  const within = (after.buckets.get(le) ?? 0) - (before.buckets.get(le) ?? 0);
  return { above: total - within, total };
}
