import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { connect, headers, JSONCodec, NatsConnection, StringCodec } from 'nats';
import request from 'supertest';
import { startHttpApp } from '../support/http-app';
import { loadReference, simpleReturns } from '../support/reference';

const SMI = simpleReturns(loadReference().series.SMI.prices);
const json = JSONCodec();

describe('NATS request handlers answer plain JSON', () => {
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

  const ask = async (subject: string, body: unknown, h?: ReturnType<typeof headers>) => {
    const msg = await nc.request(subject, json.encode(body), { timeout: 5000, headers: h });
    return { body: json.decode(msg.data) as any, headers: msg.headers };
  };

  it('gives a plain client the same figures as POST /v1/var', async () => {
    const body = { returns: SMI, confidence: 99, method: 'cornish_fisher', portfolio_value: '1000000', horizon_days: 5 };
    const viaNats = (await ask('risk.var.calculate', body)).body;
    const viaHttp = (await request(url).post('/v1/var').set('x-api-key', process.env.ADMIN_API_KEY!).send(body)).body;
    expect(viaNats.var_return).toBe(viaHttp.var_return);
    expect(viaNats.var).toBe(viaHttp.var);
    expect(viaNats.statistics).toEqual(viaHttp.statistics);
    expect(viaNats).not.toHaveProperty('response');
    expect(viaNats).not.toHaveProperty('id');
  });

  it('answers CVaR and position size', async () => {
    const cvar = (await ask('risk.cvar.calculate', { returns: SMI, confidence: 97.5 })).body;
    expect(cvar.cvar_return).toBeLessThan(cvar.var_return);
    const size = (await ask('risk.position_size.calculate', { method: 'kelly', equity: '1000', win_probability: 0.6, win_loss_ratio: 2 })).body;
    expect(size).toMatchObject({ method: 'kelly', notional: '200.00', capped_by: null });
  });

  it('answers bad input with the REST error body under "error", carrying the correlation id', async () => {
    const h = headers();
    h.set('x-correlation-id', 'nats-corr-1');
    const res = (await ask('risk.var.calculate', { returns: [0.1, 'x'], confidence: 0.95 }, h)).body;
    expect(res.error).toMatchObject({ status_code: 400, error_type: 'INVALID_INPUT', correlation_id: 'nats-corr-1' });
    expect(res.error.message.join(' ')).toMatch(/returns\[1\] must be a finite number/);
    const short = (await ask('risk.var.calculate', { returns: [0.01, 0.02], confidence: 99 })).body;
    expect(short.error).toMatchObject({ status_code: 422, error_type: 'INSUFFICIENT_DATA' });
  });

  it('answers a payload that is not JSON', async () => {
    const msg = await nc.request('risk.var.calculate', StringCodec().encode('{not json'), { timeout: 5000 });
    const res = json.decode(msg.data) as any;
    expect(res.error).toMatchObject({ status_code: 400, error_type: 'INVALID_INPUT' });
    expect(res.error.message[0]).toMatch(/not valid JSON/);
  });
});
