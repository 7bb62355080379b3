import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Gauge } from 'prom-client';
import { AppConfig } from '../config/app-config';
import { NewOutboxEvent, OutboxEvent, OutboxRepository } from '../persistence/outbox.repository';
import { NatsConnectionService } from './nats-connection.service';
import { HOUSEKEEPING_EVERY, OutboxRelayService, SENT_RETENTION_MS } from './outbox-relay.service';
import { OutboxService } from './outbox.service';

/** An outbox in memory that records the housekeeping asked of it. */
class MemoryOutbox extends OutboxRepository {
  readonly rows: Array<OutboxEvent & { sentAt: Date | null }> = [];
  readonly deletes: Date[] = [];
  vacuums = 0;
  async add(events: NewOutboxEvent[]): Promise<void> {
    for (const e of events) this.rows.push({ id: e.id, subject: e.subject, payload: e.payload as Record<string, unknown>, headers: e.headers, correlationId: e.correlationId, traceparent: e.traceparent ?? null, createdAt: new Date(), attempts: 0, sentAt: null });
  }
  async claimDue(limit: number): Promise<OutboxEvent[]> {
    return this.rows.filter((r) => r.sentAt === null).slice(0, limit);
  }
  async markSent(ids: string[]): Promise<number> {
    const sent = new Set(ids);
    for (const r of this.rows) if (sent.has(r.id)) r.sentAt = new Date();
    return this.countPending();
  }
  async markFailed(): Promise<void> {
    throw new Error('not expected: NATS is not configured');
  }
  async countPending(): Promise<number> {
    return this.rows.filter((r) => r.sentAt === null).length;
  }
  async deleteSent(sentBefore: Date, limit: number): Promise<number> {
    this.deletes.push(sentBefore);
    const gone = new Set(this.rows.filter((r) => r.sentAt !== null && r.sentAt < sentBefore).slice(0, limit));
    const kept = this.rows.filter((r) => !gone.has(r));
    this.rows.splice(0, this.rows.length, ...kept);
    return gone.size;
  }
  async vacuum(): Promise<void> {
    this.vacuums += 1;
  }
}

describe('OutboxRelayService housekeeping', () => {
  const events = (n: number): NewOutboxEvent[] => Array.from({ length: n }, () => ({ id: randomUUID(), subject: 'risk.test', payload: {}, headers: {}, correlationId: null }));
  const relayOn = (outbox: MemoryOutbox) =>
    new OutboxRelayService(
      outbox,
      { enabled: false, beforeClose: () => undefined } as unknown as NatsConnectionService,
      { outboxPollMs: 200, outboxMaxBackoffMs: 1000 } as AppConfig,
      { onCommitted: () => undefined } as unknown as OutboxService,
      { set: () => undefined } as unknown as Gauge,
    );
  // The relay logs each event when NATS is not configured: quiet here.
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(new Logger()));
  afterEach(() => jest.useRealTimers());

  it(`deletes events sent more than a day ago and vacuums once ${HOUSEKEEPING_EVERY} events were sent`, async () => {
    const outbox = new MemoryOutbox();
    const relay = relayOn(outbox);
    await outbox.add(events(HOUSEKEEPING_EVERY - 1));
    await relay.drain();
    await relay.flush(); // waits for housekeeping under way, if any
    expect(outbox.vacuums).toBe(0);
    const relay2 = relayOn(outbox);
    await outbox.add(events(HOUSEKEEPING_EVERY));
    const before = Date.now();
    await relay2.drain();
    await relay2.flush();
    expect(outbox.vacuums).toBe(1);
    expect(outbox.deletes).toHaveLength(1);
    expect(outbox.deletes[0].getTime()).toBeGreaterThanOrEqual(before - SENT_RETENTION_MS);
    expect(outbox.deletes[0].getTime()).toBeLessThanOrEqual(Date.now() - SENT_RETENTION_MS);
  });

  it('housekeeps a minute after the last pass when fewer events were sent, not before', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const outbox = new MemoryOutbox();
    const relay = relayOn(outbox);
    await outbox.add(events(3));
    await relay.drain();
    expect(outbox.vacuums).toBe(0);
    jest.setSystemTime(Date.now() + 61_000);
    await outbox.add(events(1));
    await relay.drain();
    await relay.flush();
    expect(outbox.vacuums).toBe(1);
  });

  it('deletes in batches until none is left, and only events sent before the cut-off', async () => {
    const outbox = new MemoryOutbox();
    await outbox.add(events(25_000));
    await outbox.markSent(outbox.rows.slice(0, 24_000).map((r) => r.id));
    for (const r of outbox.rows.slice(0, 23_000)) r.sentAt = new Date(Date.now() - SENT_RETENTION_MS - 1000);
    expect(await relayOn(outbox).housekeep()).toBe(23_000);
    expect(outbox.deletes).toHaveLength(3); // 10,000 + 10,000 + 3,000
    expect(outbox.rows).toHaveLength(2000);
    expect(outbox.vacuums).toBe(1);
  });
});
