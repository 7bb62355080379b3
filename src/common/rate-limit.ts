import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import Redis from 'ioredis';
import { LRUCache } from 'lru-cache';
import { AppConfig } from '../config/app-config';
import { RateLimitedError } from './errors';
import { keyDigest } from './key-digest';
import { headerValue } from './header-value';
import { LocalRateWindows, RateDecision as Decision } from './local-rate-windows';

const WINDOW_MS = 60_000;
const NAME = 'per-key';
/** Hits counted without waiting for Redis are sent within this many ms (one INCRBY per key). */
const FLUSH_MS = 50;

/**
 * One fixed window per key in Redis, as @nest-lab/throttler-storage-redis counts it (same keys,
 * same rules: the window starts at the first hit, past the limit the key is blocked for a window),
 * but adding `ARGV[4]` hits at once, run by EVALSHA (ioredis defineCommand) rather than sending
 * the script's text with every request.
 */
const WINDOW_SCRIPT = `
local hits = redis.call('INCRBY', KEYS[1], tonumber(ARGV[4]))
local ttl = redis.call('PTTL', KEYS[1])
if ttl <= 0 then
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
  ttl = tonumber(ARGV[1])
end
local blocked = redis.call('GET', KEYS[2])
local blockTtl = 0
if blocked then
  blockTtl = redis.call('PTTL', KEYS[2])
elseif hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], 1, 'PX', tonumber(ARGV[3]))
  blocked = '1'
  blockTtl = tonumber(ARGV[3])
end
if blocked and blockTtl <= 0 then
  redis.call('DEL', KEYS[2])
  redis.call('SET', KEYS[1], 1, 'PX', tonumber(ARGV[1]))
  hits = 1
  ttl = tonumber(ARGV[1])
  blocked = false
end
return { hits, ttl, blocked and 1 or 0, blockTtl }`;

type WindowRedis = Redis & { riskRateWindow(hitKey: string, blockKey: string, ttl: number, limit: number, block: number, add: number): Promise<number[]> };

/** What this replica last learnt of a key's shared window, and the hits it has not sent yet. */
interface KnownWindow {
  hits: number;
  /** ms (Date.now()) when the window ends. */
  endsAt: number;
  /** ms when the key's block ends; 0 = not blocked. */
  blockedUntil: number;
  pending: number;
  flushing: boolean;
}

/**
 * Rate limit per API key (api.md "Hardening"): RATE_LIMIT_PER_MINUTE requests per fixed minute
 * window: in Redis when REDIS_URL is set (one count shared by every replica), else in process
 * (LocalRateWindows, the same rules). Over the limit: 429 RATE_LIMITED with Retry-After, the key blocked
 * until its window ends.
 *
 * A Fastify onRequest hook, so it runs before the body is read; it is registered after the API-key
 * hook, so a refused key is answered 401 uncounted (a public route, e.g. /health, is counted under
 * whatever x-api-key it carries). Keys are counted by their SHA-256 (the key itself never reaches Redis); requests without
 * a key are not counted (they are refused 401). With Redis unreachable each replica counts on
 * its own until it returns (the limit then holds per replica): the API stays up.
 *
 * The Redis round trip is not on every request's path (issue 11): while the count this replica last
 * read for a key is below half the limit (and its window and no block are running), the request
 * goes on at once and its hit is added to Redis in the background: the hits of the next FLUSH_MS
 * (50 ms) are sent together by one INCRBY (at most one command in flight per key per replica). From
 * half the limit on, and for a key this replica has not seen, each request waits for Redis's count
 * (its own hit and any not yet sent) as before. Hence the limit is exact unless one key sends more
 * than half its limit, across replicas, within about 50 ms.
 */
