import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { LRUCache } from 'lru-cache';
import { AppConfig } from '../config/app-config';
import { ReturnSeries, ReturnsRepository } from './returns.repository';

type Counts = { hits: number; misses: number };
/** A change announced on the invalidation channel: assets whose series changed, portfolios whose book or limits changed. */
export interface DataChange {
  assets: string[];
  portfolios: string[];
}
/**
 * v3: one key per asset and series version, JSON { d, v, s } (v1 was binary, v2 had no version: a
 * new prefix keeps replicas of any of them apart). An entry is never stale: a new version is a new key.
 */
const KEY = (assetId: string, version: string) => `risk:returns:v3:${assetId}:${version}`;
/**
 * Invalidations published to the other replicas: JSON { from: instance id, ids: asset ids,
 * portfolios?: portfolio ids } (`portfolios`: a book or its limits changed, for the per-portfolio
 * cache of calculation/portfolio-book.cache.ts; a replica that predates it ignores the field).
 */
export const INVALIDATION_CHANNEL = 'risk:returns:invalidate';

/**
 * Asset return series, read through: an in-process LRU, then Redis when REDIS_URL is set,
 * then the database. TTL CACHE_TTL_SECONDS (15 min), at most CACHE_MAX_SERIES series in the LRU.
 * Coherence does not depend on Redis: every read first asks the database for the assets' series
 * versions (asset_series_versions, bumped by each ingestion in its own statement), and a cached
 * series answers only for the version it was read at. A replica that missed an invalidation, or
 * runs with Redis down, loads the new series instead of computing from the old one. Invalidation
 * (local LRU, Redis key, pub/sub to the other replicas) only frees memory early.
 * A Redis failure is logged and treated as a miss: the database answers, the request never fails
 * for the cache (commands fail fast: no offline queue, one retry).
 */
