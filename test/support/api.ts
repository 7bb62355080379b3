import request from 'supertest';

/** supertest bound to a base URL and an API key (the seeded admin key by default). */
export function api(url: string, key = process.env.ADMIN_API_KEY!) {
  return {
    get: (path: string) => request(url).get(path).set('x-api-key', key),
    post: (path: string, body?: unknown) => request(url).post(path).set('x-api-key', key).send(body as object),
    put: (path: string, body?: unknown) => request(url).put(path).set('x-api-key', key).send(body as object),
    putCsv: (path: string, csv: string) => request(url).put(path).set('x-api-key', key).set('content-type', 'text/csv').send(csv),
    del: (path: string) => request(url).delete(path).set('x-api-key', key),
  };
}

/** Business days from 1991-01-02, as YYYY-MM-DD. */
export function businessDays(n: number, start = Date.UTC(1991, 0, 2)): string[] {
  const out: string[] = [];
  for (let t = start; out.length < n; t += 86_400_000) {
    const d = new Date(t).getUTCDay();
    if (d !== 0 && d !== 6) out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}
