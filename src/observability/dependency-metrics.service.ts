import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { ReturnSeriesCache } from '../persistence/return-series.cache';
import { HealthService } from './health.service';
import { METRIC } from './metrics';

type Collectable = { collect?: () => void | Promise<void> };
interface PgPoolLike {
  totalCount?: number;
  idleCount?: number;
  waitingCount?: number;
  options?: { max?: number };
}

/**
 * Metrics computed when Prometheus scrapes: the database pool (pg's counters; the embedded PGlite
 * session is a pool of one), the readiness of each dependency, and the cache lookups as counters
 * (so that a hit ratio over a window can be taken with rate()).
 */
@Injectable()
export class DependencyMetrics implements OnModuleInit {
  private readonly seen = { lru: { hits: 0, misses: 0 }, redis: { hits: 0, misses: 0 } };
  /** One round of readiness checks per scrape, shared by the two gauges that report it. */
  private readiness?: { at: number; done: Promise<void> };

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly health: HealthService,
    private readonly cache: ReturnSeriesCache,
    @InjectMetric(METRIC.dbPoolConnections) private readonly poolConnections: Gauge<'state'>,
    @InjectMetric(METRIC.dbPoolMax) private readonly poolMax: Gauge,
    @InjectMetric(METRIC.dependencyUp) private readonly dependencyUp: Gauge<'dependency'>,
    @InjectMetric(METRIC.ready) private readonly ready: Gauge,
    @InjectMetric(METRIC.cacheLookups) private readonly lookups: Counter<'cache_type' | 'result'>,
  ) {}

  onModuleInit(): void {
    (this.poolConnections as unknown as Collectable).collect = () => this.collectPool();
    (this.poolMax as unknown as Collectable).collect = () => this.collectPool();
    (this.dependencyUp as unknown as Collectable).collect = () => this.collectReadiness();
    (this.ready as unknown as Collectable).collect = () => this.collectReadiness();
    (this.lookups as unknown as Collectable).collect = () => this.collectLookups();
  }

  private collectPool(): void {
    const pool = (this.ds.driver as unknown as { master?: PgPoolLike }).master;
    if (typeof pool?.totalCount === 'number') {
      this.poolConnections.set({ state: 'total' }, pool.totalCount);
      this.poolConnections.set({ state: 'idle' }, pool.idleCount ?? 0);
      this.poolConnections.set({ state: 'waiting' }, pool.waitingCount ?? 0);
      this.poolMax.set(pool.options?.max ?? 10);
    } else {
      this.poolMax.set(1); // PGlite: one session, lent to one query runner at a time
    }
  }

  private collectReadiness(): Promise<void> {
    if (!this.readiness || Date.now() - this.readiness.at > 1000) this.readiness = { at: Date.now(), done: this.checkReadiness() };
    return this.readiness.done;
  }

  private async checkReadiness(): Promise<void> {
    const checks = await this.health.checkAll();
    for (const [name, state] of Object.entries(checks)) this.dependencyUp.set({ dependency: name }, state === 'up' ? 1 : 0);
    this.ready.set(Object.values(checks).every((s) => s === 'up') ? 1 : 0);
  }

  private collectLookups(): void {
    const now = this.cache.stats();
    for (const type of ['lru', 'redis'] as const) {
      if (type === 'redis' && !this.cache.redisEnabled) continue;
      this.lookups.inc({ cache_type: type, result: 'hit' }, now[type].hits - this.seen[type].hits);
      this.lookups.inc({ cache_type: type, result: 'miss' }, now[type].misses - this.seen[type].misses);
      this.seen[type] = { hits: now[type].hits, misses: now[type].misses };
    }
  }
}
