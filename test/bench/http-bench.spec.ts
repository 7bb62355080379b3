import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createBareServer } from '../../bench/bare-server';
import { histogramOf, shareAbove } from '../../bench/http-load';
import { api } from '../support/api';
import { startHttpApp } from '../support/http-app';

/**
 * npm run bench:http compares like with like: the bare server answers POST /v1/var with the
 * service's figures for the same body, and the SLA share is read from the service's own histogram.
 */
describe('bench:http', () => {
  let app: NestFastifyApplication;
  let url: string;
  let bare: Server;
  let bareUrl: string;
  const body = { returns: Array.from({ length: 1000 }, (_, i) => Math.round(Math.sin(i * 1.7) * 0.02 * 1e6) / 1e6), confidence: 99, portfolio_value: '1000000' };

  beforeAll(async () => {
    ({ app, url } = await startHttpApp());
    bare = createBareServer().listen(0, '127.0.0.1');
    await once(bare, 'listening');
    bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    bare.close();
    await app.close();
  });

  it('answers POST /v1/var with the service\'s figures (the same maths, the same answer shape)', async () => {
    const service = await api(url).post('/v1/var', body);
    const plain = await (await fetch(`${bareUrl}/v1/var`, { method: 'POST', body: JSON.stringify(body) })).json();
    expect(service.status).toBe(200);
    const { calculated_at: _a, expires_at: _b, ...figures } = service.body;
    expect(plain).toEqual({ ...figures, calculated_at: expect.any(String), expires_at: expect.any(String) });
  });

  it('reads the calls over 1 ms from the service\'s http_request_duration_seconds', async () => {
    const scrape = async () => histogramOf((await api(url).get('/metrics')).text, 'http_request_duration_seconds', { method: 'POST', route: '/v1/var', status_code: '200' });
    const before = await scrape();
    for (let i = 0; i < 5; i++) expect((await api(url).post('/v1/var', body)).status).toBe(200);
    const after = await scrape();
    expect(shareAbove(before, after, 0.001).total).toBe(5);
    expect(after.buckets.get(Infinity)! - (before.buckets.get(Infinity) ?? 0)).toBe(5);
  });

  it('counts the observations above a bucket bound between two scrapes, summing the matching series only', () => {
    const scrape = (fast: number, slow: number) => [
      '# TYPE http_request_duration_seconds histogram',
      `http_request_duration_seconds_bucket{le="0.001",method="POST",route="/v1/var",status_code="200"} ${fast}`,
      `http_request_duration_seconds_bucket{le="+Inf",method="POST",route="/v1/var",status_code="200"} ${fast + slow}`,
      `http_request_duration_seconds_count{method="POST",route="/v1/var",status_code="200"} ${fast + slow}`,
      'http_request_duration_seconds_bucket{le="0.001",method="GET",route="/health/live",status_code="200"} 100',
      'http_request_duration_seconds_count{method="GET",route="/health/live",status_code="200"} 100',
    ].join('\n');
    const labels = { method: 'POST', route: '/v1/var' };
    const before = histogramOf(scrape(10, 2), 'http_request_duration_seconds', labels);
    expect(before).toEqual({ buckets: new Map([[0.001, 10], [Infinity, 12]]), count: 12 });
    expect(shareAbove(before, histogramOf(scrape(17, 5), 'http_request_duration_seconds', labels), 0.001)).toEqual({ above: 3, total: 10 });
  });
});
