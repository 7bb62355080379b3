import { Injectable } from '@nestjs/common';
import { OutboxRepository, Tx } from '../persistence/repositories';
import { CORRELATION_HEADER } from '../common/correlation-id';
import { currentTraceparent } from '../observability/trace-context';
import { RiskEvent } from './subjects';

/**
 * Writes events to the outbox inside the caller's transaction; the relay publishes them after
 * commit. The transaction itself wakes the relay when it commits (an after-commit hook), so no
 * caller has to remember to.
 */
@Injectable()
export class OutboxService {
  private readonly listeners: Array<() => void> = [];

  constructor(private readonly outbox: OutboxRepository) {}

  async enqueue(events: RiskEvent[], tx: Tx): Promise<void> {
    if (events.length === 0) return;
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
    tx.afterCommit(() => this.committed());
  }

  /** `listener` runs after each commit that wrote events (the relay: publish now, not at its next poll). */
  onCommitted(listener: () => void): void {
    this.listeners.push(listener);
  }

  private committed(): void {
    for (const l of this.listeners) l();
  }
}
