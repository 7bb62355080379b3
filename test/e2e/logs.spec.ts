import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, headers as natsHeaders, JSONCodec } from 'nats';
import { ChildApp, spawnApp, startChildApp } from '../support/child-app';

const json = JSONCodec();
const parse = (line: string): Record<string, unknown> | undefined => {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
};

describe('log lines of the running service (stdout)', () => {
  let app: ChildApp;
  beforeAll(async () => {
    app = await startChildApp({ LOG_LEVEL: 'info', NATS_NAV_DURABLE: `${process.env.NATS_NAV_DURABLE}-logs` });
  }, 90_000);
  afterAll(async () => {
    await app?.stop();
  });

  it('writes one JSON line per NATS request, with its subject, status and correlation_id', async () => {
    const nc = await connect({ servers: process.env.NATS_URL });
    try {
      const h = natsHeaders();
      h.set('x-correlation-id', 'nats-log-line-1');
      await nc.request('risk.var.calculate', json.encode({ returns: Array.from({ length: 30 }, (_, i) => (i % 7) / 100 - 0.03), confidence: 95 }), { timeout: 5000, headers: h });
      const h2 = natsHeaders();
      h2.set('x-correlation-id', 'nats-log-line-2');
      await nc.request('risk.var.calculate', json.encode({ returns: [0.01], confidence: 95 }), { timeout: 5000, headers: h2 });
    } finally {
      await nc.close();
    }
    const mine = (id: string) => app.lines.map(parse).filter((l) => l?.correlation_id === id && l.subject === 'risk.var.calculate');
    const deadline = Date.now() + 5000;
    while (mine('nats-log-line-2').length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(mine('nats-log-line-1')).toEqual([expect.objectContaining({ status_code: 200, duration_ms: expect.any(Number) })]);
    expect(mine('nats-log-line-2')).toEqual([expect.objectContaining({ status_code: 422, error_type: 'INSUFFICIENT_DATA' })]);
  });

  it('writes the same line for risk.pretrade.check (served by a raw subscription, not a Nest handler)', async () => {
    const nc = await connect({ servers: process.env.NATS_URL });
    try {
      const h = natsHeaders();
      h.set('x-correlation-id', 'nats-log-pretrade-1');
      const reply = await nc.request('risk.pretrade.check', json.encode({ portfolio_id: 'no-such-book-logs', trades: [{ asset_id: 'X', market_value_change: '1' }] }), { timeout: 5000, headers: h });
      expect(json.decode(reply.data)).toMatchObject({ error: { status_code: 404, correlation_id: 'nats-log-pretrade-1' } });
    } finally {
      await nc.close();
    }
    const mine = () => app.lines.map(parse).filter((l) => l?.correlation_id === 'nats-log-pretrade-1');
    const deadline = Date.now() + 5000;
    while (mine().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(mine()).toEqual([expect.objectContaining({ subject: 'risk.pretrade.check', status_code: 404, error_type: 'NOT_FOUND', duration_ms: expect.any(Number) })]);
  });

  it('writes one JSON line per HTTP request once answered (not for probes), with its correlation_id', async () => {
    const get = (path: string, id: string) => fetch(`${app.url}${path}`, { headers: { 'x-correlation-id': id } });
    expect((await get('/v1/portfolios?limit=1', 'http-log-line-1')).status).toBe(401);
    expect((await get('/health/live', 'http-log-probe')).status).toBe(200);
    expect((await get('/v1/portfolios', 'http-log-line-2')).status).toBe(401);
    const mine = (id: string) => app.lines.map(parse).filter((l) => l?.correlation_id === id);
    const deadline = Date.now() + 5000;
    while (mine('http-log-line-2').length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(mine('http-log-line-1')).toEqual([
      expect.objectContaining({ level: 30, req: { method: 'GET', url: '/v1/portfolios?limit=1' }, res: { status_code: 401 }, responseTime: expect.any(Number), msg: expect.stringMatching(/^GET \/v1\/portfolios\?limit=1 401 \d+ms$/) }),
    ]);
    expect(mine('http-log-probe')).toEqual([]);
  });

  it('never writes a request\'s x-api-key or authorization header', async () => {
    const secret = `rk_never-logged-${Date.now()}`;
    const res = await fetch(`${app.url}/v1/portfolios`, { headers: { 'x-api-key': secret, authorization: `Bearer ${secret}`, 'x-correlation-id': 'http-log-secret' } });
    expect(res.status).toBe(401);
    const deadline = Date.now() + 5000;
    while (!app.lines.some((l) => l.includes('http-log-secret')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const line = app.lines.find((l) => l.includes('http-log-secret'));
    expect(parse(line ?? '')).toEqual(expect.objectContaining({ req: { method: 'GET', url: '/v1/portfolios' }, res: { status_code: 401 } }));
    expect(app.lines.filter((l) => l.includes('never-logged'))).toEqual([]);
  });
});

describe('a start-up failure', () => {
  it('is reported as JSON lines (no coloured Nest text) and exits 1', async () => {
    const notADirectory = join(tmpdir(), `risk-data-${process.pid}-${Date.now()}`);
    writeFileSync(notADirectory, 'a file where the data directory should be');
    const child = spawnApp({ DATABASE_URL: undefined, REDIS_URL: undefined, NATS_URL: undefined, DATA_DIR: notADirectory, PORT: '0' });
    expect(await child.exited).toBe(1);
    expect(child.lines.length).toBeGreaterThan(0);
    expect(child.lines.filter((l) => parse(l) === undefined)).toEqual([]);
    expect(child.lines.join('\n')).not.toMatch(/\x1b\[/);
    const fatal = child.lines.map(parse).find((l) => l?.level === 'fatal');
    expect(fatal).toMatchObject({ msg: 'failed to start', error: expect.stringMatching(/ENOTDIR|EEXIST/) }); // DATA_DIR is a file
  });
});
