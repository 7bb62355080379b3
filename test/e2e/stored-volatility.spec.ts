import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { connect, JSONCodec, NatsConnection } from 'nats';
import request from 'supertest';
import { NatsConnectionService } from '../../src/events/nats-connection.service';
import { api, businessDays } from '../support/api';
import { startHttpApp } from '../support/http-app';
import { expectRel, loadQuantReference, loadReference, simpleReturns } from '../support/reference';

const ref = loadReference();
const SMI = simpleReturns(ref.series.SMI.prices);
const CAC = simpleReturns(ref.series.CAC.prices);
const DATES = businessDays(SMI.length);
const json = JSONCodec();

/** numpy's figures of the stored 600,000 SMI / 400,000 CAC book (scripts/reference/quant_reference.py, "stored"). */
interface StoredCase {
  method: 'ewma' | 'filtered_historical';
  lambda: number | null;
  lambda_used: number;
  confidence: number;
  horizon_days: number;
  lookback_days: number | null;
  observations: number;
  var_return: number;
  var: string;
  cvar_return: number;
  cvar: string;
  sigma_forecast: number;
  var_components?: Array<{ return: number; money: string }>;
  cvar_components?: Array<{ return: number; money: string }>;
}
const STORED = loadQuantReference().stored as { market_values: string[]; cases: StoredCase[] };
const label = (c: StoredCase) => `${c.method} ${c.confidence} % λ ${c.lambda ?? 'default'} ${c.horizon_days} d lookback ${c.lookback_days ?? 'all'}`;
/** The request body of a case: `lambda` and `lookback_days` left out where numpy used the defaults / every date. */
const bodyOf = (c: StoredCase) => ({
  method: c.method,
  confidence: c.confidence,
  horizon_days: c.horizon_days,
  lookback_days: c.lookback_days ?? 100_000,
  ...(c.lambda === null ? {} : { lambda: c.lambda }),
});

/**
 * The volatility-model methods (ewma, filtered_historical) on stored portfolios, end to end: POST
 * …/var and …/cvar, a risk run and NATS risk.portfolio.var against numpy's figures of the SMI/CAC
 * book to 1e-9 (money exactly), the 400s, and the Swagger examples.
 */
