import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { loadReference, relClose, simpleReturns } from '../support/reference';
import { startHttpApp } from '../support/http-app';

type Operation = {
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string; description?: string; required?: boolean }>;
  requestBody?: { content: Record<string, { example?: unknown; examples?: Record<string, { value: unknown }> }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema?: unknown; example?: unknown }> }>;
};

const ref = loadReference();
const SMI = simpleReturns(ref.series.SMI.prices);
const SMI_EXPECTED = ref.series.SMI.expected;

describe('stateless calculations, health and the API document over HTTP', () => {
  let app: NestFastifyApplication;
  let url: string;
  beforeAll(async () => {
    ({ app, url } = await startHttpApp());
  });
  afterAll(async () => {
    await app.close();
  });
  const key = process.env.ADMIN_API_KEY!;
  const post = (path: string, body: unknown) => request(url).post(path).set('x-api-key', key).send(body as object);

  function expectError(res: request.Response, status: number, type: string, pattern?: RegExp) {
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ status_code: status, error_type: type });
    expect(Array.isArray(res.body.message)).toBe(true);
    expect(typeof res.body.correlation_id).toBe('string');
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(ts|js):\d+|node_modules|SELECT /);
    if (pattern) expect(res.body.message.join(' | ')).toMatch(pattern);
  }

  describe('POST /v1/var', () => {
    it('answers 400 naming returns when their statistics overflow float64 (the fuzz found a 500 on [1.94e154, 0], monte_carlo)', async () => {
      expectError(await post('/v1/var', { returns: [1.9395909213103956e154, 0], method: 'parametric' }), 400, 'INVALID_INPUT', /returns are too large for parametric VaR/);
    });

    it('answers a series whose dispersion underflows the higher moments (the fuzz found a 500 on [0, 3.14e-162])', async () => {
      for (const path of ['/v1/var', '/v1/cvar']) {
        const res = await post(path, { returns: [0, 3.1434555694052576e-162], method: 'cornish_fisher' });
        expect(res.status).toBe(200);
        expect(Number.isFinite(res.body.var_return)).toBe(true);
        expect(res.body.statistics).toMatchObject({ skewness: 0, excess_kurtosis: 0 });
      }
    });

    it('answers the reference historical VaR of the SMI in return and money terms', async () => {
      const res = await post('/v1/var', { returns: SMI, confidence: 95, portfolio_value: '1000000', portfolio_id: 'desk-7' });
      expect(res.status).toBe(200);
      const expected = SMI_EXPECTED.cases['95'].historical_var;
      expect(relClose(res.body.var_return, expected)).toBe(true);
      expect(res.body.var).toBe((Math.round(expected * 1e8) / 100).toFixed(2));
      expect(res.body).toMatchObject({ portfolio_id: 'desk-7', method: 'historical', confidence_level: 95, horizon_days: 1, scaling: 'none', portfolio_value: '1000000.00' });
      expect(res.body.statistics.count).toBe(1859);
      expect(relClose(res.body.statistics.std_dev, SMI_EXPECTED.std_dev)).toBe(true);
      expect(Date.parse(res.body.expires_at)).toBeGreaterThan(Date.parse(res.body.calculated_at));
    });

    it('scales a parametric VaR to 10 days by mean and variance', async () => {
      const res = await post('/v1/var', { returns: SMI, confidence: 99, method: 'parametric', horizon_days: 10 });
      expect(res.status).toBe(200);
      expect(res.body.scaling).toBe('mean_variance');
      expect(relClose(res.body.var_return, SMI_EXPECTED.cases['99'].parametric_var_10d)).toBe(true);
    });

    it('says sqrt_time for a historical VaR over several days', async () => {
      const res = await post('/v1/var', { returns: SMI, confidence: 97.5, horizon_days: 10 });
      expect(res.body.scaling).toBe('sqrt_time');
      expect(relClose(res.body.var_return, SMI_EXPECTED.cases['97.5'].historical_var_10d)).toBe(true);
    });

    it('answers the Cornish-Fisher reference figure', async () => {
      const res = await post('/v1/var', { returns: SMI, confidence: 99, method: 'cornish_fisher' });
      expect(relClose(res.body.var_return, SMI_EXPECTED.cases['99'].cornish_fisher_var)).toBe(true);
    });

    it('reproduces a seeded Monte Carlo figure and returns the seed', async () => {
      const body = { returns: SMI, confidence: 99, method: 'monte_carlo', simulations: 20000, seed: 7 };
      const [a, b] = await Promise.all([post('/v1/var', body), post('/v1/var', body)]);
      expect(a.status).toBe(200);
      expect(a.body.var_return).toBe(b.body.var_return);
      expect(a.body.monte_carlo).toMatchObject({ simulations: 20000, seed: 7, distribution: 'normal' });
      expect(a.body.monte_carlo.standard_error).toBeGreaterThan(0);
    });

    it('flags a breached risk limit', async () => {
      const res = await post('/v1/var', { returns: SMI, confidence: 99, portfolio_value: '1000000', risk_limit: '10000' });
      expect(res.body).toMatchObject({ risk_limit: '10000.00', risk_limit_breached: true });
    });

    it('echoes a well-formed correlation id and replaces a malformed one', async () => {
      const ok = await request(url).post('/v1/var').set('x-api-key', key).set('x-correlation-id', 'trade-42.a:b').send({ returns: SMI });
      expect(ok.headers['x-correlation-id']).toBe('trade-42.a:b');
      const bad = await request(url).post('/v1/var').set('x-api-key', key).set('x-correlation-id', 'has spaces!').send({ returns: [0.1] });
      expect(bad.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(bad.body.correlation_id).toBe(bad.headers['x-correlation-id']);
    });
  });

  describe('POST /v1/cvar', () => {
    it('answers VaR and expected shortfall', async () => {
      const res = await post('/v1/cvar', { returns: SMI, confidence: 97.5, portfolio_value: 1000000 });
      expect(res.status).toBe(200);
      expect(relClose(res.body.cvar_return, SMI_EXPECTED.cases['97.5'].historical_cvar)).toBe(true);
      expect(relClose(res.body.var_return, SMI_EXPECTED.cases['97.5'].historical_var)).toBe(true);
      expect(res.body.cvar_return).toBeLessThanOrEqual(res.body.var_return);
      expect(res.body.cvar).toMatch(/^-\d+\.\d{2}$/);
    });
  });

  describe('POST /v1/drawdown', () => {
    it('answers the reference drawdown of the SMI closes', async () => {
      const res = await post('/v1/drawdown', { values: ref.series.SMI.prices });
      expect(res.status).toBe(200);
      const e = SMI_EXPECTED.drawdown_prices;
      expect(relClose(res.body.max_drawdown, e.max_drawdown)).toBe(true);
      expect(res.body).toMatchObject({
        peak_index: e.peak_index,
        trough_index: e.trough_index,
        recovery_index: e.recovery_index,
        current_drawdown_periods: e.current_drawdown_periods,
        longest_drawdown_periods: e.longest_drawdown_periods,
        count: 1860,
      });
    });

    it('builds the curve from returns (count = n + 1)', async () => {
      const res = await post('/v1/drawdown', { returns: [0.1, -0.5, 0.2] });
      expect(res.status).toBe(200);
      expect(res.body.count).toBe(4);
      expect(res.body.max_drawdown).toBeCloseTo(0.5, 12);
      expect(res.body).toMatchObject({ peak_index: 1, trough_index: 2, recovery_index: null });
    });

    it('needs exactly one of values and returns', async () => {
      expectError(await post('/v1/drawdown', { values: [1, 2], returns: [0.1] }), 400, 'INVALID_INPUT', /exactly one/);
      expectError(await post('/v1/drawdown', {}), 400, 'INVALID_INPUT', /exactly one/);
    });
  });

  describe('POST /v1/position-size', () => {
    it('sizes fixed-fractional in whole units and caps at the position limit', async () => {
      const res = await post('/v1/position-size', { method: 'fixed_fractional', equity: '1000000', risk_fraction: 0.01, entry_price: '50', stop_price: '48', max_position_size_percent: 10 });
      expect(res.status).toBe(200);
      // uncapped: 10,000 / 2 = 5,000 units = 250,000 = 25 % of equity; capped at 10 % = 2,000 units
      expect(res.body).toMatchObject({ method: 'fixed_fractional', units: 2000, notional: '100000.00', capped_by: 'position_limit', fraction: 0.1, uncapped_fraction: 0.25 });
    });

    it('uses half Kelly by default', async () => {
      const res = await post('/v1/position-size', { method: 'kelly', equity: '1000000', win_probability: 0.55, win_loss_ratio: 1.5 });
      // f* = 0.55 − 0.45 / 1.5 = 0.25; half = 0.125
      expect(res.body.fraction).toBeCloseTo(0.125, 12);
      expect(res.body.notional).toBe('125000.00');
      expect(res.body.capped_by).toBeNull();
    });

    it('caps a volatility target by leverage', async () => {
      const res = await post('/v1/position-size', { method: 'volatility_target', equity: '1000000', target_annual_vol: 0.2, daily_volatility: 0.005 });
      // 0.2 / (0.005 √252) = 2.52 > max_leverage 1
      expect(res.body).toMatchObject({ capped_by: 'leverage', fraction: 1, notional: '1000000.00' });
      expect(res.body.uncapped_fraction).toBeCloseTo(0.2 / (0.005 * Math.sqrt(252)), 12);
    });

    it('names the missing inputs of a method', async () => {
      expectError(await post('/v1/position-size', { method: 'fixed_fractional', equity: '1000' }), 400, 'INVALID_INPUT', /risk_fraction is required.*entry_price is required.*stop_price is required/);
      expectError(await post('/v1/position-size', { method: 'fixed_fractional', equity: '1000', risk_fraction: 0.01, entry_price: '5', stop_price: '5' }), 400, 'INVALID_INPUT', /stop_price must differ/);
    });
  });

  describe('POST /v1/backtest', () => {
    it('reproduces the reference rolling 99 % backtest of the SMI', async () => {
      const res = await post('/v1/backtest', { returns: SMI, confidence: 99, window: 250 });
      expect(res.status).toBe(200);
      const e = SMI_EXPECTED.backtest;
      expect(res.body).toMatchObject({ observations: e.observations, exceptions: e.exceptions, traffic_light: e.traffic_light, exceptions_last_250: e.exceptions_last_250 });
      expect(relClose(res.body.kupiec.lr, e.kupiec_lr)).toBe(true);
      expect(relClose(res.body.conditional_coverage.p_value, e.conditional_coverage_p_value)).toBe(true);
    });

    it('checks that forecasts and returns have the same length', async () => {
      expectError(await post('/v1/backtest', { returns: [0.01, 0.02], var_forecasts: [-0.01] }), 400, 'INVALID_INPUT', /one value per return/);
    });
  });

  describe('bad input answers a 4xx with the error body', () => {
    const base = { returns: SMI.slice(0, 120), confidence: 95 };
    const cases: Array<[string, unknown, number, string, RegExp]> = [
      ['a non-number element', { ...base, returns: [0.01, 'x', 0.02] }, 400, 'INVALID_INPUT', /returns\[1\] must be a finite number/],
      ['a null element', { ...base, returns: [0.01, null] }, 400, 'INVALID_INPUT', /returns\[1\] must be a finite number/],
      ['a return of -100 %', { ...base, returns: [0.01, -1] }, 400, 'INVALID_INPUT', /returns\[1\] must be greater than -1/],
      ['returns that are not an array', { ...base, returns: 'abc' }, 400, 'INVALID_INPUT', /returns must be an array/],
      ['missing returns', { confidence: 95 }, 400, 'INVALID_INPUT', /returns is required/],
      ['confidence as a fraction', { ...base, confidence: 0.95 }, 400, 'INVALID_INPUT', /confidence is a percentage, e.g. 95/],
      ['confidence 100', { ...base, confidence: 100 }, 400, 'INVALID_INPUT', /confidence/],
      ['confidence as text', { ...base, confidence: 'high' }, 400, 'INVALID_INPUT', /confidence must be a number/],
      ['an unknown method', { ...base, method: 'magic' }, 400, 'INVALID_INPUT', /method must be one of/],
      ['a fractional horizon', { ...base, horizon_days: 1.5 }, 400, 'INVALID_INPUT', /horizon_days must be an integer/],
      ['a huge horizon', { ...base, horizon_days: 100000 }, 400, 'INVALID_INPUT', /horizon_days must not be greater than 250/],
      ['a negative portfolio value', { ...base, portfolio_value: '-5' }, 400, 'INVALID_INPUT', /portfolio_value must be greater than 0/],
      ['a non-decimal portfolio value', { ...base, portfolio_value: '12abc' }, 400, 'INVALID_INPUT', /portfolio_value must be a decimal amount/],
      ['too many simulations', { ...base, method: 'monte_carlo', simulations: 1_000_001 }, 400, 'INVALID_INPUT', /simulations must not be greater than 1000000/],
      ['simulations without monte_carlo', { ...base, simulations: 100 }, 400, 'INVALID_INPUT', /simulations applies to method monte_carlo only/],
      ['an unknown field', { ...base, confidence_level: 95 }, 400, 'INVALID_INPUT', /property confidence_level should not exist/],
      ['a body that is an array', [0.01, 0.02], 400, 'INVALID_INPUT', /body must be a JSON object/],
      ['too few returns for historical 99 %', { returns: SMI.slice(0, 99), confidence: 99 }, 422, 'INSUFFICIENT_DATA', /need at least 100/],
      ['one return for parametric', { returns: [0.01], method: 'parametric' }, 422, 'INSUFFICIENT_DATA', /2/],
    ];
    it.each(cases)('rejects %s', async (_name, body, status, type, pattern) => {
      expectError(await post('/v1/var', body), status, type, pattern);
    });

    it('rejects NaN and Infinity tokens as malformed JSON', async () => {
      for (const raw of ['{"returns":[0.01,NaN]}', '{"returns":[Infinity]}', '{"returns":[0.01,]}']) {
        const res = await request(url).post('/v1/var').set('x-api-key', key).set('content-type', 'application/json').send(raw);
        expectError(res, 400, 'INVALID_INPUT', /not valid JSON/);
      }
    });

    it('rejects a wrong content type with 415', async () => {
      const res = await request(url).post('/v1/var').set('x-api-key', key).set('content-type', 'application/xml').send('<returns/>');
      expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('rejects more than 1,000,000 returns with 413', async () => {
      const res = await post('/v1/var', { returns: new Array(1_000_001).fill(0.001) });
      expectError(res, 413, 'PAYLOAD_TOO_LARGE', /at most 1000000/);
    });

    it('rejects a body over the byte limit with 413', async () => {
      const { app: small, url: smallUrl } = await startHttpApp({ BODY_LIMIT_BYTES: '2048' });
      try {
        const res = await request(smallUrl).post('/v1/var').set('x-api-key', key).send({ returns: new Array(2000).fill(0.001) });
        expectError(res, 413, 'PAYLOAD_TOO_LARGE');
      } finally {
        await small.close();
      }
    });

    it('answers an unknown route with 404 in the error body', async () => {
      expectError(await request(url).get('/v1/nope').set('x-api-key', key), 404, 'NOT_FOUND');
    });

    it('accepts a million returns', async () => {
      const returns = Array.from({ length: 1_000_000 }, (_, i) => Math.sin(i) * 0.01);
      const res = await post('/v1/var', { returns, confidence: 99 });
      expect(res.status).toBe(200);
      expect(res.body.statistics.count).toBe(1_000_000);
    });
  });

  describe('OpenAPI document (/docs-json)', () => {
    let doc: { paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, unknown> } };
    const operations = () => Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([verb, op]) => ({ name: `${verb.toUpperCase()} ${path}`, path, verb, op })));

    beforeAll(async () => {
      const res = await request(url).get('/docs-json');
      expect(res.status).toBe(200);
      doc = res.body;
    });

    it('declares the API key on every /v1 operation, the calculations included', () => {
      expect(doc.components.securitySchemes).toHaveProperty('api-key');
      const v1 = operations().filter((o) => o.path.startsWith('/v1/'));
      expect(v1.length).toBeGreaterThanOrEqual(25);
      const without = v1.filter((o) => !o.op.security?.some((s) => 'api-key' in s)).map((o) => o.name);
      expect(without).toEqual([]);
    });

    it('documents a 2xx with a response schema on every operation (a 204 documents no body, the report page is HTML)', () => {
      const bodyType = (path: string) => (path === '/report' ? 'text/html' : 'application/json');
      const missing = operations()
        .filter(({ path, op }) => {
          const success = Object.entries(op.responses).filter(([code]) => /^2\d\d$/.test(code));
          if (success.length === 0) return true;
          return !success.every(([code, r]) => (code === '204' ? r.content === undefined : !!r.content?.[bodyType(path)]?.schema));
        })
        .map((o) => o.name);
      expect(missing).toEqual([]);
      expect(Object.keys(doc.paths).filter((p) => p.startsWith('/report'))).toEqual(['/report']); // the page, not its asset files
    });

    it('gives every documented error an example whose status_code is its own response code', () => {
      const wrong: string[] = [];
      let errors = 0;
      for (const { name, op } of operations()) {
        for (const [code, r] of Object.entries(op.responses)) {
          if (!/^[45]\d\d$/.test(code)) continue;
          errors++;
          const example = r.content?.['application/json']?.example as { status_code?: number; error_type?: string; message?: unknown } | undefined;
          if (example?.status_code !== Number(code) || typeof example.error_type !== 'string' || !Array.isArray(example.message)) wrong.push(`${name} ${code}`);
        }
      }
      expect(errors).toBeGreaterThan(100);
      expect(wrong).toEqual([]);
    });

    it('documents 201 where the service answers 201', () => {
      for (const path of ['/v1/portfolios', '/v1/api-keys']) {
        expect(Object.keys(doc.paths[path].post.responses).filter((c) => c.startsWith('2'))).toEqual(['201']);
      }
    });

    it('describes every path parameter', () => {
      const bare = operations().flatMap(({ name, op }) => (op.parameters ?? []).filter((p) => p.in === 'path' && !p.description).map((p) => `${name} :${p.name}`));
      expect(bare).toEqual([]);
    });

    it('shows the returns upload with a CSV example under text/csv and no content-type parameter to fill in', () => {
      const op = doc.paths['/v1/assets/{asset_id}/returns'].put;
      const csv = op.requestBody!.content['text/csv'];
      const csvExample = csv.example ?? Object.values(csv.examples ?? {})[0]?.value;
      expect(typeof csvExample).toBe('string');
      expect(csvExample as string).toMatch(/^date,return_pct\n\d{4}-\d{2}-\d{2},/);
      const json = op.requestBody!.content['application/json'];
      expect(Array.isArray(json.example ?? Object.values(json.examples ?? {})[0]?.value)).toBe(true);
      expect((op.parameters ?? []).filter((p) => p.in === 'header')).toEqual([]);
    });

    it('shows a worked example on every /v1 request body', () => {
      const without = operations()
        .filter(({ path, op }) => path.startsWith('/v1/') && op.requestBody)
        .filter(({ op }) => Object.values(op.requestBody!.content).some((c) => c.example === undefined && c.examples === undefined))
        .map((o) => o.name);
      expect(without).toEqual([]);
    });
  });

  describe('health', () => {
    it('answers liveness', async () => {
      const res = await request(url).get('/health/live');
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('ok');
    });
  });
});
