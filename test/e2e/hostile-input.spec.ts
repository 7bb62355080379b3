import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { connect, JSONCodec, NatsConnection, StringCodec } from 'nats';
import request from 'supertest';
import { api, businessDays } from '../support/api';
import { startHttpApp } from '../support/http-app';
import { rawHttp, requestHead } from '../support/raw-http';

const KEY = process.env.ADMIN_API_KEY!;
const json = JSONCodec();

function nested(depth: number, leaf = '1'): string {
  return '['.repeat(depth) + leaf + ']'.repeat(depth);
}

function expectErrorBody(res: { status: number; body: any }, status: number) {
  expect(res.status).toBe(status);
  expect(res.body).toMatchObject({ status_code: status, error_type: expect.any(String), message: expect.any(Array) });
  expect(typeof res.body.correlation_id).toBe('string');
}

/** api.md Hardening: bad input is 4xx, never 5xx, whatever its shape, over REST and NATS alike. */
describe('hostile input', () => {
  let app: NestFastifyApplication;
  let url: string;
  let a: ReturnType<typeof api>;
  let nc: NatsConnection;
  const pid = `hi-${randomUUID().slice(0, 8)}`;
  const asset = `A-${pid}`;
  const postRaw = (path: string, text: string) => request(url).post(path).set('x-api-key', KEY).set('content-type', 'application/json').send(text);
  const putRaw = (path: string, text: string) => request(url).put(path).set('x-api-key', KEY).set('content-type', 'application/json').send(text);

  beforeAll(async () => {
    ({ app, url } = await startHttpApp());
    a = api(url);
    nc = await connect({ servers: process.env.NATS_URL });
    expect((await a.post('/v1/portfolios', { id: pid, name: 'Hostile input desk' })).status).toBe(201);
  });
  afterAll(async () => {
    await nc.close();
    await app.close();
  });

  describe('JSON nesting', () => {
    it.each([
      ['POST', '/v1/var', (d: string) => `{"returns":[0.01,0.02],"confidence":${d}}`],
      ['POST', '/v1/portfolios', (d: string) => `{"id":"x","name":${d}}`],
      ['PUT', `/v1/portfolios/{pid}/positions`, (d: string) => `[{"asset_id":"A","market_value":${d}}]`],
      ['POST', '/v1/position-size', (d: string) => `{"method":"kelly","equity":"1","x":${d}}`],
    ])('answers %s %s with a body nested 2,000 deep with 400', async (method, path, body) => {
      const p = path.replace('{pid}', pid);
      const res = method === 'POST' ? await postRaw(p, body(nested(2000))) : await putRaw(p, body(nested(2000)));
      expectErrorBody(res, 400);
      expect(res.body.message[0]).toMatch(/nested more than 64 levels/);
    });

    it('accepts 64 levels and refuses 65 (the root counts as one)', async () => {
      const at64 = await postRaw('/v1/drawdown', `{"values":[1,2],"x":${nested(63)}}`);
      expect(at64.status).toBe(400);
      expect(at64.body.message.join(' ')).not.toMatch(/nested/); // refused for the unknown field, after parsing
      const at65 = await postRaw('/v1/drawdown', `{"values":[1,2],"x":${nested(64)}}`);
      expectErrorBody(at65, 400);
      expect(at65.body.message[0]).toMatch(/nested more than 64 levels/);
    });

    it('does not count brackets inside strings', async () => {
      const res = await postRaw('/v1/portfolios', JSON.stringify({ id: `b-${pid}`, name: '['.repeat(100) + '\\"{'.repeat(30) }));
      expect(res.status).toBe(201);
    });

    it('answers a NATS request nested 2,000 deep with a 400 error body', async () => {
      const msg = await nc.request('risk.var.calculate', StringCodec().encode(`{"returns":${nested(2000)}}`), { timeout: 5000 });
      const res = json.decode(msg.data) as any;
      expect(res.error).toMatchObject({ status_code: 400, error_type: 'INVALID_INPUT' });
      expect(res.error.message[0]).toMatch(/nested more than 64 levels/);
    });
  });

  describe('money fields', () => {
    it.each([
      ['portfolio_value on /v1/var', () => a.post('/v1/var', { returns: [0.01, -0.02, 0.03], method: 'parametric', portfolio_value: '+1' }), 'portfolio_value'],
      ['risk_limit on /v1/cvar', () => a.post('/v1/cvar', { returns: [0.01, -0.02, 0.03], method: 'parametric', risk_limit: '+1' }), 'risk_limit'],
      ['equity on /v1/position-size', () => a.post('/v1/position-size', { method: 'kelly', equity: '+1', win_probability: 0.6, win_loss_ratio: 2 }), 'equity'],
      ['entry_price on /v1/position-size', () => a.post('/v1/position-size', { method: 'fixed_fractional', equity: '1000', risk_fraction: 0.01, entry_price: '+50', stop_price: '48' }), 'entry_price'],
      ['market_value of a position', () => a.put(`/v1/portfolios/${pid}/positions`, [{ asset_id: 'X', market_value: '+1' }]), 'market_value'],
      ['a NAV value', () => a.post(`/v1/portfolios/${pid}/nav`, { value: '+1' }), 'value'],
    ])('answers "+1" in %s with 400 naming the field', async (_what, send, field) => {
      const res = await send();
      expectErrorBody(res, 400);
      expect(res.body.message.join(' ')).toContain(field);
    });

    it.each([
      ['1e-20000', '1e-20000'],
      ['a 200,000-digit number', '9'.repeat(200_000)],
    ])('answers %s as a market value with 400', async (_label, value) => {
      const res = await a.put(`/v1/portfolios/${pid}/positions`, [{ asset_id: 'X', market_value: value }]);
      expectErrorBody(res, 400);
      expect(res.body.message.join(' ')).toContain('[0].market_value');
    });

    it.each([
      ['1e-20000', '1e-20000'],
      ['a 200,000-digit number', '9'.repeat(200_000)],
    ])('answers %s as a NAV with 400', async (_label, value) => {
      const res = await a.post(`/v1/portfolios/${pid}/nav`, { value });
      expectErrorBody(res, 400);
      expect(res.body.message.join(' ')).toMatch(/^value /);
    });
  });

  describe('returns', () => {
    it.each([
      ['1e-20000 as a string', '1e-20000'],
      ['a 200,000-digit number as a string', `0.${'1'.repeat(200_000)}`],
      ['1e5000 as a string', '1e5000'],
    ])('answers return_pct %s with 400 naming the row', async (_label, value) => {
      const res = await a.put(`/v1/assets/${asset}/returns`, [{ date: '2024-01-02', return_pct: value }]);
      expectErrorBody(res, 400);
      expect(res.body.message[0]).toMatch(/^\[0\]: return_pct/);
    });

    it('answers a JSON number too large for a double (0.000…01e1000000 is Infinity) with 400 naming the element', async () => {
      // JSON.parse reads it as Infinity; the fast reader must not read a capped exponent as its value (review of json-fast-path.ts).
      const returns = Array.from({ length: 30 }, (_, i) => ((i % 7) - 3) / 100);
      const text = JSON.stringify({ returns, confidence: 95 }).replace('[', `[0.${'0'.repeat(99_999)}1e1000000,`);
      const res = await postRaw('/v1/var', text);
      expectErrorBody(res, 400);
      expect(res.body.message).toEqual([expect.stringMatching(/^returns\[0\] must be a finite number/)]);
    });

    it('answers a 200,000-digit return in CSV with 400 naming the line', async () => {
      // The streaming reader refuses a record over 4,096 bytes before its value is looked at.
      const res = await a.putCsv(`/v1/assets/${asset}/returns`, `date,return_pct\n2024-01-02,0.01\n2024-01-03,0.${'1'.repeat(200_000)}`);
      expectErrorBody(res, 400);
      expect(res.body.message).toEqual([expect.stringMatching(/^line 3: malformed CSV \(Max Record Size/)]);
      const tiny = await a.putCsv(`/v1/assets/${asset}/returns`, `date,return_pct\n2024-01-02,1e-20000\n`);
      expectErrorBody(tiny, 400);
      expect(tiny.body.message).toEqual([expect.stringMatching(/^line 2: return_pct/)]);
    });
  });

  describe('null for optional fields is absent', () => {
    it('sizes a fixed-fractional position with every optional field null', async () => {
      const res = await a.post('/v1/position-size', {
        method: 'fixed_fractional', equity: '100000', risk_fraction: 0.01, entry_price: '50', stop_price: '48',
        portfolio_id: null, max_position_size_percent: null, max_leverage: null, kelly_multiplier: null, win_probability: null,
        win_loss_ratio: null, trade_returns: null, target_annual_vol: null, returns: null, daily_volatility: null, periods_per_year: null,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ method: 'fixed_fractional', units: 500, notional: '25000.00', capped_by: null });
    });

    it('answers a required field sent as null with 400 naming it', async () => {
      const res = await a.post('/v1/position-size', { method: 'fixed_fractional', equity: '100000', risk_fraction: null, entry_price: '50', stop_price: '48' });
      expectErrorBody(res, 400);
      expect(res.body.message).toEqual(['risk_fraction is required for method fixed_fractional']);
    });

    it('computes a historical VaR with null Monte Carlo fields', async () => {
      const res = await a.post('/v1/var', { returns: [0.01, -0.02, 0.03, -0.01, 0.02], confidence: 80, seed: null, simulations: null, distribution: null, portfolio_value: null });
      expect(res.status).toBe(200);
      expect(res.body.portfolio_value).toBe('1.00');
    });

    it('answers target_annual_vol 1e308 with 400 naming it', async () => {
      const res = await a.post('/v1/position-size', { method: 'volatility_target', equity: '1000', target_annual_vol: 1e308, daily_volatility: 0.01 });
      expectErrorBody(res, 400);
      expect(res.body.message.join(' ')).toContain('target_annual_vol');
    });
  });

  describe('NUL and lone surrogates', () => {
    it.each([
      ['an id', { id: 'a\u0000b', name: 'x' }, 'id'],
      ['a name', { id: `n-${pid}`, name: 'desk\u0000' }, 'name'],
      ['a name with a lone surrogate', { id: `s-${pid}`, name: 'desk \ud800' }, 'name'],
      ['a field name', { id: `k-${pid}`, name: 'x', ['a\u0000']: 1 }, 'field name'],
    ])('answers %s with 400 naming the field', async (_what, body, field) => {
      const res = await postRaw('/v1/portfolios', JSON.stringify(body));
      expectErrorBody(res, 400);
      expect(res.body.message.join(' ')).toContain(field);
    });

    it('answers an escaped lone surrogate (\\udc00) in a name with 400', async () => {
      const res = await postRaw('/v1/portfolios', `{"id":"e-${pid}","name":"x\\udc00y"}`);
      expectErrorBody(res, 400);
      expect(res.body.message).toEqual([expect.stringMatching(/^name must be well-formed Unicode/)]);
    });

    it('answers GET /v1/portfolios/%00 with 400 naming the id', async () => {
      const res = await a.get('/v1/portfolios/%00');
      expectErrorBody(res, 400);
      expect(res.body.message).toEqual([expect.stringMatching(/^id must not contain NUL/)]);
    });

    it('answers a NUL in a query with 400 naming the parameter', async () => {
      const res = await a.get('/v1/alerts?portfolio_id=%00');
      expectErrorBody(res, 400);
      expect(res.body.message).toEqual([expect.stringMatching(/^portfolio_id must not contain NUL/)]);
    });

    it('answers a NUL in a NATS payload with a 400 error body', async () => {
      const msg = await nc.request('risk.var.calculate', json.encode({ returns: [0.01, 0.02], portfolio_id: 'a\u0000' }), { timeout: 5000 });
      const res = json.decode(msg.data) as any;
      expect(res.error).toMatchObject({ status_code: 400, error_type: 'INVALID_INPUT', message: [expect.stringMatching(/^portfolio_id must not contain NUL/)] });
    });

    it('answers a __proto__ key with 400', async () => {
      const res = await postRaw('/v1/portfolios', `{"id":"p-${pid}","name":"x","__proto__":{"admin":true}}`);
      expectErrorBody(res, 400);
      expect(res.body.message.join(' ')).toContain('__proto__');
    });
  });

  describe("Fastify's own errors", () => {
    it('answers a bad percent-encoding (PUT /v1/assets/%FF/returns) with the error body', async () => {
      const r = await rawHttp(
        Number(new URL(url).port),
        requestHead(['PUT /v1/assets/%FF/returns HTTP/1.1', `Host: localhost`, `x-api-key: ${KEY}`, 'Content-Type: application/json', 'Content-Length: 2', 'Connection: close']),
        '[]',
      );
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ status_code: 400, error: 'Bad Request', error_type: 'INVALID_INPUT', message: [expect.stringMatching(/URL/)] });
      expect(typeof r.json.correlation_id).toBe('string');
      expect(r.json).not.toHaveProperty('code');
      expect(r.json).not.toHaveProperty('statusCode');
    });

    it('answers an over-long path parameter with 414 and the error body', async () => {
      const res = await a.get(`/v1/portfolios/${'p'.repeat(500)}`);
      expect(res.status).toBe(414);
      expect(res.body).toMatchObject({ status_code: 414, error: 'URI Too Long', error_type: 'INVALID_INPUT' });
      expect(res.body).not.toHaveProperty('code');
    });

    it('answers a form-encoded body with 415 (JSON only, and CSV where documented)', async () => {
      const res = await request(url).post('/v1/var').set('x-api-key', KEY).set('content-type', 'application/x-www-form-urlencoded').send('returns=1');
      expectErrorBody(res, 415);
      expect(res.body.error_type).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it('answers a malformed request line with the error body', async () => {
      const r = await rawHttp(Number(new URL(url).port), 'GET /v1/portfolios HTTP/1.1\r\nHost: localhost\r\nBad Header\r\n\r\n');
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ status_code: 400, error_type: 'INVALID_INPUT' });
    });
  });

  it('stores nothing for a rejected book: the book is unchanged', async () => {
    const dates = businessDays(3);
    expect((await a.put(`/v1/assets/${asset}/returns`, dates.map((d) => ({ date: d, return_pct: 0.001 })))).status).toBe(200);
    expect((await a.put(`/v1/portfolios/${pid}/positions`, [{ asset_id: asset, market_value: '100' }])).status).toBe(200);
    expect((await a.put(`/v1/portfolios/${pid}/positions`, [{ asset_id: asset, market_value: '1e-20000' }])).status).toBe(400);
    expect((await a.get(`/v1/portfolios/${pid}`)).body.positions).toEqual([{ asset_id: asset, market_value: '100.00' }]);
  });
});