describe('stored ewma and filtered_historical VaR / CVaR over HTTP, risk runs and NATS', () => {
  let app: NestFastifyApplication;
  let url: string;
  let nc: NatsConnection;
  let a: ReturnType<typeof api>;
  const run = randomUUID().slice(0, 8);
  const smiId = `V1-SMI-${run}`; // positions are listed by asset id: SMI first, as numpy's columns
  const cacId = `V2-CAC-${run}`;

  beforeAll(async () => {
    ({ app, url } = await startHttpApp());
    a = api(url);
    nc = await connect({ servers: process.env.NATS_URL });
    await app.get(NatsConnectionService).jetstream();
    for (const [id, r] of [[smiId, SMI], [cacId, CAC]] as const) {
      expect((await a.put(`/v1/assets/${id}/returns`, r.map((x, i) => ({ date: DATES[i], return_pct: x })))).status).toBe(200);
    }
  });
  afterAll(async () => {
    await nc.close();
    await app.close();
  });

  const book = async () => {
    const id = `vol-${randomUUID().slice(0, 8)}`;
    expect((await a.post('/v1/portfolios', { id, name: 'Volatility desk', base_currency: 'CHF' })).status).toBe(201);
    const [smi, cac] = STORED.market_values;
    expect((await a.put(`/v1/portfolios/${id}/positions`, [{ asset_id: smiId, market_value: smi }, { asset_id: cacId, market_value: cac }])).status).toBe(200);
    return id;
  };

  /** A stored answer (or history row) against numpy: figures to 1e-9, money exactly, volatility, contributions. */
  const expectCase = (body: any, c: StoredCase, kind: 'var' | 'cvar') => {
    expect(body).toMatchObject({
      kind,
      method: c.method,
      confidence_level: c.confidence,
      horizon_days: c.horizon_days,
      scaling: c.horizon_days === 1 ? 'none' : 'sqrt_time',
      observations: c.observations,
      from: DATES[SMI.length - c.observations],
      to: DATES[SMI.length - 1],
      portfolio_value: '1000000.00',
      var: c.var,
      volatility: { lambda: c.lambda_used },
      limit: expect.objectContaining({ status: expect.any(String) }),
    });
    expectRel(body.var_return, c.var_return);
    expectRel(body.volatility.sigma_forecast, c.sigma_forecast);
    if (kind === 'cvar') {
      expect(body.cvar).toBe(c.cvar);
      expectRel(body.cvar_return, c.cvar_return);
    }
    if (c.method === 'filtered_historical') {
      expect(body.contributions).toBeNull();
      return;
    }
    const expected = kind === 'var' ? c.var_components! : c.cvar_components!;
    expect(body.contributions.map((x: any) => [x.asset_id, x.weight])).toEqual([[smiId, 0.6], [cacId, 0.4]]);
    body.contributions.forEach((x: any, i: number) => {
      expectRel(kind === 'var' ? x.component_var_return : x.component_cvar_return, expected[i].return);
      expect(kind === 'var' ? x.component_var : x.component_cvar).toBe(expected[i].money);
    });
  };

  it.each(STORED.cases.map((c) => [label(c), c] as const))('POST …/var and …/cvar, %s: numpy’s figures, stored as answered', async (_label, c) => {
    const pid = await book();
    for (const kind of ['var', 'cvar'] as const) {
      const res = await a.post(`/v1/portfolios/${pid}/${kind}`, bodyOf(c));
      expect(res.status).toBe(200);
      expectCase(res.body, c, kind);
      expect((await a.get(`/v1/portfolios/${pid}/var-history?limit=1`)).body).toEqual([res.body]);
    }
  });

  it('a risk run with method ewma stores numpy’s figures for every portfolio of the run', async () => {
    const c = STORED.cases.find((x) => x.method === 'ewma' && x.lambda !== null)!;
    const ids = [await book(), await book()];
    const res = await a.post('/v1/risk-runs', { portfolios: ids, ...bodyOf(c) });
    expect(res.status).toBe(202);
    const deadline = Date.now() + 30_000;
    let progress: any;
    do {
      await new Promise((r) => setTimeout(r, 50));
      progress = (await a.get(`/v1/risk-runs/${res.body.id}`)).body;
    } while (progress.status === 'running' && Date.now() < deadline);
    expect(progress).toMatchObject({ status: 'done', done: 2, failed: 0 });
    for (const pid of ids) {
      const [stored] = (await a.get(`/v1/portfolios/${pid}/var-history`)).body;
      expect(stored.run_id).toBe(res.body.id);
      expectCase(stored, c, 'var');
    }
  });

  it('answers risk.portfolio.var on NATS with an ewma VaR and a filtered_historical CVaR as numpy', async () => {
    for (const [method, kind] of [['ewma', 'var'], ['filtered_historical', 'cvar']] as const) {
      const c = STORED.cases.find((x) => x.method === method && x.lambda === null)!;
      const pid = await book();
      const msg = await nc.request('risk.portfolio.var', json.encode({ portfolio_id: pid, kind, ...bodyOf(c) }), { timeout: 10_000 });
      const body = json.decode(msg.data) as any;
      expectCase(body, c, kind);
      expect((await a.get(`/v1/portfolios/${pid}/var-history?limit=1`)).body[0].id).toBe(body.id);
    }
  });

  it.each([
    ['/var', { method: 'historical', lambda: 0.94 }, 'lambda applies to methods ewma and filtered_historical only'],
    ['/var', { method: 'ewma', lambda: 'x' }, 'lambda must be a number greater than 0 and less than 1 (e.g. 0.94)'],
    ['/cvar', { method: 'filtered_historical', lambda: 1 }, 'lambda must be a number greater than 0 and less than 1 (e.g. 0.94), got 1'],
    ['/var', { method: 'garch' }, expect.stringMatching(/^method must be one of the following values: historical, parametric, cornish_fisher, monte_carlo, ewma, filtered_historical/)],
  ])('answers 400 naming the field for …%s %j, storing nothing', async (path, body, message) => {
    const pid = await book();
    const res = await a.post(`/v1/portfolios/${pid}${path}`, body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status_code: 400, error_type: 'INVALID_INPUT', message: [message] });
    expect((await a.get(`/v1/portfolios/${pid}/var-history`)).body).toEqual([]);
  });

  it('refuses a risk run with lambda and another method (400), starting nothing', async () => {
    const pid = await book();
    const res = await a.post('/v1/risk-runs', { portfolios: [pid], method: 'parametric', lambda: 0.9 });
    expect(res.body).toMatchObject({ status_code: 400, message: ['lambda applies to methods ewma and filtered_historical only'] });
  });

  it('documents the methods, lambda, volatility and nullable contributions in Swagger, with worked examples', async () => {
    const doc = (await request(url).get('/docs-json')).body;
    for (const kind of ['var', 'cvar']) {
      const examples = doc.paths[`/v1/portfolios/{id}/${kind}`].post.requestBody.content['application/json'].examples;
      expect(examples.ewma.value).toMatchObject({ method: 'ewma', lambda: 0.94 });
      expect(examples.filtered_historical.value).toMatchObject({ method: 'filtered_historical' });
    }
    const req = doc.components.schemas.PortfolioRiskRequestDto.properties;
    expect(req.method.enum).toEqual(['historical', 'parametric', 'cornish_fisher', 'monte_carlo', 'ewma', 'filtered_historical']);
    expect(req.lambda).toMatchObject({ default: 0.94 });
    const res = doc.components.schemas.StoredRiskResponseDto.properties;
    expect(res.contributions).toMatchObject({ nullable: true });
    expect(res.volatility).toBeDefined();
  });
});
