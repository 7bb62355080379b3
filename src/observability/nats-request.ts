import { Logger } from '@nestjs/common';
import { Context, context, trace } from '@opentelemetry/api';
import type { Histogram } from 'prom-client';
import { Observable } from 'rxjs';
import { ErrorBody, toErrorBody } from '../common/error-body';
import { contextFromHeaders, HeaderCarrier, recordFailure, SpanKind, tracer } from './trace-context';

const logger = new Logger('NatsRequest');

/** How a handler ended; a failure's error body when the caller has it already (else derived from `err`). */
export type NatsRequestOutcome = { failed: false } | { failed: true; err: unknown; body?: ErrorBody };

/** One NATS request being handled: its span's context, and the end of it. */
export interface NatsRequestObservation {
  /** The context to run the handler in (its SERVER span active). */
  readonly context: Context;
  /**
   * Ends the span, observes the duration and writes the log line; `err` when the handler failed.
   * `endedAt` (process.hrtime.bigint()): when the handler finished, so that a caller may answer
   * before it logs.
   */
  finish(outcome: NatsRequestOutcome, endedAt?: bigint): void;
}

/**
 * Starts observing one NATS request handler run: a SERVER span continuing the message's
 * `traceparent` (named "<subject> process"), and when it finishes one log line, like pino-http's
 * line per HTTP request: `{ subject, status_code, error_type?, duration_ms, correlation_id }`; and
 * the duration in risk_nats_request_duration_seconds{subject, status_code}.
 */
export function startNatsRequest(subject: string, headers: HeaderCarrier | undefined, correlationId: string, duration?: Histogram<'subject' | 'status_code'>): NatsRequestObservation {
  const parent = contextFromHeaders(headers);
  const span = tracer().startSpan(
    `${subject} process`,
    { kind: SpanKind.SERVER, attributes: { 'messaging.system': 'nats', 'messaging.operation.type': 'process', 'messaging.destination.name': subject } },
    parent,
  );
  const started = process.hrtime.bigint();
  const finish: NatsRequestObservation['finish'] = (outcome, endedAt = process.hrtime.bigint()) => {
    const seconds = Number(endedAt - started) / 1e9;
    const durationMs = Math.round(seconds * 1e5) / 100;
    const body = outcome.failed ? (outcome.body ?? toErrorBody(outcome.err, correlationId)) : undefined;
    const statusCode = body ? body.status_code : 200;
    duration?.observe({ subject, status_code: String(statusCode) }, seconds);
    span.setAttribute('rpc.response.status_code', statusCode);
    if (!outcome.failed || !body) {
      logger.log({ subject, status_code: 200, duration_ms: durationMs, correlation_id: correlationId }, `NATS ${subject} 200 ${Math.round(durationMs)}ms`);
    } else {
      recordFailure(span, outcome.err);
      const line = { subject, status_code: body.status_code, error_type: body.error_type, duration_ms: durationMs, correlation_id: correlationId };
      const text = `NATS ${subject} ${body.status_code} ${Math.round(durationMs)}ms`;
      if (body.status_code >= 500) logger.error(line, text);
      else logger.log(line, text);
    }
    span.end();
  };
  return { context: trace.setSpan(parent, span), finish };
}

/** A NATS request handler run (an Observable, as Nest's interceptors have it), observed by startNatsRequest. */
export function observeNatsRequest<T>(
  subject: string,
  headers: HeaderCarrier | undefined,
  correlationId: string,
  run: () => Observable<T>,
  duration?: Histogram<'subject' | 'status_code'>,
): Observable<T> {
  return new Observable<T>((subscriber) => {
    const request = startNatsRequest(subject, headers, correlationId, duration);
    const subscription = context.with(request.context, () =>
      run().subscribe({
        next: (value) => subscriber.next(value),
        error: (err) => {
          request.finish({ failed: true, err });
          subscriber.error(err);
        },
        complete: () => {
          request.finish({ failed: false });
          subscriber.complete();
        },
      }),
    );
    return () => subscription.unsubscribe();
  });
}
