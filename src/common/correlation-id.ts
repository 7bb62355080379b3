import { randomUUID } from 'node:crypto';
import { CLS_ID, ClsServiceManager } from 'nestjs-cls';
import { headerValue } from './header-value';

export const CORRELATION_HEADER = 'x-correlation-id';
const WELL_FORMED = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's correlation ID when well-formed (≤ 128 chars of [A-Za-z0-9._:-]), else a new UUID. */
export function resolveCorrelationId(candidate: unknown): string {
  const value = headerValue(candidate);
  return typeof value === 'string' && WELL_FORMED.test(value) ? value : randomUUID();
}

/** The correlation ID of the current request / message / job, if any. */
export function currentCorrelationId(): string | undefined {
  const cls = ClsServiceManager.getClsService();
  return cls.isActive() ? cls.getId() : undefined;
}

/** Runs `fn` in a fresh context carrying `correlationId` (NATS handlers, relays, jobs). */
export function runWithCorrelationId<T>(correlationId: string, fn: () => T): T {
  const cls = ClsServiceManager.getClsService();
  return cls.run(() => {
    cls.set(CLS_ID, correlationId); // the symbol cls.getId() reads (the string 'CLS_ID' is another key)
    return fn();
  });
}
