import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { api, businessDays } from '../support/api';
import { startHttpApp } from '../support/http-app';

type Book = Array<{ asset_id: string; market_value: string }>;

/**
 * api.md Hardening, concurrent writes on PostgreSQL: replacing a book, upserting returns or setting
 * limits at the same time from several clients leaves exactly one of the written states (never a
 * mix) and answers 200 or 409, never 5xx.
 */
describe('concurrent writes on PostgreSQL', () => {
  let app: NestFastifyApplication;
  let a: ReturnType<typeof api>;
  const run = randomUUID().slice(0, 8);

  beforeAll(async () => {
    const started = await startHttpApp({ NATS_URL: '' });
    app = started.app;
    a = api(started.url);
  });
  afterAll(async () => {
    await app.close();
  });

  const newPortfolio = async (tag: string) => {
    const id = `cw-${run}-${tag}`;
    expect((await a.post('/v1/portfolios', { id, name: `concurrency ${tag}` })).status).toBe(201);
    return id;
  };
  const normalised = (book: Book) => [...book].sort((x, y) => x.asset_id.localeCompare(y.asset_id)).map((p) => ({ asset_id: p.asset_id, market_value: Number(p.market_value).toFixed(2) }));

  it('leaves exactly one of three different books sent at once, in each of 20 trials', async () => {
    const pid = await newPortfolio('books');
    const outcomes: string[] = [];
    for (let trial = 0; trial < 20; trial++) {
      // Overlapping books: a mix of two of them would be visible as extra or missing assets.
      const books: Book[] = [
        [{ asset_id: 'A', market_value: `${100 + trial}` }, { asset_id: 'B', market_value: '200' }],
        [{ asset_id: 'B', market_value: '300' }, { asset_id: 'C', market_value: `${400 + trial}` }],
        [{ asset_id: 'C', market_value: '500' }, { asset_id: 'D', market_value: '600' }, { asset_id: 'A', market_value: '700' }],
      ];
      const answers = await Promise.all(books.map((b) => a.put(`/v1/portfolios/${pid}/positions`, b)));
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
      const stored = (await a.get(`/v1/portfolios/${pid}`)).body.positions;
      const match = books.findIndex((b) => JSON.stringify(normalised(b)) === JSON.stringify(normalised(stored)));
      expect({ trial, stored, match: match >= 0 }).toEqual({ trial, stored, match: true });
      outcomes.push(`book ${match}`);
    }
    expect(outcomes).toHaveLength(20);
  });

  it('answers identical books sent at once with 200 each, never a duplicate-key 500', async () => {
    const pid = await newPortfolio('same');
    const book: Book = [{ asset_id: 'X', market_value: '1' }, { asset_id: 'Y', market_value: '2' }, { asset_id: 'Z', market_value: '3' }];
    for (let trial = 0; trial < 5; trial++) {
      const answers = await Promise.all(Array.from({ length: 5 }, () => a.put(`/v1/portfolios/${pid}/positions`, book)));
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    }
    expect(normalised((await a.get(`/v1/portfolios/${pid}`)).body.positions)).toEqual(normalised(book));
  });

  it('answers 10 upserts of the same dates in mixed order without a 5xx, leaving one batch whole', async () => {
    const asset = `cw-${run}-asset`;
    const dates = businessDays(400);
    // Batch k writes (k + 1) / 1000 on every date, in ascending, descending or scattered date order.
    const batches = Array.from({ length: 10 }, (_, k) => {
      const rows = dates.map((date) => ({ date, return_pct: (k + 1) / 1000 }));
      if (k % 3 === 1) rows.reverse();
      if (k % 3 === 2) rows.sort((x, y) => ((Number(x.date.slice(8)) * 7 + k) % 11) - ((Number(y.date.slice(8)) * 7 + k) % 11));
      return rows;
    });
    const answers = await Promise.all(batches.map((rows) => a.put(`/v1/assets/${asset}/returns`, rows)));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    const stored: Array<{ v: string }> = await app.get(DataSource).query('SELECT DISTINCT return_pct::text AS v FROM daily_returns WHERE asset_id = $1', [asset]);
    expect(stored).toHaveLength(1);
    const count = await app.get(DataSource).query('SELECT count(*)::int AS n FROM daily_returns WHERE asset_id = $1', [asset]);
    expect(count[0].n).toBe(400);
  });

  it('keeps every field of limit versions set at once (each version builds on the one before)', async () => {
    const pid = await newPortfolio('limits');
    const changes = [{ max_var_percent: 3 }, { max_drawdown_percent: 15 }, { max_position_size_percent: 7 }];
    const answers = await Promise.all(changes.map((c) => a.put(`/v1/portfolios/${pid}/limits`, c)));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    const inForce = (await a.get(`/v1/portfolios/${pid}/limits`)).body;
    expect(inForce).toMatchObject({ max_var_percent: 3, max_drawdown_percent: 15, max_position_size_percent: 7, is_default: false });
    expect((await a.get(`/v1/portfolios/${pid}/limits/history`)).body).toHaveLength(3);
  });
});
