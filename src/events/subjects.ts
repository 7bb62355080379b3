/** JetStream stream and subjects of the service's events (docs/api.md "NATS"). */
export const RISK_STREAM = 'RISK';

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
  preTradeCheck: 'risk.pretrade.check',
  navUpdated: 'risk.nav.updated',
} as const;
export const QUEUE_GROUP = 'risk-service';

/**
 * Subjects of the RISK stream, listed one by one (docs/api.md "NATS"): a stream on `risk.>` also
 * captures the request subjects (risk.var.calculate …) and JetStream then answers every plain
 * request with its own PubAck before the handler can (verified against nats-server 2.9). So the
 * stream lists every event subject of the contract, and nothing else: the three events the
 * service publishes and the NAV updates it consumes.
 */
export const RISK_STREAM_SUBJECTS = [SUBJECT.varCalculated, SUBJECT.limitBreach, SUBJECT.drawdownAlert, HANDLER.navUpdated];


/**
 * Risk runs (docs/api.md "Risk runs"): one message per portfolio of a run on a work-queue stream of
 * its own, taken by whichever replica is free. Its subject is outside the RISK stream's list.
 */
export const RISK_RUNS_STREAM = 'RISK_RUNS';
export const RISK_RUN_TASK_SUBJECT = 'risk.runs.task';

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