@Injectable()
export class ReturnSeriesCache implements OnApplicationShutdown {
  private readonly logger = new Logger(ReturnSeriesCache.name);
  private readonly lru: LRUCache<string, ReturnSeries>;
  private readonly redis?: Redis;
  private readonly subscriber?: Redis;
  private readonly subscribed: Promise<void> = Promise.resolve();
  private readonly instanceId = randomUUID();
  private readonly counts = { lru: { hits: 0, misses: 0 } as Counts, redis: { hits: 0, misses: 0 } as Counts };
  private readonly listeners: Array<(change: DataChange) => void> = [];

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
        // ioredis keeps a timer this long after disconnect() even when the socket is long gone
        // (Redis down): the default 2 s would hold a shutting-down process.
        disconnectTimeout: 500,
        retryStrategy: (times) => Math.min(times * 200, 5000),
      });
      this.redis.on('error', (err) => this.logger.warn(`redis: ${err.message}`));
      // Subscriber: its SUBSCRIBE waits in the queue until Redis answers, and ioredis renews it
      // after every reconnect. It serves no request, so waiting costs nothing.
      this.subscriber = this.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
      this.subscriber.on('error', (err) => this.logger.debug(`redis subscriber: ${err.message}`));
      this.subscriber.on('message', (_channel: string, text: string) => this.onInvalidation(text));
      this.subscribed = this.subscriber.subscribe(INVALIDATION_CHANNEL).then(
        () => undefined,
        (err: Error) => this.logger.warn(`redis subscribe failed: ${err.message}`),
      );
    }
  }

  get redisEnabled(): boolean {
    return !!this.redis;
  }

  async getSeries(assetIds: string[]): Promise<Map<string, ReturnSeries>> {
    const out = new Map<string, ReturnSeries>();
    const versions = await this.returns.versions(assetIds);
    let missing: string[] = [];
    for (const id of assetIds) {
      const hit = this.lru.get(id);
      if (hit && hit.version === versions.get(id)) {
        this.counts.lru.hits++;
        out.set(id, hit);
      } else {
        this.counts.lru.misses++;
        missing.push(id);
      }
    }
    if (missing.length && this.redis) missing = await this.fromRedis(missing, versions, out);
    if (missing.length) {
      const loaded = await this.returns.getSeries(missing);
      // A series loaded here may be newer than the version read above (an ingestion committed in
      // between): it is used, and cached under its own version.
      for (const [id, series] of loaded) {
        out.set(id, series);
        this.lru.set(id, series);
      }
      if (this.redis && loaded.size) await this.toRedis(loaded);
    }
    return out;
  }

  /**
   * Calls `listener` for every change made by this replica (invalidate, portfoliosChanged) and,
   * with Redis, every change another replica announces. Delivery across replicas is at most once
   * (Redis pub/sub): a listener that caches must bound how long it trusts an entry without it.
   */
  onChange(listener: (change: DataChange) => void): void {
    this.listeners.push(listener);
  }

  /** Announces that the books or limits of these portfolios changed (here and, with Redis, to the other replicas). */
  async portfoliosChanged(portfolioIds: string[]): Promise<void> {
    if (portfolioIds.length === 0) return;
    this.emit({ assets: [], portfolios: portfolioIds });
    await this.publish({ from: this.instanceId, ids: [], portfolios: portfolioIds });
  }

  /** Drops the series from the local LRU and Redis, and tells the other replicas to drop theirs (memory only: see above). */
  async invalidate(assetIds: string[]): Promise<void> {
    this.emit({ assets: assetIds, portfolios: [] });
    const keys = assetIds.flatMap((id) => {
      const held = this.lru.get(id);
      return held ? [KEY(id, held.version)] : [];
    });
    for (const id of assetIds) this.lru.delete(id);
    if (this.redis && assetIds.length) {
      try {
        if (keys.length) await this.redis.del(...keys);
        await this.redis.publish(INVALIDATION_CHANNEL, JSON.stringify({ from: this.instanceId, ids: assetIds }));
      } catch (err) {
        this.logger.warn(`redis invalidation failed: ${(err as Error).message}`);
      }
    }
  }

  /** Whether the series is in this replica's LRU (not counted as a hit or a miss). */
  cached(assetId: string): boolean {
    return this.lru.has(assetId);
  }

  /** Hit / miss counts by layer since start. */
  stats(): { lru: Counts; redis: Counts } {
    return { lru: { ...this.counts.lru }, redis: { ...this.counts.redis } };
  }

  async ping(): Promise<void> {
    if (this.redis) await this.redis.ping();
  }

  /** Resolves once the Redis connection answers and the invalidation channel is subscribed (waits while Redis is down). */
  async ready(): Promise<void> {
    await this.subscribed;
    // The command client has its offline queue off, so a ping before it connects fails at once.
    const redis = this.redis;
    if (redis && redis.status !== 'ready') await new Promise<void>((resolve) => redis.once('ready', () => resolve()));
    await this.ping();
  }

  private onInvalidation(text: string): void {
    try {
      const msg = JSON.parse(text) as { from?: unknown; ids?: unknown; portfolios?: unknown };
      if (msg.from === this.instanceId || !Array.isArray(msg.ids)) return;
      const strings = (xs: unknown): string[] => (Array.isArray(xs) ? xs.filter((x): x is string => typeof x === 'string') : []);
      const assets = strings(msg.ids);
      for (const id of assets) this.lru.delete(id);
      this.emit({ assets, portfolios: strings(msg.portfolios) });
    } catch {
      this.logger.warn('ignored a malformed cache invalidation message');
    }
  }

  private emit(change: DataChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (err) {
        this.logger.warn(`cache change listener failed: ${(err as Error).message}`);
      }
    }
  }

  private async publish(message: object): Promise<void> {
    if (!this.redis) return;
    try {
      await this.redis.publish(INVALIDATION_CHANNEL, JSON.stringify(message));
    } catch (err) {
      this.logger.warn(`redis invalidation failed: ${(err as Error).message}`);
    }
  }

  private async fromRedis(ids: string[], versions: Map<string, string>, out: Map<string, ReturnSeries>): Promise<string[]> {
    let raw: Array<string | null>;
    try {
      raw = await this.redis!.mget(...ids.map((id) => KEY(id, versions.get(id)!)));
    } catch (err) {
      this.logger.warn(`redis read failed, using the database: ${(err as Error).message}`);
      this.counts.redis.misses += ids.length;
      return ids;
    }
    const still: string[] = [];
    ids.forEach((id, i) => {
      const series = raw[i] ? decode(raw[i]!) : null;
      if (!series || series.version !== versions.get(id)) {
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
      for (const [id, s] of series) pipeline.set(KEY(id, s.version), encode(s), 'EX', this.config.cacheTtlSeconds);
      await pipeline.exec();
    } catch (err) {
      this.logger.warn(`redis write failed: ${(err as Error).message}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.redis, this.subscriber].map((client) => (client ? close(client) : undefined)));
  }
}

async function close(client: Redis): Promise<void> {
  try {
    if (client.status === 'ready') await client.quit();
    else client.disconnect();
  } catch {
    client.disconnect();
  }
}

/** JSON { d: dates, v: base64 of the Float64Array's bytes (little-endian on every supported host), s: series version }. */
export function encode(s: ReturnSeries): string {
  const bytes = Buffer.from(s.values.buffer, s.values.byteOffset, s.values.byteLength);
  return JSON.stringify({ d: s.dates, v: bytes.toString('base64'), s: s.version });
}

/** null when the entry is not a well-formed series (treated as a miss). */
export function decode(text: string): ReturnSeries | null {
  try {
    const o = JSON.parse(text) as { d?: unknown; v?: unknown; s?: unknown };
    if (!Array.isArray(o.d) || typeof o.v !== 'string' || typeof o.s !== 'string') return null;
    const bytes = Buffer.from(o.v, 'base64');
    if (bytes.length !== o.d.length * 8) return null;
    const values = new Float64Array(o.d.length);
    new Uint8Array(values.buffer).set(bytes); // copy: Buffer's pool offset need not be 8-aligned
    return { dates: o.d as string[], values, version: o.s };
  } catch {
    return null;
  }
}
