import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Histogram } from 'prom-client';
import { CALCULATION_SLA_SECONDS, METRIC } from './metrics';

/** Times a calculation and records success, failure and SLA violations. */
@Injectable()
export class CalculationMetrics {
  constructor(
    @InjectMetric(METRIC.calcDuration) private readonly duration: Histogram<'method' | 'asset_class'>,
    @InjectMetric(METRIC.calcSuccess) private readonly success: Counter<'method' | 'asset_class'>,
    @InjectMetric(METRIC.calcErrors) private readonly errors: Counter<'method' | 'error_type'>,
    @InjectMetric(METRIC.calcSlaViolations) private readonly sla: Counter<'method'>,
  ) {}

  /** Runs `fn`, observing its duration under `method` / `assetClass`. Errors are counted and rethrown. */
  /** As measure, for a calculation that resolves later (on the worker pool). */
  async measureAsync<T>(method: string, assetClass: string | undefined, fn: () => Promise<T>): Promise<T> {
    const start = process.hrtime.bigint();
    try {
      const result = await fn();
      this.observe(method, assetClass, start);
      return result;
    } catch (err) {
      this.fail(method, err);
      throw err;
    }
  }

  measure<T>(method: string, assetClass: string | undefined, fn: () => T): T {
    const start = process.hrtime.bigint();
    try {
      const result = fn();
      this.observe(method, assetClass, start);
      return result;
    } catch (err) {
      this.fail(method, err);
      throw err;
    }
  }

  private observe(method: string, assetClass: string | undefined, start: bigint): void {
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const labels = { method, asset_class: assetClass ?? 'none' };
    this.duration.observe(labels, seconds);
    this.success.inc(labels);
    if (seconds > CALCULATION_SLA_SECONDS) this.sla.inc({ method });
  }

  private fail(method: string, err: unknown): void {
    const type = (err as { errorType?: string }).errorType ?? 'UNKNOWN_ERROR';
    this.errors.inc({ method, error_type: type });
  }
}
