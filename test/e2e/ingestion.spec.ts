import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { ReturnsRepository } from '../../src/persistence/repositories';
import { api } from '../support/api';
import { startHttpApp } from '../support/http-app';

/**
 * Returns ingestion over HTTP: the query (?input, ?allow_extreme), PUT /v1/returns, media types and
 * roles. What is stored is specified in test/services/returns-ingestion.service.spec.ts.
 */
describe('returns ingestion over HTTP', () => {
  let app: NestFastifyApplication;
  let url: string;
  let a: ReturnType<typeof api>;
  const id = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
  const series = async (asset: string) => Array.from((await app.get(ReturnsRepository).getSeries([asset])).get(asset)?.values ?? []);

  beforeAll(async () => {
    ({ app, url } = await startHttpApp());
    a = api(url);
  });
  afterAll(() => app.close());

  it('refuses 1.2 with 400 naming the line and saying that 0.012 means 1.2 %', async () => {
    const res = await a.putCsv(`/v1/assets/${id('G')}/returns`, 'date,return_pct\n2024-01-02,1.2\n');
    expect(res.body).toMatchObject({ status_code: 400, error_type: 'INVALID_INPUT' });
    expect(res.body.message).toEqual([expect.stringMatching(/^line 2: return_pct 1\.2 .*0\.012 means 1\.2 %.*allow_extreme=true/)]);
  });

  it('stores 1.2 with ?allow_extreme=true', async () => {
    const asset = id('G');
    const res = await a.putCsv(`/v1/assets/${asset}/returns?allow_extreme=true`, 'date,return_pct\n2024-01-02,1.2\n');
    expect(res.body).toEqual({ asset_id: asset, inserted: 1, updated: 0, received: 1 });
    expect(await series(asset)).toEqual([1.2]);
  });

  it('takes JSON closes with ?input=prices', async () => {
    const asset = id('P');
    const res = await a.put(`/v1/assets/${asset}/returns?input=prices`, [{ date: '2024-01-02', price: 100 }, { date: '2024-01-03', price: 101.5 }]);
    expect(res.body).toEqual({ asset_id: asset, inserted: 1, updated: 0, received: 2 });
    expect(await series(asset)).toEqual([101.5 / 100 - 1]);
  });

  it('answers a wide CSV on PUT /v1/returns with the counts of each asset', async () => {
    const [x, y] = [id('X'), id('Y')];
    const res = await a.putCsv('/v1/returns', `date,${x},${y}\r\n2024-01-02,0.01,\r\n2024-01-03,0.02,-0.01\r\n`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ [x]: { inserted: 2, updated: 0 }, [y]: { inserted: 1, updated: 0 } });
  });

  it('takes wide closes on PUT /v1/returns?input=prices', async () => {
    const [x, y] = [id('X'), id('Y')];
    const res = await a.putCsv('/v1/returns?input=prices', `date,${x},${y}\n2024-01-02,10,20\n2024-01-03,11,\n2024-01-04,12.1,22\n`);
    expect(res.body).toEqual({ [x]: { inserted: 2, updated: 0 }, [y]: { inserted: 1, updated: 0 } });
    expect(await series(y)).toEqual([22 / 20 - 1]);
  });

  it('answers 415 for JSON on PUT /v1/returns', async () => {
    const res = await a.put('/v1/returns', [{ date: '2024-01-02', return_pct: 0.01 }]);
    expect(res.body).toMatchObject({ status_code: 415, error_type: 'UNSUPPORTED_MEDIA_TYPE', message: [expect.stringMatching(/takes text\/csv/)] });
  });

  it('answers 400 naming the query field for an unknown input or a non-boolean allow_extreme', async () => {
    const bad = await a.putCsv('/v1/returns?input=closes', 'date,A\n2024-01-02,1\n');
    expect(bad.body).toMatchObject({ status_code: 400, message: ['input must be returns or prices'] });
    const flag = await a.putCsv(`/v1/assets/${id('Q')}/returns?allow_extreme=yes`, 'date,return_pct\n2024-01-02,0.01\n');
    expect(flag.body).toMatchObject({ status_code: 400, message: ['allow_extreme must be true or false'] });
  });

  it('needs the risk_manager role on PUT /v1/returns, as on one asset (401 without a key, 403 for an analyst)', async () => {
    const body = `date,${id('R')}\n2024-01-02,0.01\n`;
    expect((await request(url).put('/v1/returns').set('content-type', 'text/csv').send(body)).status).toBe(401);
    const analyst = (await a.post('/v1/api-keys', { name: id('analyst'), role: 'analyst' })).body.key as string;
    const res = await api(url, analyst).putCsv('/v1/returns', body);
    expect(res.body).toMatchObject({ status_code: 403, error_type: 'FORBIDDEN' });
  });

  it('documents PUT /v1/returns in Swagger with wide CSV examples, the query and a per-asset answer', async () => {
    const doc = (await request(url).get('/docs-json')).body;
    const op = doc.paths['/v1/returns'].put;
    const examples = Object.values(op.requestBody.content['text/csv'].examples as Record<string, { value: string }>).map((e) => e.value);
    expect(examples).toEqual([expect.stringMatching(/^date,SMI,CAC\n/), expect.stringMatching(/^date,SMI,CAC\n1991-07-01,1678\.1,/)]);
    expect(op.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`).sort()).toEqual(['query:allow_extreme', 'query:input']);
    expect(op.responses['200'].content['application/json'].schema.additionalProperties).toEqual({ $ref: '#/components/schemas/IngestCountsDto' });
    const single = doc.paths['/v1/assets/{asset_id}/returns'].put;
    expect(Object.keys(single.requestBody.content['text/csv'].examples)).toEqual(['csv', 'prices']);
  });
});
