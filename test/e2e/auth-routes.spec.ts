import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { startHttpApp } from '../support/http-app';
import { rawHttp, requestHead } from '../support/raw-http';

const KEY = process.env.ADMIN_API_KEY!;

function portOf(url: string): number {
  return Number(new URL(url).port);
}

function expectUnauthorized(r: { status: number; json: any }) {
  expect(r.status).toBe(401);
  expect(r.json).toMatchObject({ status_code: 401, error: 'Unauthorized', error_type: 'UNAUTHORIZED' });
  expect(typeof r.json.correlation_id).toBe('string');
}

/**
 * api.md Hardening: authorisation follows the matched route, never the URL text. Every request
 * goes over a raw socket so that the request target reaches the server exactly as written.
 */
describe('authorisation follows the matched route, not the URL text', () => {
  let app: NestFastifyApplication;
  let url: string;
  let port: number;
  const get = (target: string, extra: string[] = []) =>
    rawHttp(port, requestHead([`GET ${target} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Connection: close', ...extra]));

  beforeAll(async () => {
    ({ app, url } = await startHttpApp());
    port = portOf(url);
  });
  afterAll(async () => {
    await app.close();
  });

  it.each([
    '/v1/portfolios',
    '/%761/portfolios',
    '/%76%31/%70ortfolios',
    '/V1/portfolios',
    '/V1/PORTFOLIOS',
    '//v1/portfolios',
    '/v1//portfolios',
    '/v1/./portfolios',
    '/./v1/portfolios',
    '/x/../v1/portfolios',
    '/v1/portfolios/',
    '/v1/portfolios;x=1',
    '/v1;x=1/portfolios',
    '/v1/portfolios?x=1',
    '/v1/portfolios%2F',
    '/%2Fv1/portfolios',
    '/v1/portfolios%00',
    '/v1/portfolios/p1/var-history',
    '/v1/portfolios/p1/returns',
    '/v1/portfolios/p1/limits',
    '/v1/alerts?portfolio_id=p1&status=active',
    '/report/../v1/portfolios',
    '/report/assets/../../v1/portfolios',
    '/report/assets/x/../../../v1/portfolios',
    '/v1/api-keys',
    '/v1/no-such-route',
    '/no-such-route',
  ])('answers GET %s without a key with 401', async (target) => {
    expectUnauthorized(await get(target));
  });

  it('refuses POST /%761/api-keys without a key and creates no key', async () => {
    const body = JSON.stringify({ name: 'bypass-attempt', role: 'admin' });
    const r = await rawHttp(
      port,
      requestHead(['POST /%761/api-keys HTTP/1.1', `Host: 127.0.0.1:${port}`, 'Content-Type: application/json', `Content-Length: ${body.length}`, 'Connection: close']),
      body,
    );
    expectUnauthorized(r);
    const keys = await request(url).get('/v1/api-keys').set('x-api-key', KEY);
    expect(keys.status).toBe(200);
    expect(keys.body.map((k: { name: string }) => k.name)).not.toContain('bypass-attempt');
  });

  it('routes the percent-encoded spelling to the same handler once a key is given', async () => {
    const r = await get('/%761/portfolios', [`x-api-key: ${KEY}`]);
    expect(r.status).toBe(200);
    expect(Array.isArray(r.json)).toBe(true);
  });

  it('answers an absolute-form request line without a key with 401', async () => {
    expectUnauthorized(await get(`http://127.0.0.1:${port}/v1/portfolios`));
  });

  it('routes an absolute-form request line to /v1/portfolios when the key is given', async () => {
    const r = await get(`http://127.0.0.1:${port}/v1/portfolios`, [`x-api-key: ${KEY}`]);
    expect(r.status).toBe(200);
    expect(Array.isArray(r.json)).toBe(true);
  });

  it('answers an absolute-form request line naming another host without a key with 401', async () => {
    expectUnauthorized(await get('http://internal.example/v1/portfolios'));
  });

  it.each([
    ['Host: localhost'],
    ['Host: internal.example'],
    [`Host: 127.0.0.1:${0}/health/live`],
    ['X-Forwarded-Host: localhost'],
    ['X-Forwarded-Prefix: /health'],
    ['X-Original-URL: /health/live'],
    ['X-Rewrite-URL: /health/live'],
    ['X-HTTP-Method-Override: HEAD'],
  ])('ignores %s: GET /v1/portfolios without a key is 401', async (header) => {
    const host = header.startsWith('Host:') ? [] : [`Host: 127.0.0.1:${port}`];
    const r = await rawHttp(port, requestHead(['GET /v1/portfolios HTTP/1.1', ...host, header, 'Connection: close']));
    expectUnauthorized(r);
  });

  it('answers HEAD /v1/portfolios without a key with 401', async () => {
    const r = await rawHttp(port, requestHead(['HEAD /v1/portfolios HTTP/1.1', `Host: 127.0.0.1:${port}`, 'Connection: close']));
    expect(r.status).toBe(401);
  });

  it.each(['/health/live', '/health/ready', '/docs', '/docs/swagger-ui.css', '/docs/swagger-ui-init.js', '/docs-json', '/metrics'])('keeps %s open without a key', async (target) => {
    const r = await get(target);
    expect(r.status).toBe(200);
  });

  it('refuses an unauthenticated body before reading it (the 401 arrives while most of the body is unsent)', async () => {
    const declared = 24 * 1024 * 1024;
    const first = Buffer.alloc(64 * 1024, ' ');
    first.write('{"returns":[');
    const r = await rawHttp(
      port,
      requestHead(['POST /v1/var HTTP/1.1', `Host: 127.0.0.1:${port}`, 'Content-Type: application/json', `Content-Length: ${declared}`]),
      first,
      5000,
    );
    expectUnauthorized(r);
  });

  it('refuses a complete unauthenticated 24 MB JSON body with 401, not a parse of it', async () => {
    // Not valid JSON: had the body been parsed before the key check, the answer would be 400.
    const body = `{"returns":[${'0.001,'.repeat(4 * 1024 * 1024)}`;
    expect(body.length).toBeGreaterThan(24 * 1024 * 1024);
    const res = await request(url).post('/v1/var').set('content-type', 'application/json').send(body);
    expect(res.status).toBe(401);
    expect(res.body.error_type).toBe('UNAUTHORIZED');
  });
});

/**
 * The report page (GET /report) and its files are public; the data it draws is not: every call it
 * makes carries the key, and without one each answers 401 (above).
 */
describe('the report page is public, its data is not', () => {
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    ({ app, url } = await startHttpApp());
  });
  afterAll(async () => {
    await app.close();
  });

  it('serves /report without a key, as HTML under a strict Content-Security-Policy', async () => {
    const r = await request(url).get('/report');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    // No inline script or style to allow: every script and sheet is a file of the same origin.
    expect(r.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(r.text).not.toMatch(/<style|\sstyle=/);
    const assets = [...r.text.matchAll(/(?:src|href)="(\/report\/assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets.sort()).toEqual(['/report/assets/chart.umd.min.js', '/report/assets/report.css', '/report/assets/report.js']);
    for (const src of assets) {
      const asset = await request(url).get(src);
      expect([src, asset.status]).toEqual([src, 200]);
    }
  });

  it('serves Chart.js from node_modules, and 304 when the tag matches', async () => {
    const r = await request(url).get('/report/assets/chart.umd.min.js');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(r.text).toContain('Chart.js v4.6.1');
    const again = await request(url).get('/report/assets/chart.umd.min.js').set('if-none-match', r.headers.etag);
    expect(again.status).toBe(304);
  });

  it.each(['..%2F..%2Fpackage.json', 'index.html', '.env', 'report.js.map'])('answers /report/assets/%s with 404 and no file', async (name) => {
    const r = await request(url).get(`/report/assets/${name}`);
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ status_code: 404, error_type: 'NOT_FOUND' });
  });

  it('refuses the calculations the page posts without a key', async () => {
    const r = await request(url).post('/v1/drawdown').send({ returns: [0.01, -0.02], underwater: true });
    expect(r.status).toBe(401);
  });
});

