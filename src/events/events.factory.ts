import { randomUUID } from 'node:crypto';
import { currentCorrelationId } from '../common/correlation-id';
import { EventSubject, RiskEvent } from './subjects';

/** A new event carrying the correlation ID of the request or message that caused it. */
export function newEvent<T extends Record<string, unknown>>(type: EventSubject, portfolioId: string, data: T, at = new Date()): RiskEvent<T> {
  return {
    id: randomUUID(),
    type,
    occurred_at: at.toISOString(),
    correlation_id: currentCorrelationId() ?? null,
    portfolio_id: portfolioId,
    data,
  };
}
