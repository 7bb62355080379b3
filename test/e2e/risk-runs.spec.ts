import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { NatsConnectionService } from '../../src/events/nats-connection.service';
import { RISK_RUNS_STREAM } from '../../src/events/subjects';
import { api, businessDays } from '../support/api';
import { startHttpApp } from '../support/http-app';
import { syntheticAssets } from '../support/synthetic-returns';

/**
 * Risk runs over HTTP with NATS: the routes, roles, validation and Swagger, and one run going through
 * the RISK_RUNS work queue of one replica. Several replicas (and one dying) are in
 * risk-runs-replicas.spec.ts; the use case itself in test/services/risk-runs.service.spec.ts.
 */
describe('risk runs over HTTP and JetStream', () => {
  let app: NestFastifyApplication;
  let url: string;
  let a: ReturnType<typeof api>;
  const assetIds = [`RRA-${randomUUID().slice(0, 8)}`, `RRB-${randomUUID().slice(0, 8)}`];

  beforeAll(async () => {
    ({ app, url } = await startHttpApp());
    a = api(url);
    await app.get(NatsConnectionService).jetstream(); // streams exist before the first task is published
    const dates = businessDays(120);
    const series = syntheticAssets(2, 120, 7);
    for (const [i, id] of assetIds.entries()) {
      expect((await a.put(`/v1/assets/${id}/returns`, series[i].map((r, t) => ({ date: dates[t], return_pct: r })))).status).toBe(200);
    }
  });
  afterAll(async () => {
    await app.close();
  });

  const book = async () => {
    const id = `run-${randomUUID().slice(0, 8)}`;
    expect((await a.post('/v1/portfolios', { id, name: 'Run desk', base_currency: 'EUR' })).status).toBe(201);
    expect((await a.put(`/v1/portfolios/${id}/positions`, [{ asset_id: assetIds[0], market_value: '700000' }, { asset_id: assetIds[1], market_value: '300000' }])).status).toBe(200);
    return id;
  };
  const finished = async (id: string, ms = 20_000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const res = await a.get(`/v1/risk-runs/${id}`);
      expect(res.status).toBe(200);
      if (res.body.status !== 'running') return res.body;
      if (Date.now() > deadline) throw new Error(`run ${id} still running: ${JSON.stringify(res.body)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('limits a key scoped to portfolios to runs of those portfolios', async () => {
    const [mine, other] = [await book(), await book()];
    const scoped = api(url, (await a.post('/v1/api-keys', { name: `scoped-${mine}`, role: 'analyst', portfolios: [mine] })).body.key as string);
    const body = { method: 'historical', confidence: 95, lookback_days: 100 };
    // A portfolio outside the scope is not found, as if it did not exist; nothing starts.
    const refused = await scoped.post('/v1/risk-runs', { ...body, portfolios: [mine, other] });
    expect(refused.status).toBe(404);
    expect(refused.body.message[0]).toBe(`portfolio ${other} not found`);
    // "*" is every portfolio the key may see.
    const own = await scoped.post('/v1/risk-runs', { ...body, portfolios: '*' });
    expect(own.status).toBe(202);
    expect(own.body.total).toBe(1);
    expect((await scoped.get(`/v1/risk-runs/${own.body.id}`)).status).toBe(200);
    // A run over portfolios beyond the scope is not shown to the scoped key.
    const wide = await a.post('/v1/risk-runs', { ...body, portfolios: [mine, other] });
    expect(wide.status).toBe(202);
    expect((await scoped.get(`/v1/risk-runs/${wide.body.id}`)).body).toMatchObject({ status_code: 404, error_type: 'NOT_FOUND' });
    await finished(own.body.id);
    await finished(wide.body.id);
  });

  it('answers 202 with the run id and total, then runs every portfolio through the RISK_RUNS work queue', async () => {
    const ids = [await book(), await book(), await book()];
    const res = await a.post('/v1/risk-runs', { portfolios: ids, method: 'historical', confidence: 95, horizon_days: 1, lookback_days: 100 }).set('x-correlation-id', 'run-e2e-1');
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), total: 3 });
    const run = await finished(res.body.id);
    expect(run).toEqual({ id: res.body.id, status: 'done', total: 3, done: 3, failed: 0, started_at: expect.any(String), finished_at: expect.any(String) });
    for (const p of ids) {
      const history = await a.get(`/v1/portfolios/${p}/var-history`);
      expect(history.body).toEqual([expect.objectContaining({ run_id: res.body.id, correlation_id: 'run-e2e-1', observations: 100 })]);
    }
    const stream = await (await (await app.get(NatsConnectionService).get()).jetstreamManager()).streams.info(RISK_RUNS_STREAM);
    expect(stream.config).toMatchObject({ retention: 'workqueue', subjects: ['risk.runs.task'] });
  });

  it('lets an analyst start a run and a viewer follow it, not start one', async () => {
    const p = await book();
    const key = async (role: string) => (await a.post('/v1/api-keys', { name: `${role}-${p}`, role })).body.key as string;
    const analyst = api(url, await key('analyst'));
    const viewer = api(url, await key('viewer'));
    const started = await analyst.post('/v1/risk-runs', { portfolios: [p] });
    expect(started.status).toBe(202);
    expect((await viewer.get(`/v1/risk-runs/${started.body.id}`)).status).toBe(200);
    expect((await viewer.post('/v1/risk-runs', { portfolios: [p] })).body).toMatchObject({ status_code: 403, error_type: 'FORBIDDEN' });
    expect((await api(url, '').get(`/v1/risk-runs/${started.body.id}`)).status).toBe(401);
  });

  it.each([
    [{}, 'portfolios must be "*" (every portfolio) or an array of portfolio ids'],
    [{ portfolios: 'all' }, 'portfolios must be "*" (every portfolio) or an array of portfolio ids'],
    [{ portfolios: [] }, 'portfolios must not be empty: send "*" for every portfolio'],
    [{ portfolios: ['desk-1', 'bad/id'] }, 'portfolios[1] must be 1 to 64 characters of letters, digits and . _ : -'],
    [{ portfolios: ['desk-1', 'desk-1'] }, 'portfolios[1] repeats desk-1'],
    [{ portfolios: '*', confidence_level: 99 }, 'confidence_level: property confidence_level should not exist'],
  ])('answers 400 naming the field for %j', async (body, message) => {
    const res = await a.post('/v1/risk-runs', body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status_code: 400, error_type: 'INVALID_INPUT', message: [message], correlation_id: expect.any(String) });
  });

  it('answers 404 naming the unknown portfolios of a list, and for an unknown run; 400 for a run id that is no UUID', async () => {
    const p = await book();
    expect((await a.post('/v1/risk-runs', { portfolios: [p, 'ghost-1', 'ghost-2'] })).body).toMatchObject({ status_code: 404, error_type: 'NOT_FOUND', message: ['portfolios ghost-1, ghost-2 not found'] });
    expect((await a.get(`/v1/risk-runs/${randomUUID()}`)).body).toMatchObject({ status_code: 404, error_type: 'NOT_FOUND' });
    expect((await a.get('/v1/risk-runs/42')).body).toMatchObject({ status_code: 400, message: [expect.stringMatching(/^id must be a UUID/)] });
  });

  it('documents the operations in Swagger: 202 with its schema, the body with examples, the key, the errors', async () => {
    const doc = (await request(url).get('/docs-json')).body;
    const post = doc.paths['/v1/risk-runs'].post;
    const get = doc.paths['/v1/risk-runs/{id}'].get;
    expect(post.responses['202'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/RiskRunAcceptedDto' });
    expect(Object.keys(post.responses).sort()).toEqual(['202', '400', '401', '403', '404']);
    expect(Object.keys(post.requestBody.content['application/json'].examples)).toEqual(['every', 'listed', 'ewma']);
    expect(get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/RiskRunDto' });
    for (const op of [post, get]) expect(op.security).toEqual([{ 'api-key': [] }]);
    expect(doc.components.schemas.RiskRunRequestDto.properties.portfolios.oneOf).toHaveLength(2);
    expect(doc.components.schemas.RiskRunDto.properties.status.enum).toEqual(['running', 'done', 'failed']);
  });
});