export function registerRateLimit(app: NestFastifyApplication): void {
  const config = app.get(AppConfig);
  const limit = config.rateLimitPerMinute;
  if (limit === 0) return;
  const logger = new Logger('RateLimit');
  const local = new LocalRateWindows(limit, WINDOW_MS);
  let redis: WindowRedis | undefined;
  if (config.redisUrl) {
    redis = new Redis(config.redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: 250,
      connectTimeout: 1000,
      disconnectTimeout: 500,
      retryStrategy: (times) => Math.min(times * 200, 5000),
    }) as WindowRedis;
    redis.on('error', () => undefined); // reported below, once per outage
    redis.defineCommand('riskRateWindow', { numberOfKeys: 2, lua: WINDOW_SCRIPT });
  }
  // Bounded: on public routes any x-api-key value is counted (the key hook checks no key there).
  const known = new LRUCache<string, KnownWindow>({ max: 10_000 });
  let sharedDown = false;
  const sharedUp = () => {
    if (sharedDown) logger.log('Redis is back: the rate limit is shared by the replicas again');
    sharedDown = false;
  };
  const sharedFailed = (err: unknown) => {
    if (!sharedDown) logger.warn(`Redis unavailable, counting in this replica only: ${(err as Error).message}`);
    sharedDown = true;
  };

  /** Adds `add` hits to the shared window and records what Redis answers. */
  const addShared = async (key: string, add: number): Promise<Decision> => {
    const [hits, ttlMs, blocked, blockMs] = await redis!.riskRateWindow(`{${key}:${NAME}}:hits`, `{${key}:${NAME}}:blocked`, WINDOW_MS, limit, WINDOW_MS, add);
    const now = Date.now();
    const w = known.get(key) ?? { hits: 0, endsAt: 0, blockedUntil: 0, pending: 0, flushing: false };
    w.hits = hits;
    w.endsAt = now + ttlMs;
    w.blockedUntil = blocked === 1 ? now + blockMs : 0;
    known.set(key, w);
    return { isBlocked: blocked === 1, retryAfter: Math.max(1, Math.ceil((blocked === 1 ? blockMs : ttlMs) / 1000)) };
  };
  const flush = (key: string, w: KnownWindow) => {
    if (w.flushing || w.pending === 0) return;
    const add = w.pending;
    w.pending = 0;
    w.flushing = true;
    addShared(key, add).then(sharedUp, sharedFailed).finally(() => {
      w.flushing = false;
      if (w.pending > 0) later(key, w);
    });
  };
  // Hits not yet sent wait at most FLUSH_MS, so that a busy key costs one command per FLUSH_MS, not one per request.
  const dirty = new Map<string, KnownWindow>();
  let timer: NodeJS.Timeout | undefined;
  const later = (key: string, w: KnownWindow) => {
    dirty.set(key, w);
    timer ??= setTimeout(() => {
      timer = undefined;
      const due = [...dirty];
      dirty.clear();
      for (const [k, v] of due) flush(k, v);
    }, FLUSH_MS).unref();
  };
  const count = async (key: string): Promise<Decision> => {
    if (redis && !sharedDown) {
      const w = known.get(key);
      const now = Date.now();
      if (w && now < w.endsAt && now >= w.blockedUntil && 2 * (w.hits + w.pending + 1) <= limit) {
        w.pending += 1;
        later(key, w);
        return { isBlocked: false, retryAfter: 0 };
      }
      try {
        const add = 1 + (w?.pending ?? 0);
        if (w) w.pending = 0;
        const decision = await addShared(key, add);
        sharedUp();
        return decision;
      } catch (err) {
        sharedFailed(err);
      }
    } else if (redis) {
      // Probe Redis in the background; until it answers, count here.
      addShared(key, 1).then(sharedUp, () => undefined);
    }
    return local.hit(key);
  };

  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', async (request) => {
    const apiKey = headerValue(request.headers['x-api-key']);
    if (!apiKey) return;
    const key = `risk:ratelimit:${keyDigest(apiKey, request.raw).slice(0, 32)}`;
    const decision = await count(key);
    if (decision.isBlocked) {
      throw new RateLimitedError(`more than ${limit} requests in a minute with this API key (RATE_LIMIT_PER_MINUTE): retry in ${decision.retryAfter} s`, decision.retryAfter);
    }
  });
  fastify.addHook('onClose', async () => {
    if (timer) clearTimeout(timer);
    if (redis) redis.disconnect();
  });
}
