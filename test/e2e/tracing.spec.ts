import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { connect, consumerOpts, headers as natsHeaders, JSONCodec, NatsConnection } from 'nats';
import { api, businessDays } from '../support/api';
import { ChildApp, startChildApp } from '../support/child-app';
import { OtlpReceiver, ReceivedSpan } from '../support/otlp-receiver';

/** Deterministic daily returns within ±4 %: a 99 % VaR far beyond a 0.5 % limit. */
const SMI = Array.from({ length: 600 }, (_, i) => Math.round(((Math.sin(i * 12.9898) * 43758.5453) % 1) * 0.04 * 1e6) / 1e6);
const DATES = businessDays(SMI.length);
const json = JSONCodec();
const SERVER = 2;
const PRODUCER = 4;

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const parseTraceparent = (tp: string | undefined) => {
  const m = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/.exec(tp ?? '');
  return m ? { traceId: m[1], spanId: m[2] } : undefined;
};
/** The chain of parents from `span` up to the root of what the service exported. */
const ancestry = (span: ReceivedSpan, spans: ReceivedSpan[]): ReceivedSpan[] => {
  const chain = [span];
  for (let s = span; s.parentSpanId; ) {
    const parent = spans.find((p) => p.spanId === s.parentSpanId);
    if (!parent) break;
    chain.push(parent);
    s = parent;
  }
  return chain;
};

/**
 * The service as `npm start` runs it (main.ts loads tracing first), exporting OTLP/HTTP JSON to an
 * in-process receiver: one trace from the HTTP request through the database, the calculation and
 * the outbox publish to the traceparent on the breach event in JetStream.
 */
describe('OpenTelemetry tracing (OTLP/HTTP to an in-process receiver)', () => {
  const receiver = new OtlpReceiver();
  let app: ChildApp;
  let nc: NatsConnection;
  const pid = `trace-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    await receiver.start();
    app = await startChildApp({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'risk-service-trace-test',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      LOG_LEVEL: 'warn',
      NATS_NAV_DURABLE: `${process.env.NATS_NAV_DURABLE}-trace`,
    });
    nc = await connect({ servers: process.env.NATS_URL });
    const a = api(app.url);
    expect((await a.post('/v1/portfolios', { id: pid, name: 'Traced desk' })).status).toBe(201);
    expect((await a.put(`/v1/assets/SMI-${pid}/returns`, SMI.map((r, i) => ({ date: DATES[i], return_pct: r })))).status).toBe(200);
    expect((await a.put(`/v1/portfolios/${pid}/positions`, [{ asset_id: `SMI-${pid}`, market_value: '1000000' }])).status).toBe(200);
    expect((await a.put(`/v1/portfolios/${pid}/limits`, { max_var_percent: 0.5 })).status).toBe(200);
  }, 90_000);
  afterAll(async () => {
    await nc?.close();
    await app?.stop();
    await receiver.stop();
  });

  it('follows a stored VaR request that breaches its limit, through the database and the outbox, to the breach event', async () => {
    const sub = await nc.jetstream().subscribe('risk.limit.breach', (() => {
      const o = consumerOpts();
      o.orderedConsumer();
      o.deliverNew();
      return o;
    })());
    const breach = (async () => {
      for await (const m of sub) {
        const e = json.decode(m.data) as { portfolio_id: string };
        if (e.portfolio_id === pid) return { event: e, traceparent: m.headers?.get('traceparent') };
      }
      throw new Error('subscription ended');
    })();

    const traceId = hex(16);
    const callerSpan = hex(8);
    const res = await api(app.url).post(`/v1/portfolios/${pid}/var`, { confidence: 99, lookback_days: 500 }).set('traceparent', `00-${traceId}-${callerSpan}-01`);
    expect(res.status).toBe(200);
    expect(res.body.limit).toMatchObject({ status: 'critical' });

    const received = await Promise.race([breach, new Promise<never>((_, no) => setTimeout(() => no(new Error('no breach event within 10 s')), 10_000))]);
    sub.unsubscribe();
    const onEvent = parseTraceparent(received.traceparent);
    expect(onEvent?.traceId).toBe(traceId); // the event continues the caller's trace

    const spans = await receiver.waitForTrace(traceId, (s) => s.some((x) => x.spanId === onEvent?.spanId) && s.some((x) => x.kind === SERVER));
    const publish = spans.find((s) => s.spanId === onEvent!.spanId);
    expect(publish).toMatchObject({ name: 'risk.limit.breach publish', kind: PRODUCER, service: 'risk-service-trace-test' });
    expect(publish!.attributes).toMatchObject({ 'messaging.system': 'nats', 'messaging.destination.name': 'risk.limit.breach', 'messaging.message.id': (received.event as { id?: string }).id });

    // The publish hangs under the HTTP server span, which continues the caller's span.
    const chain = ancestry(publish!, spans);
    const server = chain.find((s) => s.kind === SERVER)!;
    expect(server).toBeDefined();
    expect(server.parentSpanId).toBe(callerSpan);
    expect(server.attributes).toMatchObject({ 'http.route': '/v1/portfolios/:id/var' });

    // Inside the request: the Fastify handler, the calculation, PostgreSQL and Redis.
    const inRequest = spans.filter((s) => ancestry(s, spans).includes(server) && s !== server);
    const scopes = new Set(inRequest.map((s) => s.scope));
    expect([...scopes]).toEqual(expect.arrayContaining(['@fastify/otel', '@opentelemetry/instrumentation-pg', '@opentelemetry/instrumentation-ioredis', 'risk-service']));
    expect(inRequest.find((s) => s.name === 'risk.calculation')?.attributes).toMatchObject({ 'risk.method': 'historical', 'risk.asset_class': 'portfolio' });
    expect(inRequest.some((s) => s.scope === '@opentelemetry/instrumentation-pg' && /INSERT INTO "?outbox_events/.test(String(s.attributes['db.query.text'] ?? s.attributes['db.statement'])))).toBe(true);
  });

  it('continues the traceparent of a NATS request in its handler span', async () => {
    const traceId = hex(16);
    const callerSpan = hex(8);
    const h = natsHeaders();
    h.set('traceparent', `00-${traceId}-${callerSpan}-01`);
    const reply = await nc.request('risk.var.calculate', json.encode({ returns: SMI.slice(0, 100), confidence: 95 }), { timeout: 5000, headers: h });
    expect(json.decode(reply.data)).toHaveProperty('var_return');
    const spans = await receiver.waitForTrace(traceId, (s) => s.some((x) => x.name === 'risk.calculation'));
    const handler = spans.find((s) => s.name === 'risk.var.calculate process');
    expect(handler).toMatchObject({ kind: SERVER, parentSpanId: callerSpan });
    expect(spans.find((s) => s.name === 'risk.calculation')).toMatchObject({ parentSpanId: handler!.spanId });
  });
});

describe('tracing off', () => {
  const loads = (env: Record<string, string>) =>
    execFileSync(
      process.execPath,
      ['-r', './test/support/ts-register.js', '-e', "require('./src/observability/tracing.ts'); console.log(Object.keys(require.cache).some((k) => k.includes('@opentelemetry/sdk-node')))"],
      { cwd: resolve(__dirname, '../..'), env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' },
    ).trim();

  it('does not even load the SDK when OTEL_EXPORTER_OTLP_ENDPOINT is unset', () => {
    expect(loads({})).toBe('false');
  });

  it('loads it when the endpoint is set', () => {
    expect(loads({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' })).toBe('true');
  });
});