describe('METRICS_REQUIRE_API_KEY=true closes /metrics whatever its spelling', () => {
  let app: NestFastifyApplication;
  let port: number;
  const get = (target: string, extra: string[] = []) =>
    rawHttp(port, requestHead([`GET ${target} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Connection: close', ...extra]));

  beforeAll(async () => {
    const started = await startHttpApp({ METRICS_REQUIRE_API_KEY: 'true', NATS_URL: '' });
    app = started.app;
    port = portOf(started.url);
  });
  afterAll(async () => {
    await app.close();
  });

  it.each(['/metrics', '/%6detrics', '/%6D%65trics', `http://127.0.0.1:0/metrics`])('answers GET %s without a key with 401', async (target) => {
    expectUnauthorized(await get(target));
  });

  it('serves /%6detrics with a key', async () => {
    const r = await get('/%6detrics', [`x-api-key: ${KEY}`]);
    expect(r.status).toBe(200);
    expect(r.body).toContain('http_request_duration_seconds');
  });

  it('keeps /health/live open', async () => {
    expect((await get('/health/live')).status).toBe(200);
  });
});

/** The key lookup is cached (10 s) and shared by requests arriving together; a revocation still takes effect at once on the instance that revoked. */
describe('API key lookups', () => {
  let app: NestFastifyApplication;
  let url: string;
  beforeAll(async () => {
    ({ app, url } = await startHttpApp());
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers many requests arriving together with a new key, then refuses the key once revoked', async () => {
    const created = await request(url).post('/v1/api-keys').set('x-api-key', KEY).send({ name: `lookup-${Date.now()}`, role: 'viewer' });
    expect(created.status).toBe(201);
    const { id, key } = created.body as { id: string; key: string };
    const statuses = await Promise.all(Array.from({ length: 20 }, () => request(url).get('/v1/portfolios').set('x-api-key', key).then((r) => r.status)));
    expect(statuses).toEqual(Array(20).fill(200));
    expect((await request(url).delete(`/v1/api-keys/${id}`).set('x-api-key', KEY)).status).toBe(204);
    const after = await request(url).get('/v1/portfolios').set('x-api-key', key);
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ error_type: 'UNAUTHORIZED', message: ['x-api-key is not a valid key'] });
  });
});
