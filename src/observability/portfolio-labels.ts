import type { FactoryProvider, Provider } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { AppConfig } from '../config/app-config';

export const PORTFOLIO_LABEL = 'portfolio_id';

type LabelValues = Record<string, string | number>;

function withoutPortfolio(labels: unknown): unknown {
  if (!labels || typeof labels !== 'object') return labels;
  const { [PORTFOLIO_LABEL]: _dropped, ...rest } = labels as LabelValues;
  return rest;
}

/**
 * The metric as the application sees it when METRICS_PORTFOLIO_LABELS=false: a view of the real
 * metric (never a mutation of it, which the registry shares) whose observations lose their
 * portfolio_id label. Counters and histograms then add up over portfolios; a gauge holding one
 * value per portfolio (portfolio_var_current) has no meaning without the portfolio, so it records
 * nothing and is exported with no samples.
 */
export function withoutPortfolioLabel<M extends object>(metric: M): M {
  const labelNames = (metric as { labelNames?: string[] }).labelNames ?? [];
  if (!labelNames.includes(PORTFOLIO_LABEL)) return metric;
  const isGauge = metric instanceof Gauge;
  const recording = new Set(metric instanceof Counter ? ['inc'] : metric instanceof Histogram ? ['observe', 'startTimer'] : isGauge ? ['set', 'inc', 'dec', 'setToCurrentTime', 'startTimer'] : []);
  return new Proxy(metric, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof prop !== 'string' || !recording.has(prop) || typeof value !== 'function') return value;
      if (isGauge) return () => (prop === 'startTimer' ? () => 0 : undefined);
      return (first?: unknown, ...rest: unknown[]) => (value as (...a: unknown[]) => unknown).call(target, withoutPortfolio(first), ...rest);
    },
  });
}

/**
 * Wraps the metric providers so that, when METRICS_PORTFOLIO_LABELS is false (metrics leave the
 * trust boundary), no portfolio id reaches /metrics.
 */
export function withPortfolioLabelPolicy(providers: Provider[]): Provider[] {
  return providers.map((p) => {
    const original = p as FactoryProvider;
    if (typeof original.useFactory !== 'function') return p;
    return {
      provide: original.provide,
      inject: [...(original.inject ?? []), AppConfig],
      useFactory: (...args: unknown[]) => {
        const config = args.pop() as AppConfig;
        const metric = original.useFactory(...args) as object;
        return config.metricsPortfolioLabels ? metric : withoutPortfolioLabel(metric);
      },
    };
  });
}
