import { randomUUID } from 'node:crypto';
import type { ConsumerDeserializer, ConsumerSerializer, IncomingRequest, OutgoingResponse } from '@nestjs/microservices';
import { NatsRecordSerializer } from '@nestjs/microservices/serializers/nats-record.serializer';
import { headers as natsHeaders, JSONCodec, MsgHdrs } from 'nats';
import { CORRELATION_HEADER, currentCorrelationId } from '../common/correlation-id';
import { ValidationError } from '../common/errors';
import { parseUntrustedJson } from '../common/hostile-input';
import { MalformedPayload } from '../common/malformed-payload';


const PLAIN_PREFIX = 'plain:';
const codec = JSONCodec();

/**
 * Nest's NATS transport expects its own envelope `{ pattern, data, id }`; a plain client
 * (`nats req`, a Go service) sends bare JSON and would be taken for an event and never
 * answered. This deserializer keeps Nest envelopes as they are and turns a bare message
 * with a reply subject into a request with an id of our own, so the serializer can
 * answer it with bare JSON.
 */
export class PlainJsonDeserializer implements ConsumerDeserializer {
  deserialize(value: Uint8Array, options?: { channel?: string; replyTo?: string }): IncomingRequest {
    const decoded = decodePayload(value);
    if (isNestEnvelope(decoded)) return decoded as IncomingRequest;
    const packet = { pattern: options?.channel ?? '', data: decoded } as IncomingRequest;
    if (options?.replyTo) (packet as { id?: string }).id = `${PLAIN_PREFIX}${randomUUID()}`;
    return packet;
  }
}

/**
 * A handler's result with the correlation ID its reply header must carry (the interceptor wraps
 * results in it: the serializer runs outside the handler's async context).
 */
export class CorrelatedReply {
  constructor(
    readonly value: unknown,
    readonly correlationId: string,
  ) {}
}

/**
 * Answers plain requests with the bare JSON result, or `{ "error": { …docs/api.md error body… } }`;
 * Nest clients keep the Nest envelope. Every reply carries the request's `x-correlation-id` header.
 */
export class PlainJsonSerializer implements ConsumerSerializer {
  private readonly nest = new NatsRecordSerializer();

  serialize(packet: OutgoingResponse & { id?: string }): { data: Uint8Array; headers?: unknown } {
    const reply = packet.response instanceof CorrelatedReply ? packet.response : undefined;
    const unwrapped = reply ? { ...packet, response: reply.value } : packet;
    return withCorrelationHeader(this.encode(unwrapped), unwrapped, reply?.correlationId);
  }

  private encode(packet: OutgoingResponse & { id?: string }): { data: Uint8Array; headers?: unknown } {
    if (typeof packet?.id !== 'string' || !packet.id.startsWith(PLAIN_PREFIX)) return this.nest.serialize(packet);
    if (packet.err !== undefined) return { data: codec.encode(normaliseError(packet.err)) };
    if (packet.response !== undefined) return { data: codec.encode(packet.response) };
    // The end-of-stream marker Nest sends after a reply: a plain client has already taken its answer.
    return { data: new Uint8Array() };
  }
}

/** x-correlation-id: the one the result was wrapped with, else the error body's (else the CLS context's). */
function withCorrelationHeader(out: { data: Uint8Array; headers?: unknown }, packet: OutgoingResponse, correlationId?: string): { data: Uint8Array; headers?: unknown } {
  const fromError = (packet.err as { error?: { correlation_id?: unknown } } | undefined)?.error?.correlation_id;
  const id = correlationId ?? (typeof fromError === 'string' ? fromError : undefined) ?? currentCorrelationId();
  if (!id) return out;
  const h = (out.headers as MsgHdrs | undefined) ?? natsHeaders();
  h.set(CORRELATION_HEADER, id);
  return { ...out, headers: h };
}

/**
 * A request payload as the handlers take it: its JSON under the same hostile-input rules as REST
 * bodies (depth, NUL, lone surrogates, prototype keys), {} when empty, or a MalformedPayload that
 * the validation pipe answers as INVALID_INPUT.
 */
export function decodePayload(value: Uint8Array): unknown {
  try {
    return value.length === 0 ? {} : parseUntrustedJson(value, 'payload');
  } catch (err) {
    return new MalformedPayload(err instanceof ValidationError ? err.messages : [String((err as Error).message)]);
  }
}

/** A Nest client's envelope `{ pattern, data, id? }` (answered in Nest's shape), not a plain payload. */
export function isNestEnvelope(v: unknown): v is { pattern: unknown; data: unknown; id?: unknown } {
  return !!v && typeof v === 'object' && !(v instanceof MalformedPayload) && 'pattern' in v && 'data' in v;
}

function normaliseError(err: unknown): unknown {
  if (err && typeof err === 'object' && 'error' in err) return err;
  return {
    error: { status_code: 500, error: 'Internal Server Error', error_type: 'UNKNOWN_ERROR', message: ['internal error'], correlation_id: undefined },
  };
}
