import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { LRUCache } from 'lru-cache';
import { AppConfig } from '../config/app-config';
import { ReturnSeries, ReturnsRepository } from './returns.repository';

type Counts = { hits: number; misses: number };
/** v2: JSON { d, v } (v1 was a binary layout; a new prefix keeps replicas of either version apart). */
const KEY = (assetId: string) => `risk:returns:v2:${assetId}`;

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
    let raw: Array<string | null>;
    try {
      raw = await this.redis!.mget(...ids.map(KEY));
    } catch (err) {
      this.logger.warn(`redis read failed, using the database: ${(err as Error).message}`);
      this.counts.redis.misses += ids.length;
      return ids;
    }
    const still: string[] = [];
    ids.forEach((id, i) => {
      const series = raw[i] ? decode(raw[i]!) : null;
      if (!series) {
        this.counts.redis.misses++;
        still.push(id);
        return;
      }
      this.counts.redis.hits++;
      out.set(id, series);
      this.lru.set(id, series);
    });
    return still;
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
    if (!this.redis) return;
    try {
      if (this.redis.status === 'ready') await this.redis.quit();
      else this.redis.disconnect();
    } catch {
      this.redis.disconnect();
    }
  }
}

/** JSON { d: dates, v: base64 of the Float64Array's bytes (little-endian on every supported host) }. */
export function encode(s: ReturnSeries): string {
  const bytes = Buffer.from(s.values.buffer, s.values.byteOffset, s.values.byteLength);
  return JSON.stringify({ d: s.dates, v: bytes.toString('base64') });
}

/** null when the entry is not a well-formed series (treated as a miss). */
export function decode(text: string): ReturnSeries | null {
  try {
    const o = JSON.parse(text) as { d?: unknown; v?: unknown };
    if (!Array.isArray(o.d) || typeof o.v !== 'string') return null;
    const bytes = Buffer.from(o.v, 'base64');
    if (bytes.length !== o.d.length * 8) return null;
    const values = new Float64Array(o.d.length);
    new Uint8Array(values.buffer).set(bytes); // copy: Buffer's pool offset need not be 8-aligned
    return { dates: o.d as string[], values };
  } catch {
    return null;
  }
}
