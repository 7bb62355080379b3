import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { api } from '../support/api';
import { startHttpApp } from '../support/http-app';
import { expectRel, loadQuantReference, stressHistories } from '../support/reference';

const STRESS = loadQuantReference().stress as {
  market_values: string[];
  aligned_dates: number;
  scenarios: Array<Record<string, any>>;
};
const { histories, alignedDates } = stressHistories();

/**
 * POST /v1/portfolios/:id/stress end to end: numpy's P&L of every scenario type on the SMI/CAC book
 * (scripts/reference/quant_reference.py, "stress": CAC misses every 13th date, so the assets' own
 * dates differ), to the cent and 1e-9; the 400s naming fields, the 422s, scope and roles, Swagger.
 */
describe('stress scenarios over HTTP', () => {
  let app: NestFastifyApplication;
  let url: string;
  let a: ReturnType<typeof api>;
  const run = randomUUID().slice(0, 8);
  // Positions are listed by asset id: SMI first, as numpy's columns.
  const smiId = `S1-SMI-${run}`;
  const cacId = `S2-CAC-${run}`;
  const idOf: Record<string, string> = { SMI: smiId, CAC: cacId };

  beforeAll(async () => {
    ({ app, url } = await startHttpApp());
    a = api(url);
    for (const [i, id] of [smiId, cacId].entries()) {
      const rows = histories[i].dates.map((date, t) => ({ date, return_pct: histories[i].returns[t] }));
      expect((await a.put(`/v1/assets/${id}/returns`, rows)).status).toBe(200);
    }
  });
  afterAll(async () => {
    await app.close();
  });

  const book = async (positions: Array<{ asset_id: string; market_value: string }> = [
    { asset_id: smiId, market_value: STRESS.market_values[0] },
    { asset_id: cacId, market_value: STRESS.market_values[1] },
  ]) => {
    const id = `stress-${randomUUID().slice(0, 8)}`;
    expect((await a.post('/v1/portfolios', { id, name: 'Stress desk', base_currency: 'CHF' })).status).toBe(201);
    if (positions.length) expect((await a.put(`/v1/portfolios/${id}/positions`, positions)).status).toBe(200);
    return id;
  };
  /** A numpy scenario as a request scenario (its shocks keyed by this run's asset ids). */
  const requestOf = (s: Record<string, any>) => {
    switch (s.type) {
      case 'shock':
        return { name: s.name, type: s.type, shocks: Object.fromEntries(Object.entries(s.shocks).map(([k, v]) => [idOf[k], v])) };
      case 'historical':
        return { name: s.name, type: s.type, from: s.from, to: s.to };
      default:
        return { name: s.name, type: s.type, days: s.days };
    }
  };

  it('uses a book whose aligned dates are numpy’s', () => {
    expect(alignedDates).toHaveLength(STRESS.aligned_dates);
  });

  it('answers every scenario type as numpy: P&L per asset and in total to the cent, returns to 1e-9, window dates exactly', async () => {
    const pid = await book();
    const res = await a.post(`/v1/portfolios/${pid}/stress`, { scenarios: STRESS.scenarios.map(requestOf) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ portfolio_id: pid, portfolio_value: '1000000.00' });
    expect(res.body.scenarios).toHaveLength(STRESS.scenarios.length);
    expect(new Set(STRESS.scenarios.map((s) => s.type))).toEqual(new Set(['shock', 'historical', 'worst_window']));
    STRESS.scenarios.forEach((s, k) => {
      const got = res.body.scenarios[k];
      expect(got).toMatchObject({ name: s.name, type: s.type, pnl: s.pnl });
      expectRel(got.pnl_return, s.pnl_return);
      expect(got.assets.map((x: any) => [x.asset_id, x.pnl])).toEqual([[smiId, s.assets[0].pnl], [cacId, s.assets[1].pnl]]);
      got.assets.forEach((x: any, i: number) => expectRel(x.return, s.assets[i].return));
      if (s.type === 'shock') expect(got).not.toHaveProperty('from');
      else expect(got).toMatchObject({ from: s.from, to: s.to });
      if (s.type === 'worst_window') expect(got.days).toBe(s.days);
    });
  });

  it('stores nothing and raises nothing', async () => {
    const pid = await book();
    await a.put(`/v1/portfolios/${pid}/limits`, { max_var_percent: 0.1 });
    expect((await a.post(`/v1/portfolios/${pid}/stress`, { scenarios: [requestOf(STRESS.scenarios[0])] })).status).toBe(200);
    expect((await a.get(`/v1/portfolios/${pid}/var-history`)).body).toEqual([]);
    expect((await a.get(`/v1/portfolios/${pid}/breaches?since=2000-01-01T00:00:00Z`)).body).toEqual([]);
    expect((await a.get(`/v1/alerts?portfolio_id=${pid}`)).body).toEqual([]);
  });

  it('answers shocks on a book without stored returns (only the other types need them)', async () => {
    const pid = await book([{ asset_id: `NORET-${run}`, market_value: '250.50' }]);
    const res = await a.post(`/v1/portfolios/${pid}/stress`, { scenarios: [{ name: 'down', type: 'shock', shocks: { [`NORET-${run}`]: -1 } }] });
    expect(res.body).toMatchObject({ portfolio_value: '250.50', scenarios: [{ pnl: '-250.50', pnl_return: -1, assets: [{ return: -1, pnl: '-250.50' }] }] });
    const hist = await a.post(`/v1/portfolios/${pid}/stress`, { scenarios: [{ name: 'h', type: 'historical', from: '1994-01-01', to: '1994-12-31' }] });
    expect(hist.body).toMatchObject({ status_code: 422, error_type: 'INSUFFICIENT_DATA', message: [expect.stringMatching(`^no returns stored for NORET-${run}`)] });
  });

  it.each([
    ['a shock on an asset the book does not hold', [{ name: 'x', type: 'shock', shocks: { 'ZZZ-none': -0.1 } }], 'scenarios[0].shocks.ZZZ-none: the portfolio holds no asset ZZZ-none'],
    ['a historical range with no stored dates', [{ name: 'future', type: 'historical', from: '2030-01-01', to: '2030-12-31' }], /^scenarios\[0\] \(future\): S1-SMI-\w+ has no stored return from 2030-01-01 to 2030-12-31/],
    // 1991-07-09 is the 6th return date (index 5): CAC's stored returns miss it, SMI has one.
    ['a historical range where one asset has no date', [{ name: 'gap', type: 'historical', from: '1991-07-09', to: '1991-07-09' }], /^scenarios\[0\] \(gap\): S2-CAC-\w+ has no stored return from 1991-07-09 to 1991-07-09/],
    ['a window longer than the aligned history', [{ name: 'w', type: 'worst_window', days: STRESS.aligned_dates + 1 }], `scenarios[0].days: the assets of the book share ${STRESS.aligned_dates} dates, fewer than the ${STRESS.aligned_dates + 1}-day window asked for`],
  ])('answers 422 for %s, naming it', async (_what, scenarios, message) => {
    const pid = await book();
    const res = await a.post(`/v1/portfolios/${pid}/stress`, { scenarios });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ status_code: 422, error_type: 'INSUFFICIENT_DATA', message: [typeof message === 'string' ? message : expect.stringMatching(message)] });
  });

  it('answers the longest window the aligned history allows', async () => {
    const pid = await book();
    const res = await a.post(`/v1/portfolios/${pid}/stress`, { scenarios: [{ name: 'all', type: 'worst_window', days: STRESS.aligned_dates }] });
    expect(res.body.scenarios[0]).toMatchObject({ from: alignedDates[0], to: alignedDates[alignedDates.length - 1] });
  });

  it('answers 422 for a book without positions and for a book whose net value is not positive', async () => {
    const empty = await book([]);
    expect((await a.post(`/v1/portfolios/${empty}/stress`, { scenarios: [{ name: 'x', type: 'worst_window', days: 1 }] })).body).toMatchObject({ status_code: 422, error_type: 'INSUFFICIENT_DATA' });
    const flat = await book([{ asset_id: smiId, market_value: '100' }, { asset_id: cacId, market_value: '-100' }]);
    expect((await a.post(`/v1/portfolios/${flat}/stress`, { scenarios: [{ name: 'x', type: 'shock', shocks: { [smiId]: -0.1 } }] })).body).toMatchObject({ status_code: 422, error_type: 'INVALID_INPUT' });
  });

  it('answers 400 naming every bad field of the scenarios, in one answer', async () => {
    const pid = await book();
    const res = await a.post(`/v1/portfolios/${pid}/stress`, {
      scenarios: [
        { name: 'a', type: 'shock', shocks: { [smiId]: -1.5 } },
        { name: 'b', type: 'historical', from: '1994-02-30', to: '1994-12-31' },
        { name: 'c', type: 'worst_window' },
        { name: 'd', type: 'tsunami' },
        { name: 'e', type: 'historical', from: '1994-01-01', to: '1994-02-01', shocks: { [smiId]: -0.1 } },
        { name: 'f', type: 'worst_window', days: 2.5, color: 'red' },
        { name: 'x'.repeat(129), type: 'shock', shocks: { [smiId]: -0.1 } },
        { type: 'worst_window', days: 3 },
        { name: 'g', type: 'historical', to: '1994-12-31' },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.error_type).toBe('INVALID_INPUT');
    expect(res.body.message.sort()).toEqual(
      [
        `scenarios[0].shocks.${smiId} must be a finite return of at least -1 (e.g. -0.2 for a 20 % fall), got -1.5`,
        'scenarios[1].from must be a YYYY-MM-DD calendar date (got "1994-02-30")',
        'scenarios[2].days is required for a scenario of type worst_window (the window length in aligned dates)',
        'scenarios[3].type must be one of the following values: shock, historical, worst_window',
        'scenarios[4].shocks applies to scenarios of type shock only',
        'scenarios[5].days must be an integer from 1 to 100,000 (aligned dates), got 2.5',
        'scenarios[5].color: property color should not exist',
        'scenarios[6].name must be at most 128 characters, got 129',
        'scenarios[7].name is required (a label of 1 to 128 characters)',
        'scenarios[8].from is required for a scenario of type historical (a YYYY-MM-DD date)',
      ].sort(),
    );
  });

  it.each([
    [{}, 'scenarios must be an array of scenarios'],
    [{ scenarios: { name: 'x', type: 'worst_window', days: 1 } }, 'scenarios must be an array of scenarios'],
    [{ scenarios: [] }, 'scenarios must hold at least one scenario'],
    [{ scenarios: [{ name: 'x', type: 'worst_window', days: 1 }, []] }, 'scenarios[1] must be a scenario object: { "name", "type", … }'],
    [{ scenarios: Array.from({ length: 51 }, (_, i) => ({ name: `s${i}`, type: 'worst_window', days: 1 })) }, 'scenarios holds 51 scenarios: at most 50 in one request'],
    [{ scenarios: [{ name: 'x', type: 'worst_window', days: 1 }, { name: 'x', type: 'worst_window', days: 2 }] }, 'scenarios[1].name repeats scenarios[0].name (x): names must be unique'],
    [{ scenarios: [{ name: 'x', type: 'historical', from: '1994-12-31', to: '1994-01-01' }] }, 'scenarios[0].to (1994-01-01) must not be before from (1994-12-31)'],
    [{ scenarios: [{ name: 'x', type: 'shock', shocks: {} }] }, 'scenarios[0].shocks must name at least one asset'],
    [{ scenarios: [{ name: 'x', type: 'shock', shocks: [-0.2] }] }, 'scenarios[0].shocks must be an object of asset id → return, e.g. { "SMI": -0.2 }'],
    [{ scenarios: [{ name: ' ', type: 'worst_window', days: 1 }] }, 'scenarios[0].name must not be blank'],
  ])('answers 400 for %j', async (body, message) => {
    const pid = await book();
    const res = await a.post(`/v1/portfolios/${pid}/stress`, body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status_code: 400, error_type: 'INVALID_INPUT', message: [message] });
  });

  it('answers 404 for an unknown portfolio and for one outside a scoped key; a viewer may not run it (403)', async () => {
    const body = { scenarios: [{ name: 'w', type: 'worst_window', days: 5 }] };
    expect((await a.post('/v1/portfolios/no-such-book/stress', body)).body).toMatchObject({ status_code: 404, error_type: 'NOT_FOUND', message: ['portfolio no-such-book not found'] });
    const [mine, other] = [await book(), await book()];
    const scoped = api(url, (await a.post('/v1/api-keys', { name: `stress-scoped-${mine}`, role: 'analyst', portfolios: [mine] })).body.key as string);
    expect((await scoped.post(`/v1/portfolios/${mine}/stress`, body)).status).toBe(200);
    expect((await scoped.post(`/v1/portfolios/${other}/stress`, body)).body).toMatchObject({ status_code: 404, error_type: 'NOT_FOUND', message: [`portfolio ${other} not found`] });
    const viewer = api(url, (await a.post('/v1/api-keys', { name: `stress-viewer-${mine}`, role: 'viewer' })).body.key as string);
    expect((await viewer.post(`/v1/portfolios/${mine}/stress`, body)).body).toMatchObject({ status_code: 403, error_type: 'FORBIDDEN' });
    expect((await api(url, '').post(`/v1/portfolios/${mine}/stress`, body)).status).toBe(401);
  });

  it('documents the operation in Swagger with a worked example of each scenario type, its answer and errors', async () => {
    const doc = (await request(url).get('/docs-json')).body;
    const op = doc.paths['/v1/portfolios/{id}/stress'].post;
    const examples = op.requestBody.content['application/json'].examples;
    expect(Object.keys(examples)).toEqual(['shock', 'historical', 'worst_window', 'all']);
    for (const type of ['shock', 'historical', 'worst_window']) expect(examples[type].value.scenarios[0].type).toBe(type);
    expect(op.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/StressResponseDto' });
    expect(Object.keys(op.responses).sort()).toEqual(['200', '400', '401', '403', '404', '422']);
    expect(op.security).toEqual([{ 'api-key': [] }]);
    expect(doc.components.schemas.StressScenarioDto.properties.type.enum).toEqual(['shock', 'historical', 'worst_window']);
  });

  it('answers the Swagger examples themselves (their SMI and CAC being this run’s assets)', async () => {
    const pid = await book();
    const doc = (await request(url).get('/docs-json')).body;
    const examples = doc.paths['/v1/portfolios/{id}/stress'].post.requestBody.content['application/json'].examples as Record<string, { value: unknown }>;
    for (const [name, { value }] of Object.entries(examples)) {
      const body = JSON.parse(JSON.stringify(value).replace(/"SMI"/g, JSON.stringify(smiId)).replace(/"CAC"/g, JSON.stringify(cacId)));
      const res = await a.post(`/v1/portfolios/${pid}/stress`, body);
      expect([name, res.status, res.body.scenarios?.length]).toEqual([name, 200, body.scenarios.length]);
    }
  });
});
