import request from 'supertest';

/** The value of one sample on /metrics (0 when the series does not exist yet). */
export async function sample(url: string, name: string, labels: Record<string, string>): Promise<number> {
  const text = (await request(url).get('/metrics')).text;
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}
