import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { connect, createInbox, headers, JSONCodec, Msg, NatsConnection, StringCodec } from 'nats';
import request from 'supertest';
import { api } from '../support/api';
import { startHttpApp } from '../support/http-app';
import { sample } from '../support/metric-sample';
import { PrivateNatsServer } from '../support/nats-server';
import { storeReferenceReturns } from '../support/reference';

const json = JSONCodec();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * risk.pretrade.check is served by a raw nats.js subscription (PreTradeResponder), not a Nest
 * handler: the same answers as POST /v1/portfolios/:id/what-if, the same error bodies, the
 * correlation id, the metric, one reply per request, and a drain at shutdown that loses nothing.
 * A private nats-server: the queue group must hold this suite's applications only.
 */
describe('the raw pre-trade responder', () => {
  const server = new PrivateNatsServer();
  const run = randomUUID().slice(0, 8);
  let natsUrl: string;
  let app: NestFastifyApplication;
  let url: string;
  let nc: NatsConnection;
  let a: ReturnType<typeof api>;
  let smiId: string;
  let cacId: string;

  beforeAll(async () => {
    natsUrl = await server.start([]);
    ({ app, url } = await startHttpApp({ NATS_URL: natsUrl }));
    a = api(url);
    nc = await connect({ servers: natsUrl });
    ({ smiId, cacId } = await storeReferenceReturns(a.put));
  });
  afterAll(async () => {
    await nc?.close();
    await app?.close();
    await server.stop();
  });

  const book = async (on = a) => {
    const id = `rr-${randomUUID().slice(0, 8)}`;
    expect((await on.post('/v1/portfolios', { id, name: 'raw responder' })).status).toBe(201);
    expect((await on.put(`/v1/portfolios/${id}/positions`, [{ asset_id: smiId, market_value: '600000' }, { asset_id: cacId, market_value: '400000' }])).status).toBe(200);
    return id;
  };
  const ask = async (body: unknown, correlationId?: string, conn = nc): Promise<Msg> => {
    const h = headers();
    if (correlationId) h.set('x-correlation-id', correlationId);
    return conn.request('risk.pretrade.check', typeof body === 'string' ? StringCodec().encode(body) : json.encode(body), { timeout: 5000, headers: h });
  };
  const restWhatIf = (pid: string, body: unknown, correlationId: string) =>
    request(url).post(`/v1/portfolios/${pid}/what-if`).set('x-api-key', process.env.ADMIN_API_KEY!).set('x-correlation-id', correlationId).send(body as object);

  it.each(['historical', 'parametric', 'cornish_fisher', 'ewma'])('answers the REST what-if body for the same trades (%s), with the correlation id on the reply', async (method) => {
    const pid = await book();
    const body = { trades: [{ asset_id: cacId, market_value_change: '250000' }, { asset_id: smiId, market_value_change: -1000.5 }, { asset_id: cacId, market_value_change: '1e3' }], method, confidence: 99, horizon_days: 5, lookback_days: 1000 };
    const rest = await restWhatIf(pid, body, `rest-${run}`);
    expect(rest.status).toBe(200);
    const reply = await ask({ portfolio_id: pid, ...body }, `nats-ok-${run}`);
    expect(reply.headers?.get('x-correlation-id')).toBe(`nats-ok-${run}`);
    // The very bytes Nest's serializer wrote: JSON.stringify of the answer.
    expect(StringCodec().decode(reply.data)).toBe(JSON.stringify(rest.body));
  });

  it('answers the REST error body for a bad field (the same messages, under "error"), with the correlation id in the body and on the reply', async () => {
    const pid = await book();
    const bad = { trades: [{ asset_id: 'bad id!', market_value_change: '12abc' }], method: 'magic', confidence: 99 };
    const corr = `bad-${run}`;
    const rest = await restWhatIf(pid, bad, corr);
    expect(rest.status).toBe(400);
    const reply = await ask({ portfolio_id: pid, ...bad }, corr);
    // The same messages; their order follows the DTO's decorators (PreTradeMessageDto extends WhatIfRequestDto), as with the Nest handler.
    const error = (json.decode(reply.data) as { error: { message: string[] } }).error;
    expect({ ...error, message: [...error.message].sort() }).toEqual({ ...rest.body, message: [...rest.body.message].sort() });
    expect(rest.body).toMatchObject({ error_type: 'INVALID_INPUT', correlation_id: corr });
    expect(reply.headers?.get('x-correlation-id')).toBe(corr);
    // Refusals that REST and NATS word alike: an unknown portfolio, a new asset without returns.
    for (const [path, natsBody] of [
      [`nope-${run}`, { portfolio_id: `nope-${run}`, trades: bad.trades.map(() => ({ asset_id: cacId, market_value_change: '1' })) }],
      [pid, { portfolio_id: pid, trades: [{ asset_id: `NONE-${run}`, market_value_change: '1' }] }],
    ] as const) {
      const { portfolio_id: _, ...restBody } = natsBody;
      const r = await restWhatIf(path, restBody, corr);
      expect([404, 422]).toContain(r.status);
      expect(json.decode((await ask(natsBody, corr)).data)).toEqual({ error: r.body });
    }
  });

  it('gives a request without (or with a malformed) correlation id a new one, the same in the error body and on the reply', async () => {
    for (const corr of [undefined, 'not well formed!']) {
      const reply = await ask({ trades: [] }, corr);
      const id = reply.headers?.get('x-correlation-id');
      expect(id).toMatch(UUID);
      expect((json.decode(reply.data) as { error: { correlation_id: string; status_code: number } }).error).toMatchObject({ status_code: 400, correlation_id: id });
    }
    const notJson = json.decode((await ask('{not json', `nj-${run}`)).data) as { error: { message: string[] } };
    expect(notJson.error.message[0]).toMatch(/^payload is not valid JSON/);
  });

  it('counts each answer in risk_nats_request_duration_seconds{subject="risk.pretrade.check", status_code}', async () => {
    const pid = await book();
    const ok = { subject: 'risk.pretrade.check', status_code: '200' };
    const refused = { subject: 'risk.pretrade.check', status_code: '400' };
    const [ok0, refused0] = [await sample(url, 'risk_nats_request_duration_seconds_count', ok), await sample(url, 'risk_nats_request_duration_seconds_count', refused)];
    await ask({ portfolio_id: pid, trades: [{ asset_id: cacId, market_value_change: '1' }] });
    await ask({ portfolio_id: pid, trades: [{ asset_id: cacId, market_value_change: '1' }] });
    await ask({ portfolio_id: pid, trades: 'x' });
    expect(await sample(url, 'risk_nats_request_duration_seconds_count', ok)).toBe(ok0 + 2);
    expect(await sample(url, 'risk_nats_request_duration_seconds_count', refused)).toBe(refused0 + 1);
  });

  it('sends one reply per request, and answers a Nest client envelope in the Nest shape', async () => {
    const pid = await book();
    const inbox = createInbox();
    const got: string[] = [];
    const sub = nc.subscribe(inbox, { callback: (_e, m) => got.push(StringCodec().decode(m.data)) });
    nc.publish('risk.pretrade.check', json.encode({ portfolio_id: pid, trades: [{ asset_id: cacId, market_value_change: '1' }] }), { reply: inbox });
    nc.publish('risk.pretrade.check', json.encode({ pattern: 'risk.pretrade.check', data: { portfolio_id: pid, trades: [{ asset_id: cacId, market_value_change: '1' }] }, id: 'nest-1' }), { reply: inbox });
    nc.publish('risk.pretrade.check', json.encode({ pattern: 'risk.pretrade.check', data: { trades: [] }, id: 'nest-2' }), { reply: inbox });
    await nc.flush();
    const deadline = Date.now() + 5000;
    while (got.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200)); // nothing more comes
    sub.unsubscribe();
    expect(got).toHaveLength(3);
    const replies = got.map((g) => JSON.parse(g));
    const plain = replies.find((r) => 'incremental_var' in r);
    expect(replies).toContainEqual({ response: plain, isDisposed: true, id: 'nest-1' });
    expect(replies).toContainEqual({ err: { error: expect.objectContaining({ status_code: 400, error_type: 'INVALID_INPUT' }) }, isDisposed: true, id: 'nest-2' });
  });

  it('loses no request when a replica closes: the requests it took are answered, the later ones go to the other replica', async () => {
    const pid = await book();
    // Books never asked for: their first check reads the database, so requests are still in flight when the close begins.
    const cold = await Promise.all(Array.from({ length: 24 }, () => book()));
    const second = await startHttpApp({ NATS_URL: natsUrl });
    const client = await connect({ servers: natsUrl });
    try {
      const trades = [{ asset_id: cacId, market_value_change: '1000' }];
      const warm = json.decode((await ask({ portfolio_id: pid, trades }, undefined, client)).data) as object;
      let stop = false;
      const results: Array<Promise<object>> = [];
      const loop = (async () => {
        // Requests all the time, 8 at once, while the first application closes.
        while (!stop) {
          const batch = Array.from({ length: 8 }, () => ask({ portfolio_id: pid, trades }, undefined, client).then((m) => json.decode(m.data) as object));
          results.push(...batch);
          await Promise.all(batch);
        }
      })();
      await new Promise((r) => setTimeout(r, 200));
      const coldAnswers = cold.map((id) => ask({ portfolio_id: id, trades }, undefined, client).then((m) => json.decode(m.data) as { portfolio_id?: string }));
      await client.flush();
      await app.close();
      await new Promise((r) => setTimeout(r, 300));
      stop = true;
      await loop;
      const answers = await Promise.all(results);
      expect(answers.length).toBeGreaterThan(16);
      for (const answer of answers) expect(answer).toEqual(warm);
      expect((await Promise.all(coldAnswers)).map((r) => r.portfolio_id)).toEqual(cold);
    } finally {
      await client.close();
      // The suite's own application is closed: afterAll closes the second one.
      app = second.app;
      url = second.url;
    }
  });
});
