import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { ReturnsRepository } from '../../src/persistence/repositories';
import { api } from '../support/api';
import { startHttpApp } from '../support/http-app';

const MB = 1024 * 1024;
/**
 * Bound on the longest event-loop stall in these checks. The goal is 200 ms (bench/faults.bench.ts
 * measures it on the built service); this machine's 2 cores are shared by several test runs, so a
 * descheduled process adds its own pauses here. Before streaming, the same bodies held the loop
 * for 11 to 50 s.
 */
const MAX_STALL_MS = 1000;

/** Runs `fn` while sampling the event loop every 10 ms; the longest stall and the p99, ms. */
async function withLoopLag<T>(fn: () => Promise<T>): Promise<{ result: T; maxLagMs: number; p99LagMs: number; ms: number }> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const t0 = performance.now();
  try {
    const result = await fn();
    return { result, ms: performance.now() - t0, maxLagMs: h.max / 1e6, p99LagMs: h.percentile(99) / 1e6 };
  } finally {
    h.disable();
  }
}

/**
 * PUTs a file as text/csv from another process (curl), so that the event loop measured here is the
 * service's alone: the client's own work on 30 MB would count otherwise.
 */
function putCsvFile(url: string, file: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    execFile(
      'curl',
      ['-s', '-X', 'PUT', '-H', `x-api-key: ${process.env.ADMIN_API_KEY}`, '-H', 'content-type: text/csv', '--data-binary', `@${file}`, '-w', '\n%{http_code}', url],
      { maxBuffer: 1024 * 1024 },
      (err, stdout) => {
        if (err) return reject(err);
        const cut = stdout.lastIndexOf('\n');
        resolve({ status: Number(stdout.slice(cut + 1)), body: JSON.parse(stdout.slice(0, cut)) });
      },
    );
  });
}

