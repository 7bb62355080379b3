import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { api, businessDays } from '../support/api';
import { startHttpApp } from '../support/http-app';
import { TcpProxy } from '../support/tcp-proxy';

describe('two replicas on one database with Redis unreachable', () => {
  const redis = new URL(process.env.REDIS_URL!);
  const proxy = new TcpProxy(Number(redis.port || 6379));
  let one: { app: NestFastifyApplication; url: string };
  let two: { app: NestFastifyApplication; url: string };

  beforeAll(async () => {
    await proxy.start();
    const env = { REDIS_URL: `redis://127.0.0.1:${proxy.port}${redis.pathname}`, NATS_HANDLERS_ENABLED: 'false' };
    one = await startHttpApp(env);
    two = await startHttpApp(env);
  });
  afterAll(async () => {
    await one?.app.close();
    await two?.app.close();
    await proxy.stop();
  });

  it('computes from the returns another replica ingested, not from its cached series', async () => {
    const run = randomUUID().slice(0, 8);
    const asset = `REP-${run}`;
    const pid = `rep-${run}`;
    const days = businessDays(300);
    const a = api(one.url);
    const b = api(two.url);
    await a.put(`/v1/assets/${asset}/returns`, days.map((date, i) => ({ date, return_pct: 0.01 * Math.sin(i + 1) })));
    await a.post('/v1/portfolios', { id: pid, name: 'replicas' });
    await a.put(`/v1/portfolios/${pid}/positions`, [{ asset_id: asset, market_value: '1000000' }]);
    const body = { method: 'historical', confidence: 99, lookback_days: 300 };
    const before = (await b.post(`/v1/portfolios/${pid}/var`, body)).body; // replica two caches the series
    expect(before.var_return).toBeLessThan(0);

    await proxy.stop(); // Redis is gone: no invalidation message can reach replica two
    const ingest = await a.put(`/v1/assets/${asset}/returns`, days.map((date, i) => ({ date, return_pct: 0.03 * Math.sin(i + 1) })));
    expect(ingest.body).toMatchObject({ updated: 300 });

    const afterOnTwo = (await b.post(`/v1/portfolios/${pid}/var`, body)).body;
    const afterOnOne = (await a.post(`/v1/portfolios/${pid}/var`, body)).body;
    expect(afterOnTwo.var_return).toBeCloseTo(3 * before.var_return, 12);
    expect(afterOnTwo.var_return).toBe(afterOnOne.var_return);
  });
});
