import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import request from 'supertest';
import { api, businessDays } from '../support/api';
import { startHttpApp } from '../support/http-app';
import { TcpProxy } from '../support/tcp-proxy';

/** Polls `probe` until it answers 200; the time it took, ms. */
async function msUntilOk(probe: () => Promise<request.Response>, within: number): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const res = await probe();
    if (res.status === 200) return performance.now() - t0;
    if (performance.now() - t0 > within) throw new Error(`still ${res.status} after ${within} ms: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('PostgreSQL refused or silent', () => {
  const db = new URL(process.env.DATABASE_URL!);
  const proxy = new TcpProxy(Number(db.port || 5432), db.hostname);
  let app: NestFastifyApplication;
  let a: ReturnType<typeof api>;
  let url: string;
  const run = randomUUID().slice(0, 8);
  const pid = `dbout-${run}`;
  const answered = { ok: 0 };

  const storedVar = async () => {
    const res = await a.post(`/v1/portfolios/${pid}/var`, { method: 'historical', confidence: 95, lookback_days: 250 });
    if (res.status === 200) answered.ok++;
    return res;
  };
  const expect503 = async (res: request.Response, ms: number) => {
    expect(res.body).toMatchObject({ status_code: 503, error: 'Service Unavailable', error_type: 'DEPENDENCY_UNAVAILABLE', correlation_id: expect.any(String) });
    expect(res.headers['retry-after']).toBe('2');
    expect(ms).toBeLessThanOrEqual(3000);
  };
  const timed = async (call: () => Promise<request.Response>) => {
    const t0 = performance.now();
    const res = await call();
    return { res, ms: performance.now() - t0 };
  };

  /** Exactly one stored result and one risk.var.calculated event per 200 answered, none for a 503 (read directly, not through the proxy). */
  const expectOneRowPerAnswer = async () => {
    const direct = new Client({ connectionString: process.env.DATABASE_URL });
    await direct.connect();
    try {
      const results = await direct.query('SELECT count(*)::int AS n FROM var_results WHERE portfolio_id = $1', [pid]);
      const events = await direct.query(`SELECT count(*)::int AS n FROM outbox_events WHERE subject = 'risk.var.calculated' AND payload->>'portfolio_id' = $1`, [pid]);
      expect(results.rows[0].n).toBe(answered.ok);
      expect(events.rows[0].n).toBe(answered.ok);
    } finally {
      await direct.end();
    }
  };

  beforeAll(async () => {
    await proxy.start();
    const viaProxy = new URL(db.toString());
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    ({ app, url } = await startHttpApp({ DATABASE_URL: viaProxy.toString(), NATS_HANDLERS_ENABLED: 'false' }));
    a = api(url);
    const asset = `DBO-${run}`;
    await a.put(`/v1/assets/${asset}/returns`, businessDays(300).map((date, i) => ({ date, return_pct: 0.01 * Math.sin(i + 1) })));
    await a.post('/v1/portfolios', { id: pid, name: 'outage' });
    await a.put(`/v1/portfolios/${pid}/positions`, [{ asset_id: asset, market_value: '1000000' }]);
    expect((await storedVar()).status).toBe(200);
  });
  afterAll(async () => {
    await app?.close();
    await proxy.stop();
  });

  it('answers 503 within 3 s while PostgreSQL refuses connections, and 200 within 5 s of its return, storing nothing twice', async () => {
    await proxy.stop();
    const calc = await timed(storedVar);
    await expect503(calc.res, calc.ms);
    const nav = await timed(() => a.post(`/v1/portfolios/${pid}/nav`, { value: '1000000' }));
    await expect503(nav.res, nav.ms);
    const unknownKey = await timed(() => request(url).get('/v1/portfolios').set('x-api-key', `rk_${randomUUID()}`));
    await expect503(unknownKey.res, unknownKey.ms); // the key lookup needs the database: 503, not 500 or 401
    const ready = await timed(() => request(url).get('/health/ready'));
    await expect503(ready.res, ready.ms);
    await proxy.start();
    const back = await msUntilOk(storedVar, 5000);
    await expectOneRowPerAnswer();
    console.log(`refused: 503 after ${Math.round(calc.ms)} ms (stored VaR), ${Math.round(unknownKey.ms)} ms (key lookup); 200 again ${Math.round(back)} ms after the return`);
  });

  it('answers 503 within 3 s while PostgreSQL is silent, and 200 within 5 s of its return, storing nothing twice', async () => {
    proxy.silence();
    const calc = await timed(storedVar);
    await expect503(calc.res, calc.ms);
    const again = await timed(storedVar); // a new connection is accepted and never answered
    await expect503(again.res, again.ms);
    const ready = await timed(() => request(url).get('/health/ready'));
    expect(ready.res.status).toBe(503);
    proxy.restore();
    const back = await msUntilOk(storedVar, 5000);
    await expectOneRowPerAnswer();
    console.log(`silent: 503 after ${Math.round(calc.ms)} ms, then ${Math.round(again.ms)} ms; 200 again ${Math.round(back)} ms after the return`);
  });
});
