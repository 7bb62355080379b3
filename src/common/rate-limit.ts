import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import Redis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { RateLimitedError } from './errors';

const WINDOW_MS = 60_000;
const NAME = 'per-key';

/**
 * Rate limit per API key (api.md "Hardening"): RATE_LIMIT_PER_MINUTE requests per fixed minute
 * window, counted by @nestjs/throttler's storage: in Redis when REDIS_URL is set (one count shared
 * by every replica, @nest-lab/throttler-storage-redis), else in process. Over the limit: 429
 * RATE_LIMITED with Retry-After, the key blocked until its window ends.
 *
 * A Fastify onRequest hook, so it runs before the body is read and before the key's database
 * lookup. Keys are counted by their SHA-256 (the key itself never reaches Redis); requests without
 * a key are not counted (they are refused 401). With Redis unreachable each replica counts on
 * its own until it returns (the limit then holds per replica): the API stays up.
 */
export function registerRateLimit(app: NestFastifyApplication): void {
  const config = app.get(AppConfig);
  const limit = config.rateLimitPerMinute;
  if (limit === 0) return;
  const logger = new Logger('RateLimit');
  const local = new ThrottlerStorageService();
  let redis: Redis | undefined;
  let shared: ThrottlerStorage | undefined;
  if (config.redisUrl) {
    redis = new Redis(config.redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: 250,
      connectTimeout: 1000,
      disconnectTimeout: 500,
      retryStrategy: (times) => Math.min(times * 200, 5000),
    });
    redis.on('error', () => undefined); // reported below, once per outage
    shared = new ThrottlerStorageRedisService(redis);
  }
  let sharedDown = false;
  const increment = async (key: string) => {
    if (shared) {
      try {
        const record = await shared.increment(key, WINDOW_MS, limit, WINDOW_MS, NAME);
        if (sharedDown) logger.log('Redis is back: the rate limit is shared by the replicas again');
        sharedDown = false;
        return record;
      } catch (err) {
        if (!sharedDown) logger.warn(`Redis unavailable, counting in this replica only: ${(err as Error).message}`);
        sharedDown = true;
      }
    }
    return local.increment(key, WINDOW_MS, limit, WINDOW_MS, NAME);
  };

  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', async (request) => {
    const header = request.headers['x-api-key'];
    const apiKey = Array.isArray(header) ? header[0] : header;
    if (!apiKey) return;
    const key = `risk:ratelimit:${createHash('sha256').update(apiKey, 'utf8').digest('hex').slice(0, 32)}`;
    const record = await increment(key);
    if (record.isBlocked) {
      const retryAfter = Math.max(1, record.timeToBlockExpire || record.timeToExpire);
      throw new RateLimitedError(`more than ${limit} requests in a minute with this API key (RATE_LIMIT_PER_MINUTE): retry in ${retryAfter} s`, retryAfter);
    }
  });
  fastify.addHook('onClose', async () => {
    local.onApplicationShutdown();
    if (redis) redis.disconnect();
  });
}
