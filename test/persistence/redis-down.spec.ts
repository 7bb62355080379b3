import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { ConfigModule } from '../../src/config/config.module';
import { PersistenceModule } from '../../src/persistence/persistence.module';
import { ReturnsRepository } from '../../src/persistence/repositories';
import { ReturnSeriesCache } from '../../src/persistence/return-series.cache';

describe('return series cache with Redis down', () => {
  it('answers from the database when Redis cannot be reached', async () => {
    const saved = process.env.REDIS_URL;
    process.env.REDIS_URL = 'redis://127.0.0.1:6390';
    const moduleRef = await Test.createTestingModule({ imports: [ConfigModule, PersistenceModule] }).compile();
    process.env.REDIS_URL = saved;
    await moduleRef.init();
    try {
      const a = `R-${randomUUID().slice(0, 8)}`;
      await moduleRef.get(ReturnsRepository).upsert([{ assetId: a, date: '2024-01-02', returnPct: '0.03' }]);
      const cache = moduleRef.get(ReturnSeriesCache);
      expect((await cache.getSeries([a])).get(a)!.values[0]).toBe(0.03);
      await cache.invalidate([a]);
      expect(cache.stats().redis.misses).toBeGreaterThan(0);
    } finally {
      await moduleRef.close();
    }
  });
});
