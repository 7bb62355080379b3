import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { NatsConnectionService } from '../events/nats-connection.service';
import { TransactionRunner } from '../persistence/repositories';
import { ReturnSeriesCache } from '../persistence/return-series.cache';
import { HealthService } from './health.service';
import { METRIC } from './metrics';

/** Registers the readiness checks (database; NATS and Redis when configured) and the cache hit-rate gauge. */
@Injectable()
export class ReadinessService implements OnApplicationBootstrap {
  constructor(
    private readonly health: HealthService,
    private readonly db: TransactionRunner,
    private readonly nats: NatsConnectionService,
    private readonly cache: ReturnSeriesCache,
    @InjectMetric(METRIC.cacheHitRate) private readonly hitRate: Gauge,
  ) {}

  onApplicationBootstrap(): void {
    this.health.register({ name: 'database', check: () => this.db.ping() });
    if (this.nats.enabled) this.health.register({ name: 'nats', check: () => this.nats.ping() });
    if (this.cache.redisEnabled) this.health.register({ name: 'redis', check: () => this.cache.ping() });
    // Computed when Prometheus scrapes.
    (this.hitRate as unknown as { collect?: () => void }).collect = () => {
      const s = this.cache.stats();
      const rate = (c: { hits: number; misses: number }) => (c.hits + c.misses === 0 ? 0 : c.hits / (c.hits + c.misses));
      this.hitRate.set({ cache_type: 'lru' }, rate(s.lru));
      if (this.cache.redisEnabled) this.hitRate.set({ cache_type: 'redis' }, rate(s.redis));
    };
  }
}
