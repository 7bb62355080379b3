/** JetStream stream and subjects of the service's events (api.md "NATS"). */
export const RISK_STREAM = 'RISK';
export const RISK_STREAM_SUBJECTS = ['risk.>'];

export const SUBJECT = {
  varCalculated: 'risk.var.calculated',
  limitBreach: 'risk.limit.breach',
  drawdownAlert: 'risk.drawdown.alert',
} as const;
export type EventSubject = (typeof SUBJECT)[keyof typeof SUBJECT];

/** Request handlers (queue group `risk-service`) and the NAV event consumed by the drawdown monitor. */
export const HANDLER = {
  varCalculate: 'risk.var.calculate',
  cvarCalculate: 'risk.cvar.calculate',
  positionSizeCalculate: 'risk.position_size.calculate',
  portfolioVar: 'risk.portfolio.var',
  navUpdated: 'risk.nav.updated',
} as const;
export const QUEUE_GROUP = 'risk-service';

/** Durable JetStream consumer of NAV updates (stream NAV, subjects risk.nav.>). */
export const NAV_STREAM = 'RISK_NAV';
export const NAV_CONSUMER = 'risk-service-nav';

/**
 * How long JetStream remembers a Nats-Msg-Id. The relay retries an event until it is
 * acknowledged, so a publish whose ack was lost may be retried after an outage: the window
 * covers a day of outage so such a retry is still recognised as a duplicate.
 */
export const DUPLICATE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Envelope of every event payload. */
export interface RiskEvent<T = Record<string, unknown>> {
  id: string;
  type: EventSubject;
  occurred_at: string;
  correlation_id: string | null;
  portfolio_id: string;
  data: T;
}
