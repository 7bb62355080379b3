import { ArgumentsHost, Injectable } from '@nestjs/common';
import { HANDLER } from '../events/subjects';
import { VAR_METHODS } from '../math';
import { CalculationMetrics } from './calculation-metrics.service';

type Kind = 'risk' | 'drawdown' | 'sizing' | 'backtest';

const HTTP_ROUTES: Array<[RegExp, Kind]> = [
  [/^\/v1\/c?var$/, 'risk'],
  [/^\/v1\/portfolios\/:[^/]+\/c?var$/, 'risk'],
  [/^\/v1\/drawdown$/, 'drawdown'],
  [/^\/v1\/position-size$/, 'sizing'],
  [/^\/v1\/backtest$/, 'backtest'],
];
const NATS_SUBJECTS: Record<string, Kind> = {
  [HANDLER.varCalculate]: 'risk',
  [HANDLER.cvarCalculate]: 'risk',
  [HANDLER.portfolioVar]: 'risk',
  [HANDLER.positionSizeCalculate]: 'sizing',
};
const SIZING_METHODS = ['fixed_fractional', 'kelly', 'volatility_target'];

/**
 * The `method` label of a refused calculation request, as measure() would have labelled it; a
 * method that is not one of ours becomes "unknown" (label values stay a closed set).
 */
function methodLabel(kind: Kind, body: unknown): string {
  const b = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const known = (list: readonly string[], fallback: string) =>
    b.method === undefined || b.method === null ? fallback : typeof b.method === 'string' && list.includes(b.method) ? b.method : 'unknown';
  switch (kind) {
    case 'risk':
      return known(VAR_METHODS, 'historical');
    case 'drawdown':
      return 'drawdown';
    case 'sizing':
      return known(SIZING_METHODS, 'unknown');
    case 'backtest':
      return b.var_forecasts !== undefined ? 'backtest_forecasts' : `backtest_${known(VAR_METHODS, 'historical')}`;
  }
}

/**
 * Counts calculation requests refused as invalid (REST and NATS) in risk_calculation_errors_total
 * with error_type="validation"; the global exception filter reports every error here.
 */
@Injectable()
export class CalculationRejections {
  constructor(private readonly metrics: CalculationMetrics) {}

  count(exception: unknown, host: ArgumentsHost, errorType: string): void {
    if (errorType !== 'INVALID_INPUT') return;
    const target = this.calculationOf(host);
    if (target) this.metrics.countRejection(exception, methodLabel(target.kind, target.body), errorType);
  }

  private calculationOf(host: ArgumentsHost): { kind: Kind; body: unknown } | undefined {
    if (host.getType() === 'rpc') {
      const ctx = host.switchToRpc().getContext<{ getSubject?: () => string }>();
      const kind = NATS_SUBJECTS[ctx?.getSubject?.() ?? ''];
      return kind ? { kind, body: host.switchToRpc().getData() } : undefined;
    }
    if (host.getType() !== 'http') return undefined;
    const req = host.switchToHttp().getRequest<{ method?: string; routeOptions?: { url?: string }; body?: unknown }>();
    if (req?.method !== 'POST') return undefined;
    const route = req.routeOptions?.url ?? '';
    const kind = HTTP_ROUTES.find(([re]) => re.test(route))?.[1];
    return kind ? { kind, body: req.body } : undefined;
  }
}
