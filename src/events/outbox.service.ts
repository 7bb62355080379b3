import { Injectable } from '@nestjs/common';
import { OutboxRepository, Tx } from '../persistence/repositories';
import { CORRELATION_HEADER } from '../common/correlation-id';
import { currentTraceparent } from '../observability/trace-context';
import { RiskEvent } from './subjects';

/** Writes events to the outbox inside the caller's transaction; the relay publishes them after commit. */
@Injectable()
export class OutboxService {
  private readonly listeners: Array<() => void> = [];

  constructor(private readonly outbox: OutboxRepository) {}

  async enqueue(events: RiskEvent[], tx: Tx): Promise<void> {
    const traceparent = currentTraceparent(); // the relay publishes each event inside this trace
    await this.outbox.add(
      events.map((e) => ({
        id: e.id,
        subject: e.type,
        payload: e,
        headers: (e.correlation_id ? { [CORRELATION_HEADER]: e.correlation_id } : {}) as Record<string, string>,
        correlationId: e.correlation_id,
        traceparent,
      })),
      tx,
    );
  }

  /** Call after the transaction commits: wakes the relay now instead of at its next poll. */
  notifyCommitted(): void {
    for (const l of this.listeners) l();
  }

  onCommitted(listener: () => void): void {
    this.listeners.push(listener);
  }
}
