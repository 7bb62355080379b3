import { createServer } from 'node:net';
import { ReturnsRepository } from '../../src/persistence/repositories';
import { ReturnSeriesCache } from '../../src/persistence/return-series.cache';
import { startPersistence, uid } from './support';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('return series cache with Redis down', () => {
  it('answers from the database, never failing the request, and invalidates without throwing', async () => {
    const moduleRef = await startPersistence({ REDIS_URL: `redis://127.0.0.1:${await closedPort()}` });
    try {
      const a = `R-${uid()}`;
      await moduleRef.get(ReturnsRepository).upsert([{ assetId: a, date: '2024-01-02', returnPct: '0.03' }]);
      const cache = moduleRef.get(ReturnSeriesCache);
      expect(cache.redisEnabled).toBe(true);
      const t0 = performance.now();
      expect((await cache.getSeries([a])).get(a)!.values[0]).toBe(0.03);
      expect(performance.now() - t0).toBeLessThan(1000); // fails fast: no offline queue
      expect(cache.stats().redis).toEqual({ hits: 0, misses: 1 });
      await expect(cache.invalidate([a])).resolves.toBeUndefined();
      await expect(cache.ping()).rejects.toThrow();
    } finally {
      await moduleRef.close();
    }
  });
});
