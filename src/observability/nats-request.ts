import { Logger } from '@nestjs/common';
import { context, trace } from '@opentelemetry/api';
import type { Histogram } from 'prom-client';
import { Observable } from 'rxjs';
import { toErrorBody } from '../common/error-body';
import { contextFromHeaders, HeaderCarrier, recordFailure, SpanKind, tracer } from './trace-context';

const logger = new Logger('NatsRequest');

/**
 * Wraps one NATS request handler run: a SERVER span continuing the message's `traceparent`
 * (named "<subject> process"), and one log line when it ends, like pino-http's line per HTTP
 * request: `{ subject, status_code, error_type?, duration_ms, correlation_id }`; and the
 * duration in risk_nats_request_duration_seconds{subject, status_code}.
 */
export function observeNatsRequest<T>(
  subject: string,
  headers: HeaderCarrier | undefined,
  correlationId: string,
  run: () => Observable<T>,
  duration?: Histogram<'subject' | 'status_code'>,
): Observable<T> {
  return new Observable<T>((subscriber) => {
    const parent = contextFromHeaders(headers);
    const span = tracer().startSpan(
      `${subject} process`,
      { kind: SpanKind.SERVER, attributes: { 'messaging.system': 'nats', 'messaging.operation.type': 'process', 'messaging.destination.name': subject } },
      parent,
    );
    const started = process.hrtime.bigint();
    const finish = (err?: unknown) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const durationMs = Math.round(seconds * 1e5) / 100;
      const statusCode = err === undefined ? 200 : toErrorBody(err, undefined).status_code;
      duration?.observe({ subject, status_code: String(statusCode) }, seconds);
      span.setAttribute('rpc.response.status_code', statusCode);
      if (err === undefined) {
        logger.log({ subject, status_code: 200, duration_ms: durationMs, correlation_id: correlationId }, `NATS ${subject} 200 ${Math.round(durationMs)}ms`);
      } else {
        const body = toErrorBody(err, correlationId);
        recordFailure(span, err);
        const line = { subject, status_code: body.status_code, error_type: body.error_type, duration_ms: durationMs, correlation_id: correlationId };
        const text = `NATS ${subject} ${body.status_code} ${Math.round(durationMs)}ms`;
        if (body.status_code >= 500) logger.error(line, text);
        else logger.log(line, text);
      }
      span.end();
    };
    const subscription = context.with(trace.setSpan(parent, span), () =>
      run().subscribe({
        next: (value) => subscriber.next(value),
        error: (err) => {
          finish(err);
          subscriber.error(err);
        },
        complete: () => {
          finish();
          subscriber.complete();
        },
      }),
    );
    return () => subscription.unsubscribe();
  });
}
