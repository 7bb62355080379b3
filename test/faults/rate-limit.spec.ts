import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { api } from '../support/api';
import { startHttpApp } from '../support/http-app';

describe('rate limit per API key', () => {
  const env = { RATE_LIMIT_PER_MINUTE: '5', NATS_HANDLERS_ENABLED: 'false' };
  let one: { app: NestFastifyApplication; url: string };
  let two: { app: NestFastifyApplication; url: string };
  beforeAll(async () => {
    one = await startHttpApp(env);
    two = await startHttpApp(env);
  });
  afterAll(async () => {
    await one?.app.close();
    await two?.app.close();
  });

  /** A fresh analyst key (its own count), made with the admin key on an unlimited instance. */
  const newKey = async (): Promise<string> => {
    const { app, url } = await startHttpApp({ RATE_LIMIT_PER_MINUTE: '0', NATS_HANDLERS_ENABLED: 'false' });
    try {
      return (await api(url).post('/v1/api-keys', { name: `rl-${Date.now()}`, role: 'analyst' })).body.key;
    } finally {
      await app.close();
    }
  };

  it('answers 429 RATE_LIMITED with Retry-After past RATE_LIMIT_PER_MINUTE, counted across replicas through Redis', async () => {
    const key = await newKey();
    const statuses: number[] = [];
    for (const url of [one.url, two.url, one.url, two.url, one.url]) statuses.push((await api(url, key).get('/v1/portfolios')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const over = await api(two.url, key).get('/v1/portfolios');
    expect(over.status).toBe(429);
    expect(over.body).toMatchObject({ status_code: 429, error: 'Too Many Requests', error_type: 'RATE_LIMITED', correlation_id: expect.any(String) });
    expect(over.body.message[0]).toMatch(/more than 5 requests in a minute/);
    expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(over.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect((await api(one.url, key).get('/v1/portfolios')).status).toBe(429);
  });

  it('counts each key on its own, and leaves /health alone', async () => {
    const [a, b] = [await newKey(), await newKey()];
    for (let i = 0; i < 5; i++) expect((await api(one.url, a).get('/v1/portfolios')).status).toBe(200);
    expect((await api(one.url, a).get('/v1/portfolios')).status).toBe(429);
    expect((await api(one.url, b).get('/v1/portfolios')).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await request(one.url).get('/health/live')).status).toBe(200);
  });

  it('counts in process, by the same rules, when no REDIS_URL is set (the embedded default)', async () => {
    const key = await newKey();
    const alone = await startHttpApp({ ...env, REDIS_URL: undefined });
    try {
      for (let i = 0; i < 5; i++) expect((await api(alone.url, key).get('/v1/portfolios')).status).toBe(200);
      const over = await api(alone.url, key).get('/v1/portfolios');
      expect(over.status).toBe(429);
      expect(over.body.error_type).toBe('RATE_LIMITED');
      expect(Number(over.headers['retry-after'])).toBe(60); // blocked for a window from the 6th request
      expect((await request(alone.url).get('/health/live')).status).toBe(200);
    } finally {
      await alone.app.close();
    }
  });
});
