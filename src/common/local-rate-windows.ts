import { LRUCache } from 'lru-cache';

export interface RateDecision {
  isBlocked: boolean;
  /** seconds until the block (or the window) ends, at least 1 */
  retryAfter: number;
}

interface Window {
  hits: number;
  /** ms (clock) when the window ends */
  endsAt: number;
  /** ms when the key's block ends; 0 = not blocked */
  blockedUntil: number;
}

/**
 * Fixed windows per key in this process, by the rules of the Redis script in rate-limit.ts: the
 * window starts at a key's first hit; past `limit` hits the key is blocked for a window; once the
 * block ends a new window starts. One counter per key (O(1) a hit: @nestjs/throttler's in-process
 * storage kept and filtered every hit's expiry, O(hits in the window) a request), and at most
 * `maxKeys` keys (least recently used dropped: on public routes any x-api-key value is counted).
 */
export class LocalRateWindows {
  private readonly windows: LRUCache<string, Window>;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    maxKeys = 100_000,
    private readonly clock: () => number = Date.now,
  ) {
    this.windows = new LRUCache({ max: maxKeys });
  }

  hit(key: string): RateDecision {
    const now = this.clock();
    let w = this.windows.get(key);
    if (w && w.blockedUntil > now) {
      w.hits += 1;
      return { isBlocked: true, retryAfter: seconds(w.blockedUntil - now) };
    }
    if (!w || now >= w.endsAt || w.blockedUntil !== 0) {
      w = { hits: 0, endsAt: now + this.windowMs, blockedUntil: 0 };
      this.windows.set(key, w);
    }
    w.hits += 1;
    if (w.hits > this.limit) {
      w.blockedUntil = now + this.windowMs;
      return { isBlocked: true, retryAfter: seconds(this.windowMs) };
    }
    return { isBlocked: false, retryAfter: seconds(w.endsAt - now) };
  }

  get size(): number {
    return this.windows.size;
  }

  hitsOf(key: string): number {
    return this.windows.peek(key)?.hits ?? 0;
  }
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
