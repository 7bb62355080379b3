import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { LRUCache } from 'lru-cache';
import { AppConfig } from '../config/app-config';
import { ReturnSeries } from './models';
import { ReturnsRepository } from './repositories';

type Counts = { hits: number; misses: number };
const KEY = (assetId: string) => `risk:returns:v1:${assetId}`;

/**
 * Asset return series, read through: an in-process LRU, then Redis when REDIS_URL is set,
 * then the database. TTL CACHE_TTL_SECONDS (15 min). Ingesting an asset invalidates it in both
 * layers; other replicas' LRUs expire within the TTL. A Redis failure is logged and treated as
 * a miss: the database answers, the request never fails for the cache.
 */
@Injectable()
export class ReturnSeriesCache implements OnApplicationShutdown {
  private readonly logger = new Logger(ReturnSeriesCache.name);
  private readonly lru: LRUCache<string, ReturnSeries>;
  private readonly redis?: Redis;
  private readonly counts = { lru: { hits: 0, misses: 0 } as Counts, redis: { hits: 0, misses: 0 } as Counts };

  constructor(
    private readonly config: AppConfig,
    private readonly returns: ReturnsRepository,
  ) {
    this.lru = new LRUCache({ max: config.cacheMaxSeries, ttl: config.cacheTtlSeconds * 1000 });
    if (config.redisUrl) {
      this.redis = new Redis(config.redisUrl, {
        lazyConnect: false,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        connectTimeout: 1000,
        retryStrategy: (times) => Math.min(times * 200, 5000),
      });
      this.redis.on('error', (err) => this.logger.warn(`redis: ${err.message}`));
    }
  }

  get redisEnabled(): boolean {
    return !!this.redis;
  }

  async getSeries(assetIds: string[]): Promise<Map<string, ReturnSeries>> {
    const out = new Map<string, ReturnSeries>();
    let missing: string[] = [];
    for (const id of assetIds) {
      const hit = this.lru.get(id);
      if (hit) {
        this.counts.lru.hits++;
        out.set(id, hit);
      } else {
        this.counts.lru.misses++;
        missing.push(id);
      }
    }
    if (missing.length && this.redis) missing = await this.fromRedis(missing, out);
    if (missing.length) {
      const loaded = await this.returns.getSeries(missing);
      for (const [id, series] of loaded) {
        out.set(id, series);
        this.lru.set(id, series);
      }
      if (this.redis && loaded.size) await this.toRedis(loaded);
    }
    return out;
  }

  async invalidate(assetIds: string[]): Promise<void> {
    for (const id of assetIds) this.lru.delete(id);
    if (this.redis && assetIds.length) {
      try {
        await this.redis.del(...assetIds.map(KEY));
      } catch (err) {
        this.logger.warn(`redis invalidation failed: ${(err as Error).message}`);
      }
    }
  }

  /** Hit / miss counts by layer since start. */
  stats(): { lru: Counts; redis: Counts } {
    return { lru: { ...this.counts.lru }, redis: { ...this.counts.redis } };
  }

  async ping(): Promise<void> {
    if (this.redis) await this.redis.ping();
  }

  private async fromRedis(ids: string[], out: Map<string, ReturnSeries>): Promise<string[]> {
    try {
      const raw = await this.redis!.mgetBuffer(...ids.map(KEY));
      const still: string[] = [];
      ids.forEach((id, i) => {
        const buf = raw[i];
        if (!buf) {
          this.counts.redis.misses++;
          still.push(id);
          return;
        }
        this.counts.redis.hits++;
        const series = decode(buf);
        out.set(id, series);
        this.lru.set(id, series);
      });
      return still;
    } catch (err) {
      this.logger.warn(`redis read failed, using the database: ${(err as Error).message}`);
      this.counts.redis.misses += ids.length;
      return ids;
    }
  }

  private async toRedis(series: Map<string, ReturnSeries>): Promise<void> {
    try {
      const pipeline = this.redis!.pipeline();
      for (const [id, s] of series) pipeline.set(KEY(id), encode(s), 'EX', this.config.cacheTtlSeconds);
      await pipeline.exec();
    } catch (err) {
      this.logger.warn(`redis write failed: ${(err as Error).message}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.redis) this.redis.disconnect();
  }
}

/** [u32 count][count × f64 values][dates joined by ','] */
function encode(s: ReturnSeries): Buffer {
  const n = s.values.length;
  const head = Buffer.alloc(4);
  head.writeUInt32LE(n, 0);
  const values = Buffer.from(s.values.buffer, s.values.byteOffset, n * 8);
  return Buffer.concat([head, values, Buffer.from(s.dates.join(','), 'utf8')]);
}

function decode(buf: Buffer): ReturnSeries {
  const n = buf.readUInt32LE(0);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = buf.readDoubleLE(4 + i * 8);
  const text = buf.subarray(4 + n * 8).toString('utf8');
  return { dates: n === 0 ? [] : text.split(','), values };
}
