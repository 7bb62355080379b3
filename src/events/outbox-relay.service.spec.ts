import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Gauge } from 'prom-client';
import { AppConfig } from '../config/app-config';
import { NewOutboxEvent, OutboxEvent, OutboxRepository } from '../persistence/outbox.repository';
import { NatsConnectionService } from './nats-connection.service';
import { DELETE_BATCH, DELETE_BATCHES_PER_PASS, HOUSEKEEPING_EVERY, OutboxRelayService, SENT_RETENTION_MS } from './outbox-relay.service';
import { OutboxService } from './outbox.service';

/** An outbox in memory that records the housekeeping asked of it. */
class MemoryOutbox extends OutboxRepository {
  readonly rows: Array<OutboxEvent & { sentAt: Date | null }> = [];
  readonly deletes: number[] = [];
  vacuums = 0;
  constructor(private readonly autovacuum = false) {
    super();
  }
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
  async deleteSent(olderThanMs: number, limit: number): Promise<number> {
    this.deletes.push(olderThanMs);
    const cutOff = Date.now() - olderThanMs;
    const gone = new Set(this.rows.filter((r) => r.sentAt !== null && r.sentAt.getTime() < cutOff).slice(0, limit));
    const kept = this.rows.filter((r) => !gone.has(r));
    this.rows.splice(0, this.rows.length, ...kept);
    return gone.size;
  }
  async vacuum(): Promise<void> {
    this.vacuums += 1;
  }
  async autovacuumRuns(): Promise<boolean> {
    return this.autovacuum;
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
  const sentLongAgo = (outbox: MemoryOutbox, n: number) => {
    for (const r of outbox.rows.slice(0, n)) r.sentAt = new Date(Date.now() - SENT_RETENTION_MS - 1000);
  };
  // The relay logs each event when NATS is not configured: quiet here.
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(new Logger()));
  afterEach(() => jest.useRealTimers());

  it(`deletes events sent more than an hour ago and vacuums once ${HOUSEKEEPING_EVERY} events were sent`, async () => {
    const outbox = new MemoryOutbox();
    const relay = relayOn(outbox);
    await outbox.add(events(HOUSEKEEPING_EVERY - 1));
    await relay.drain();
    await relay.flush(); // waits for housekeeping under way, if any
    expect(outbox.vacuums).toBe(0);
    sentLongAgo(outbox, 10);
    const relay2 = relayOn(outbox);
    await outbox.add(events(HOUSEKEEPING_EVERY));
    await relay2.drain();
    await relay2.flush();
    expect(outbox.vacuums).toBe(1);
    expect(outbox.deletes).toEqual([SENT_RETENTION_MS]);
    expect(outbox.rows).toHaveLength(2 * HOUSEKEEPING_EVERY - 1 - 10);
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

  it('deletes a backlog in short statements, at most a bounded number per pass', async () => {
    const outbox = new MemoryOutbox();
    const total = DELETE_BATCH * DELETE_BATCHES_PER_PASS + 2500;
    await outbox.add(events(total + 100));
    await outbox.markSent(outbox.rows.slice(0, total + 50).map((r) => r.id));
    sentLongAgo(outbox, total);
    const relay = relayOn(outbox);
    expect(await relay.housekeep()).toBe(DELETE_BATCH * DELETE_BATCHES_PER_PASS);
    expect(outbox.deletes).toHaveLength(DELETE_BATCHES_PER_PASS);
    expect(await relay.housekeep()).toBe(2500); // the rest at the next pass
    expect(outbox.rows).toHaveLength(100); // 50 sent within the hour, 50 not sent
    expect(outbox.vacuums).toBe(2);
  });

  it('leaves the VACUUM to the database where autovacuum runs', async () => {
    const outbox = new MemoryOutbox(true);
    await relayOn(outbox).housekeep();
    expect(outbox.deletes).toHaveLength(1);
    expect(outbox.vacuums).toBe(0);
  });

  it('does not start a VACUUM once stopping, and the final publish does not wait for housekeeping', async () => {
    const outbox = new MemoryOutbox();
    let release!: () => void;
    const deleting = new Promise<void>((r) => (release = r));
    const deleteSent = outbox.deleteSent.bind(outbox);
    outbox.deleteSent = async (ms, limit) => (await deleting, deleteSent(ms, limit));
    const relay = relayOn(outbox);
    await outbox.add(events(HOUSEKEEPING_EVERY));
    await relay.drain(); // starts housekeeping, which waits in its DELETE
    await outbox.add(events(2));
    const flushed = relay.flush();
    await new Promise((r) => setTimeout(r, 50));
    expect(await outbox.countPending()).toBe(0); // published while housekeeping waits
    release();
    await flushed;
    expect(outbox.vacuums).toBe(0);
  });
});
