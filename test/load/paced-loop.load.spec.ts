import { randomUUID } from 'node:crypto';
import { counterOf, histogramOf, pausedLoopFor, quantile, shareAbove, Target } from '../../bench/http-load';
import { ensureBuilt, ServiceProcess } from '../../bench/service-process';
import { Xoshiro128 } from '../../src/math';

/** LOAD_TEST_SECONDS shortens the loop for a quick local look; CI runs the original design's 60 s. */
const SECONDS = Number(process.env.LOAD_TEST_SECONDS ?? 60);
const PAUSE_MS = 10;

/**
 * Load test (issue 11): the original design's loop against the built service as production runs it
 * (npm start's command, PostgreSQL, LOG_LEVEL info, Redis rate limit when REDIS_URL is set): one
 * client on one keep-alive connection, POST /v1/var with 1,000 returns, a 10 ms pause after each
 * answer, for 60 s. The service's own figures decide: fewer than 5 % of the calculations over 1 ms
 * (risk_calculation_sla_violations_total against risk_calculation_duration_seconds' count) and the
 * maths histogram's p99 under 1 ms. The wire times are printed, not asserted (the client shares the
 * machine; `npm run bench:http` compares them with a bare server).
 */
describe('load: the paced 60 s loop of POST /v1/var (1,000 returns, one client, 10 ms pause)', () => {
  const key = `load-${randomUUID()}`;
  let service: ServiceProcess;

  beforeAll(async () => {
    ensureBuilt();
    service = await ServiceProcess.start('load', { env: { ADMIN_API_KEY: key, LOG_LEVEL: 'info' } });
  }, 240_000);
  afterAll(async () => {
    await service?.stop();
  });

  it(`keeps SLA violations under 5 % and the maths p99 under 1 ms over ${SECONDS} s`, async () => {
    const rng = new Xoshiro128(11);
    const body = { returns: Array.from({ length: 1000 }, () => Math.round(0.01 * rng.nextNormal() * 1e6) / 1e6), confidence: 99, portfolio_value: '1000000' };
    const target: Target = { url: service.url, method: 'POST', path: '/v1/var', headers: { 'x-api-key': key }, body: JSON.stringify(body) };
    const metrics = async () => (await fetch(`${service.url}/metrics`)).text();
    let before = '';
    const wire = (await pausedLoopFor(target, SECONDS, PAUSE_MS, async () => (before = await metrics()))).sort((a, b) => a - b);
    const after = await metrics();

    const maths = (text: string) => histogramOf(text, 'risk_calculation_duration_seconds', { method: 'historical' });
    const { above, total } = shareAbove(maths(before), maths(after), 0.001);
    const violations = counterOf(after, 'risk_calculation_sla_violations_total', { method: 'historical' }) - counterOf(before, 'risk_calculation_sla_violations_total', { method: 'historical' });
    const http = shareAbove(
      histogramOf(before, 'http_request_duration_seconds', { method: 'POST', route: '/v1/var', status_code: '200' }),
      histogramOf(after, 'http_request_duration_seconds', { method: 'POST', route: '/v1/var', status_code: '200' }),
      0.001,
    );
    const pct = (x: number) => Math.round(x * 1e4) / 100;
    console.log(
      `load loop ${SECONDS} s: ${wire.length} calls; SLA violations ${violations} of ${total} (${pct(violations / total)} %); ` +
        `maths over 1 ms ${pct(above / total)} %; http_request_duration_seconds over 1 ms ${pct(http.above / http.total)} %; ` +
        `wire p50 ${Math.round(quantile(wire, 0.5))} µs, p99 ${Math.round(quantile(wire, 0.99))} µs`,
    );

    // Every call of the loop was one calculation, counted once.
    expect(total).toBe(wire.length);
    expect(http.total).toBe(wire.length);
    expect(wire.length).toBeGreaterThan(SECONDS * 50); // a call every ≤ 20 ms: the loop really ran
    expect(violations / total).toBeLessThan(0.05);
    expect(above / total).toBeLessThan(0.01); // p99 < 1 ms: under 1 % of the observations above the 1 ms bucket
  }, (SECONDS + 120) * 1000);
});
