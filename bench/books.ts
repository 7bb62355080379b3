import { randomUUID } from 'node:crypto';
import { Xoshiro128 } from '../src/math';

/** A call to the service: a JSON body (or a string sent as it is, of `type`), the JSON answer; throws on an answer that is not 2xx. */
export type BenchCall = (method: string, path: string, body?: unknown, type?: string) => Promise<any>;

/** BenchCall to the service at `url` with the API key `key`. */
export function restCaller(url: string, key: string): BenchCall {
  return async (method, path, body, type = 'application/json') => {
    const res = await fetch(`${url}${path}`, { method, headers: { 'x-api-key': key, 'content-type': type }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
}

export interface BenchBook {
  /** Names the portfolio (`bench-<prefix>-<run>`) and its assets (`<PREFIX><k>-<run>`). */
  prefix: string;
  name: string;
  dates: number;
  /** The first date, ms since the epoch (UTC midnight). */
  firstDay: number;
  seed: number;
  limits?: object;
  /** Default: 8 random hex digits. */
  run?: string;
}

/**
 * A 10-asset book stored through the service's REST API: `dates` daily returns per asset (seeded
 * normal draws) from `firstDay`, positions of 100,000 + 1,000 k, and `limits` when given. Answers
 * the portfolio id, the asset ids and the run.
 */
export async function storeBook(call: BenchCall, book: BenchBook): Promise<{ pid: string; assets: string[]; run: string }> {
  const run = book.run ?? randomUUID().slice(0, 8);
  const pid = `bench-${book.prefix}-${run}`;
  const assets = Array.from({ length: 10 }, (_, k) => `${book.prefix.toUpperCase()}${k}-${run}`);
  const rng = new Xoshiro128(book.seed);
  const day = (i: number) => new Date(book.firstDay + i * 86_400_000).toISOString().slice(0, 10);
  await call('POST', '/v1/portfolios', { id: pid, name: book.name });
  for (const a of assets) await call('PUT', `/v1/assets/${a}/returns`, Array.from({ length: book.dates }, (_, i) => ({ date: day(i), return_pct: 0.0002 + 0.012 * rng.nextNormal() })));
  await call('PUT', `/v1/portfolios/${pid}/positions`, assets.map((a, k) => ({ asset_id: a, market_value: String(100_000 + k * 1000) })));
  if (book.limits) await call('PUT', `/v1/portfolios/${pid}/limits`, book.limits);
  return { pid, assets, run };
}
