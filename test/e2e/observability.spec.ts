import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { connect, headers as natsHeaders, JSONCodec, NatsConnection } from 'nats';
import request from 'supertest';
import { api } from '../support/api';
import { startHttpApp } from '../support/http-app';
import { sample } from '../support/metric-sample';

const json = JSONCodec();
const RETURNS = Array.from({ length: 40 }, (_, i) => ((i * 7919) % 41) / 1000 - 0.02);

describe('NATS replies and error counting', () => {
  let app: NestFastifyApplication;
  let url: string;
  let nc: NatsConnection;
  beforeAll(async () => {
    ({ app, url } = await startHttpApp());
    nc = await connect({ servers: process.env.NATS_URL });
  });
  afterAll(async () => {
    await nc.close();
    await app.close();
  });

  const ask = (subject: string, body: unknown, correlationId?: string) => {
    const h = natsHeaders();
    if (correlationId) h.set('x-correlation-id', correlationId);
    return nc.request(subject, json.encode(body), { timeout: 5000, headers: h });
  };

  it('echoes the x-correlation-id of a NATS request on its reply', async () => {
    const reply = await ask('risk.var.calculate', { returns: RETURNS, confidence: 95 }, 'nats-echo-1');
    expect(json.decode(reply.data)).toHaveProperty('var_return');
    expect(reply.headers?.get('x-correlation-id')).toBe('nats-echo-1');
  });

  it('echoes it on an error reply too', async () => {
    const reply = await ask('risk.var.calculate', { returns: RETURNS, confidence: 0.95 }, 'nats-echo-2');
    expect(json.decode(reply.data)).toMatchObject({ error: { status_code: 400, correlation_id: 'nats-echo-2' } });
    expect(reply.headers?.get('x-correlation-id')).toBe('nats-echo-2');
  });

  it('gives a reply a new correlation id when the request had none', async () => {
    const reply = await ask('risk.position_size.calculate', { method: 'kelly', equity: '1000', win_probability: 0.6, win_loss_ratio: 2 });
    expect(reply.headers?.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('counts a REST calculation refused by validation as error_type="validation"', async () => {
    const labels = { method: 'parametric', error_type: 'validation' };
    const before = await sample(url, 'risk_calculation_errors_total', labels);
    const res = await api(url).post('/v1/var', { returns: RETURNS, confidence: 0.95, method: 'parametric' });
    expect(res.status).toBe(400);
    expect(await sample(url, 'risk_calculation_errors_total', labels)).toBe(before + 1);
  });

  it('counts a REST calculation whose body is not JSON', async () => {
    const labels = { method: 'historical', error_type: 'validation' };
    const before = await sample(url, 'risk_calculation_errors_total', labels);
    const res = await request(url).post('/v1/cvar').set('x-api-key', process.env.ADMIN_API_KEY!).set('content-type', 'application/json').send('{"returns": [0.1,');
    expect(res.status).toBe(400);
    expect(await sample(url, 'risk_calculation_errors_total', labels)).toBe(before + 1);
  });

  it('counts a NATS calculation refused by validation the same way', async () => {
    const labels = { method: 'cornish_fisher', error_type: 'validation' };
    const before = await sample(url, 'risk_calculation_errors_total', labels);
    await ask('risk.cvar.calculate', { returns: [0.01, 'x'], method: 'cornish_fisher' });
    expect(await sample(url, 'risk_calculation_errors_total', labels)).toBe(before + 1);
  });

  it('does not count a refused request that is not a calculation', async () => {
    const before = await sample(url, 'risk_calculation_errors_total', { method: 'unknown', error_type: 'validation' });
    const historical = await sample(url, 'risk_calculation_errors_total', { method: 'historical', error_type: 'validation' });
    expect((await api(url).post('/v1/portfolios', { id: '', name: 42 })).status).toBe(400);
    expect(await sample(url, 'risk_calculation_errors_total', { method: 'unknown', error_type: 'validation' })).toBe(before);
    expect(await sample(url, 'risk_calculation_errors_total', { method: 'historical', error_type: 'validation' })).toBe(historical);
  });
});