describe('CSV ingestion read as a stream', () => {
  const dir = mkdtempSync(join(tmpdir(), 'csv-stream-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let app: NestFastifyApplication;
  let url: string;
  let a: ReturnType<typeof api>;
  beforeAll(async () => {
    ({ app, url } = await startHttpApp());
    a = api(url);
  });
  afterAll(() => app.close());

  it('refuses 30 MB of garbage rows within 3 s without stalling the event loop, reading no further than 1,000 problems', async () => {
    const asset = `GARB-${randomUUID().slice(0, 8)}`;
    const file = join(dir, 'garbage-rows.csv');
    const line = 'x9,zz\n';
    writeFileSync(file, `date,return_pct\n${line.repeat(Math.ceil((30 * MB) / line.length))}`);
    const { result: res, ms, maxLagMs, p99LagMs } = await withLoopLag(() => putCsvFile(`${url}/v1/assets/${asset}/returns`, file));
    console.log(`30 MB garbage rows: ${res.status} in ${Math.round(ms)} ms; event-loop lag max ${maxLagMs.toFixed(1)} ms, p99 ${p99LagMs.toFixed(1)} ms`);
    expect(res.body).toMatchObject({ status_code: 400, error_type: 'INVALID_INPUT' });
    expect(res.body.message).toHaveLength(51);
    expect(res.body.message[50]).toMatch(/reading stopped at line 501 after 1000 problems/);
    expect(ms).toBeLessThanOrEqual(3000);
    expect(maxLagMs).toBeLessThan(MAX_STALL_MS);
    expect((await app.get(ReturnsRepository).getSeries([asset])).size).toBe(0);
  });

  it('refuses 30 MB of random bytes at its first line, within 3 s and without stalling the event loop', async () => {
    const file = join(dir, 'random.bin');
    // No quote characters: a quote on line 2 makes csv-parse fail before the header of line 1 is
    // judged, and the answer names line 2 (about one run in three). Malformed quotes have their own
    // cases in src/common/csv-body.spec.ts.
    const bytes = randomBytes(30 * MB);
    for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x22) bytes[i] = 0x20;
    writeFileSync(file, bytes);
    const { result: res, ms, maxLagMs, p99LagMs } = await withLoopLag(() => putCsvFile(`${url}/v1/assets/RND-${randomUUID().slice(0, 8)}/returns`, file));
    console.log(`30 MB random bytes: ${res.status} in ${Math.round(ms)} ms; event-loop lag max ${maxLagMs.toFixed(1)} ms, p99 ${p99LagMs.toFixed(1)} ms`);
    expect(res.status).toBe(400);
    expect(res.body.message[0]).toMatch(/^line 1: /);
    expect(ms).toBeLessThanOrEqual(3000);
    expect(maxLagMs).toBeLessThan(MAX_STALL_MS);
  });

  it('refuses a body without line breaks as soon as a record passes 4 kB', async () => {
    const res = await a.putCsv(`/v1/assets/LONG-${randomUUID().slice(0, 8)}/returns`, `date,return_pct\n2024-01-02,${'1'.repeat(5 * MB)}`);
    expect(res.status).toBe(400);
    expect(res.body.message[0]).toMatch(/^line 2: malformed CSV \(Max Record Size/);
  });

  it('stops at the first row over 1,000,000 and writes nothing, the event loop turning meanwhile', async () => {
    const asset = `CAP-${randomUUID().slice(0, 8)}`;
    const day = (i: number) => new Date(Date.UTC(1000, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    const file = join(dir, 'over-cap.csv');
    writeFileSync(file, `date,return_pct\n${Array.from({ length: 1_000_001 }, (_, i) => `${day(i)},0.001`).join('\n')}\n`);
    const { result: res, ms, maxLagMs, p99LagMs } = await withLoopLag(() => putCsvFile(`${url}/v1/assets/${asset}/returns`, file));
    console.log(`1,000,001 valid rows: ${res.status} in ${Math.round(ms)} ms; event-loop lag max ${maxLagMs.toFixed(1)} ms, p99 ${p99LagMs.toFixed(1)} ms`);
    expect(res.body).toMatchObject({ status_code: 400, message: ['at most 1000000 rows per request'] });
    expect(maxLagMs).toBeLessThan(MAX_STALL_MS);
    expect((await app.get(ReturnsRepository).getSeries([asset])).size).toBe(0);
  });

  it('stops a wide CSV at the first value over 1,000,000 and writes nothing', async () => {
    const [x, y] = [`CAPX-${randomUUID().slice(0, 8)}`, `CAPY-${randomUUID().slice(0, 8)}`];
    const day = (i: number) => new Date(Date.UTC(1000, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    const file = join(dir, 'wide-over-cap.csv');
    writeFileSync(file, `date,${x},${y}\n${Array.from({ length: 500_001 }, (_, i) => `${day(i)},0.001,-0.001`).join('\n')}\n`);
    const { result: res, ms, maxLagMs } = await withLoopLag(() => putCsvFile(`${url}/v1/returns`, file));
    console.log(`wide CSV, 1,000,002 values: ${res.status} in ${Math.round(ms)} ms; event-loop lag max ${maxLagMs.toFixed(1)} ms`);
    expect(res.body).toMatchObject({ status_code: 400, message: ['line 500002: at most 1000000 values per request'] });
    expect(maxLagMs).toBeLessThan(MAX_STALL_MS);
    expect((await app.get(ReturnsRepository).getSeries([x, y])).size).toBe(0);
  });

  it('refuses a wide CSV with a bad header at line 1 without reading the rest', async () => {
    const file = join(dir, 'wide-bad-header.csv');
    writeFileSync(file, `date,ok,bad id\n${'2024-01-02,0.01,0.02\n'.repeat(Math.ceil((30 * MB) / 21))}`);
    const { result: res, ms } = await withLoopLag(() => putCsvFile(`${url}/v1/returns`, file));
    expect(res.body).toMatchObject({ status_code: 400, message: [expect.stringMatching(/^line 1: column 3: an asset id/)] });
    expect(ms).toBeLessThanOrEqual(3000);
  });

  it('counts lines across blank lines and a quoted field spanning two lines', async () => {
    const res = await a.putCsv(`/v1/assets/LN-${randomUUID().slice(0, 8)}/returns`, 'date,return_pct\n\n2024-01-02,"0.01\n"\n2024-01-03,x\n');
    expect(res.status).toBe(400);
    expect(res.body.message).toEqual(['line 3: return_pct must be a number (got "0.01\\n")', 'line 5: return_pct must be a number (got "x")']);
  });

  it('ingests a CSV within the limits, with a BOM and CRLF line ends', async () => {
    const asset = `OK-${randomUUID().slice(0, 8)}`;
    const res = await a.putCsv(`/v1/assets/${asset}/returns`, '\uFEFFdate,return_pct\r\n2024-01-02,0.01\r\n2024-01-03,-2.5e-2\r\n');
    expect(res.body).toMatchObject({ inserted: 2, updated: 0, received: 2 });
    expect(Array.from((await app.get(ReturnsRepository).getSeries([asset])).get(asset)!.values)).toEqual([0.01, -0.025]);
  });

  it('answers 413 for a CSV body over BODY_LIMIT_BYTES', async () => {
    const { app: small, url: smallUrl } = await startHttpApp({ BODY_LIMIT_BYTES: '4096' });
    try {
      const body = `date,return_pct\n${'2024-01-02,0.01\n'.repeat(1000)}`;
      const res = await request(smallUrl).put('/v1/assets/BIG/returns').set('x-api-key', process.env.ADMIN_API_KEY!).set('content-type', 'text/csv').send(body);
      expect(res.body).toMatchObject({ status_code: 413, error_type: 'PAYLOAD_TOO_LARGE' });
    } finally {
      await small.close();
    }
  });

  it('answers 415 for text/csv on a route that takes JSON only', async () => {
    const res = await request(url).post('/v1/var').set('x-api-key', process.env.ADMIN_API_KEY!).set('content-type', 'text/csv').send('returns\n0.01\n');
    expect(res.body).toMatchObject({ status_code: 415, error_type: 'UNSUPPORTED_MEDIA_TYPE' });
  });
});
