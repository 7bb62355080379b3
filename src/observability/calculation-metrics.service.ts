import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Histogram } from 'prom-client';
import { CALCULATION_SLA_SECONDS, METRIC } from './metrics';
import { recordFailure, tracer } from './trace-context';

/** error_type label: "validation" for input refused (api.md INVALID_INPUT), else the api.md type in lower case. */
export function errorTypeLabel(errorType: string | undefined): string {
  return errorType === 'INVALID_INPUT' ? 'validation' : (errorType ?? 'UNKNOWN_ERROR').toLowerCase();
}

/** Times a calculation (and traces it: span risk.calculation) and records success, failure and SLA violations. */
@Injectable()
export class CalculationMetrics {
  constructor(
    @InjectMetric(METRIC.calcDuration) private readonly duration: Histogram<'method' | 'asset_class'>,
    @InjectMetric(METRIC.calcSuccess) private readonly success: Counter<'method' | 'asset_class'>,
    @InjectMetric(METRIC.calcErrors) private readonly errors: Counter<'method' | 'error_type'>,
    @InjectMetric(METRIC.calcSlaViolations) private readonly sla: Counter<'method'>,
  ) {}

  /** Errors already counted by measure(), so that a rejection is never counted twice. */
  private readonly counted = new WeakSet<object>();

  /** Runs `fn`, observing its duration under `method` / `assetClass`. Errors are counted and rethrown. */
  measure<T>(method: string, assetClass: string | undefined, fn: () => T): T {
    const span = this.startSpan(method, assetClass);
    const start = process.hrtime.bigint();
    try {
      const result = fn();
      this.observe(method, assetClass, start);
      return result;
    } catch (err) {
      this.fail(method, err, span);
      throw err;
    } finally {
      span.end();
    }
  }

  /** As measure, for a calculation that resolves later (on the worker pool). */
  async measureAsync<T>(method: string, assetClass: string | undefined, fn: () => Promise<T>): Promise<T> {
    const span = this.startSpan(method, assetClass);
    const start = process.hrtime.bigint();
    try {
      const result = await fn();
      this.observe(method, assetClass, start);
      return result;
    } catch (err) {
      this.fail(method, err, span);
      throw err;
    } finally {
      span.end();
    }
  }

  /** Counts a request refused before (or outside) the calculation, e.g. by validation. */
  countRejection(err: unknown, method: string, errorType: string): void {
    if (err !== null && typeof err === 'object' && this.counted.has(err)) return;
    this.errors.inc({ method, error_type: errorTypeLabel(errorType) });
  }

  private startSpan(method: string, assetClass: string | undefined) {
    return tracer().startSpan('risk.calculation', { attributes: { 'risk.method': method, 'risk.asset_class': assetClass ?? 'none' } });
  }

  private observe(method: string, assetClass: string | undefined, start: bigint): void {
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const labels = { method, asset_class: assetClass ?? 'none' };
    this.duration.observe(labels, seconds);
    this.success.inc(labels);
    if (seconds > CALCULATION_SLA_SECONDS) this.sla.inc({ method });
  }

  private fail(method: string, err: unknown, span: ReturnType<CalculationMetrics['startSpan']>): void {
    const type = (err as { errorType?: string }).errorType ?? 'UNKNOWN_ERROR';
    this.errors.inc({ method, error_type: errorTypeLabel(type) });
    if (err !== null && typeof err === 'object') this.counted.add(err);
    recordFailure(span, err);
  }
}
