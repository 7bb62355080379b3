import {
  Attributes,
  context,
  Context,
  propagation,
  ROOT_CONTEXT,
  Span,
  SpanKind,
  SpanStatusCode,
  TextMapGetter,
  TextMapSetter,
  trace,
} from '@opentelemetry/api';

/**
 * Spans and W3C trace context for what the automatic instrumentations do not see: calculations,
 * NATS handlers, the outbox publish. Every call is a no-op (a non-recording span, an empty
 * carrier) when tracing is off (src/observability/tracing.ts).
 */
export const TRACEPARENT = 'traceparent';

export function tracer() {
  return trace.getTracer('risk-service');
}

/** A NATS message's headers (nats.js MsgHdrs), read and written by the W3C propagator. */
export interface HeaderCarrier {
  get(key: string): string;
  set(key: string, value: string): void;
  keys(): string[];
}

const getter: TextMapGetter<HeaderCarrier | undefined> = {
  keys: (h) => (h ? h.keys() : []),
  get: (h, key) => h?.get(key) || undefined,
};
const setter: TextMapSetter<HeaderCarrier> = { set: (h, key, value) => h.set(key, value) };

/** The W3C traceparent of the active span, or null (no trace, or tracing off). */
export function currentTraceparent(): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier[TRACEPARENT] ?? null;
}

/** The context a stored or received traceparent continues (the root context when there is none). */
export function contextFromTraceparent(traceparent: string | null | undefined): Context {
  return traceparent ? propagation.extract(ROOT_CONTEXT, { [TRACEPARENT]: traceparent }) : ROOT_CONTEXT;
}

export function contextFromHeaders(headers: HeaderCarrier | undefined): Context {
  return propagation.extract(ROOT_CONTEXT, headers, getter);
}

/** Writes the span's traceparent (and tracestate) into NATS headers. */
export function injectInto(headers: HeaderCarrier, span: Span, parent: Context = context.active()): void {
  propagation.inject(trace.setSpan(parent, span), headers, setter);
}

/** Marks a span failed by `err` (the caller still ends it). */
export function recordFailure(span: Span, err: unknown): void {
  span.recordException(err instanceof Error ? err : String(err));
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : undefined });
}

/** Runs `fn` inside a new active span (child of `parent`), ending it when the promise settles. */
export async function inSpan<T>(name: string, kind: SpanKind, attributes: Attributes, parent: Context, fn: (span: Span) => Promise<T>): Promise<T> {
  const span = tracer().startSpan(name, { kind, attributes }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (err) {
    recordFailure(span, err);
    throw err;
  } finally {
    span.end();
  }
}

/** Publishes with a PRODUCER span continuing `traceparent`; the message carries the span's context. */
export function publishSpan<T>(subject: string, messageId: string, traceparent: string | null, headers: HeaderCarrier, publish: () => Promise<T>): Promise<T> {
  const parent = contextFromTraceparent(traceparent);
  const attributes = { 'messaging.system': 'nats', 'messaging.operation.type': 'send', 'messaging.destination.name': subject, 'messaging.message.id': messageId };
  return inSpan(`${subject} publish`, SpanKind.PRODUCER, attributes, parent, (span) => {
    injectInto(headers, span, parent);
    // A relay without tracing still passes on the trace of the request that wrote the event.
    if (!headers.get(TRACEPARENT) && traceparent) headers.set(TRACEPARENT, traceparent);
    return publish();
  });
}

export { SpanKind };
