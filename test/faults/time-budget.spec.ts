import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { startHttpApp } from '../support/http-app';

/**
 * Goal (api.md "Time budget"): p99 ≤ 50 ms for /health/live and a small /v1/var while the largest
 * Monte Carlo runs. Checked here with a wider bound, since this machine's 2 cores are shared by
 * several test runs; the figures are printed. Before the worker pool, each probe waited the whole
 * Monte Carlo (7.5 s).
 */
const P99_BOUND_MS = 250;

const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(0.99 * xs.length))];

describe('time budget: heavy maths off the event loop', () => {
  let app: NestFastifyApplication;
  let url: string;
  beforeAll(async () => {
    ({ app, url } = await startHttpApp({ CALCULATION_TIMEOUT_MS: '180000', NATS_HANDLERS_ENABLED: 'false' }));
  });
  afterAll(() => app.close());
  const key = process.env.ADMIN_API_KEY!;
  const returns = Array.from({ length: 500 }, (_, i) => 0.01 * Math.sin(i * 1.3 + 1));

  it('keeps /health/live and a small /v1/var fast while a 1,000,000 × 250-day Monte Carlo runs', async () => {
    const heavy = request(url).post('/v1/var').set('x-api-key', key).send({ returns, method: 'monte_carlo', simulations: 1_000_000, horizon_days: 250, seed: 1, confidence: 99 });
    const heavyDone = heavy.then((r) => r);
    await new Promise((r) => setTimeout(r, 300)); // it is on a worker thread now
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const live: number[] = [];
    const small: number[] = [];
    let finished = false;
    void heavyDone.then(() => (finished = true));
    for (let i = 0; i < 100 && !finished; i++) {
      let t0 = performance.now();
      expect((await request(url).get('/health/live')).status).toBe(200);
      live.push(performance.now() - t0);
      t0 = performance.now();
      expect((await request(url).post('/v1/var').set('x-api-key', key).send({ returns: returns.slice(0, 100), confidence: 95 })).status).toBe(200);
      small.push(performance.now() - t0);
    }
    lag.disable();
    const res = await heavyDone;
    console.log(
      `during a 1M × 250 Monte Carlo (${res.status}): /health/live p99 ${p99(live).toFixed(1)} ms, small /v1/var p99 ${p99(small).toFixed(1)} ms over ${live.length} probes each; event-loop lag p99 ${(lag.percentile(99) / 1e6).toFixed(1)} ms, max ${(lag.max / 1e6).toFixed(1)} ms`,
    );
    expect(res.status).toBe(200);
    expect(res.body.monte_carlo).toMatchObject({ simulations: 1_000_000, seed: 1 });
    expect(live.length).toBeGreaterThanOrEqual(20); // the probes ran while it was computing
    expect(p99(live)).toBeLessThan(P99_BOUND_MS);
    expect(p99(small)).toBeLessThan(P99_BOUND_MS);
  }, 240_000);
});
