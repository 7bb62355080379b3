import { Injectable } from '@nestjs/common';
import { NewOutboxEvent } from '../persistence/outbox.repository';
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
    await this.enqueueMessages(events.map(messageOf), tx);
  }

  /**
   * Any JetStream message that must go out exactly when the transaction commits (the tasks of a
   * risk run), published like the events: Nats-Msg-Id = id, x-correlation-id when given.
   */
  async enqueueMessages(messages: Message[], tx: Tx): Promise<void> {
    if (messages.length === 0) return;
    await this.outbox.add(this.rowsOf(messages), tx);
    tx.afterCommit(() => this.committed());
  }

  /**
   * The outbox rows of `events`, for a caller that writes them in a statement of its own
   * (VarResultRepository.insertIfUnchanged); call `committed` once that statement has committed.
   */
  rows(events: RiskEvent[]): NewOutboxEvent[] {
    return this.rowsOf(events.map(messageOf));
  }

  private rowsOf(messages: Message[]): NewOutboxEvent[] {
    const traceparent = currentTraceparent(); // the relay publishes each message inside this trace
    return messages.map((m) => ({
      id: m.id,
      subject: m.subject,
      payload: m.payload,
      headers: (m.correlationId ? { [CORRELATION_HEADER]: m.correlationId } : {}) as Record<string, string>,
      correlationId: m.correlationId,
      traceparent,
    }));
  }

  /** `listener` runs after each commit that wrote events (the relay: publish now, not at its next poll). */
  onCommitted(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Wakes the listeners (the relay): events were committed. */
  committed(): void {
    for (const l of this.listeners) l();
  }
}

type Message = { id: string; subject: string; payload: object; correlationId: string | null };

function messageOf(e: RiskEvent): Message {
  return { id: e.id, subject: e.type, payload: e, correlationId: e.correlation_id };
}
