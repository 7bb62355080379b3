import { Logger } from '@nestjs/common';
import { context, trace } from '@opentelemetry/api';
import { Observable } from 'rxjs';
import { toErrorBody } from '../common/error-body';
import { contextFromHeaders, HeaderCarrier, recordFailure, SpanKind, tracer } from './trace-context';

const logger = new Logger('NatsRequest');

/**
 * Wraps one NATS request handler run: a SERVER span continuing the message's `traceparent`
 * (named "<subject> process"), and one log line when it ends, like pino-http's line per HTTP
 * request: `{ subject, status_code, error_type?, duration_ms, correlation_id }`.
 */
export function observeNatsRequest<T>(subject: string, headers: HeaderCarrier | undefined, correlationId: string, run: () => Observable<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const parent = contextFromHeaders(headers);
    const span = tracer().startSpan(
      `${subject} process`,
      { kind: SpanKind.SERVER, attributes: { 'messaging.system': 'nats', 'messaging.operation.type': 'process', 'messaging.destination.name': subject } },
      parent,
    );
    const started = process.hrtime.bigint();
    const finish = (err?: unknown) => {
      const durationMs = Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
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
      span.setAttribute('rpc.response.status_code', err === undefined ? 200 : toErrorBody(err, undefined).status_code);
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
