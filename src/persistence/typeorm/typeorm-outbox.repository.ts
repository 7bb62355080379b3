import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { OutboxEventEntity } from '../entities';
import { NewOutboxEvent, OutboxEvent, OutboxRepository } from '../outbox.repository';
import { Tx } from '../transaction-runner';
import { COMMIT_WITHOUT_FLUSH, maintenance, managerOf, nodePostgresClient, preparedQuery, withRunner } from './sql';

/** A VACUUM of the outbox may take longer than a request's statement; not forever. */
const VACUUM_TIMEOUT_MS = 10 * 60 * 1000;

type ClaimedRow = { id: string; subject: string; payload: Record<string, unknown>; headers: Record<string, string>; correlation_id: string | null; traceparent: string | null; created_at: Date; attempts: number };

@Injectable()
export class TypeOrmOutboxRepository extends OutboxRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }

  async add(events: NewOutboxEvent[], tx?: Tx): Promise<void> {
    if (events.length === 0) return;
    const rows = events.map((e) => ({ id: e.id, subject: e.subject, payload: e.payload, headers: e.headers, correlationId: e.correlationId, traceparent: e.traceparent ?? null }));
    await managerOf(this.ds, tx).insert(OutboxEventEntity, rows); // one multi-row INSERT
  }

  /**
   * One UPDATE (its own short transaction): picks due rows with FOR UPDATE SKIP LOCKED, so two
   * relays never take the same row, and leases them until now + leaseMs. Oldest (seq) first.
   * Committed without waiting for the WAL flush (COMMIT_WITHOUT_FLUSH): a lease lost in a
   * database crash only lets the event be published again, which JetStream drops as a duplicate.
   */
  async claimDue(limit: number, leaseMs: number): Promise<OutboxEvent[]> {
    const rows = await preparedQuery<ClaimedRow>(
      this.ds,
      'outbox_claim_due',
      `WITH claimed AS (
         UPDATE outbox_events SET claimed_until = clock_timestamp() + ($2::int * interval '1 millisecond')
          WHERE id IN (SELECT id FROM outbox_events
                        WHERE sent_at IS NULL AND next_attempt_at <= clock_timestamp()
                          AND (claimed_until IS NULL OR claimed_until < clock_timestamp())
                        ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED)
          RETURNING seq, id, subject, payload, headers, correlation_id, traceparent, created_at, attempts)
       SELECT *, ${COMMIT_WITHOUT_FLUSH} FROM claimed ORDER BY seq`,
      [limit, leaseMs],
    );
    return rows.map((r) => ({
      id: r.id,
      subject: r.subject,
      payload: r.payload,
      headers: r.headers,
      correlationId: r.correlation_id,
      traceparent: r.traceparent,
      createdAt: r.created_at,
      attempts: r.attempts,
    }));
  }

  /**
   * Marks the events sent and counts those still pending, in one statement committed without
   * waiting for the WAL flush (COMMIT_WITHOUT_FLUSH): a mark lost in a database crash only has
   * the event published again after the restart, and JetStream drops it as a duplicate
   * (Nats-Msg-Id within the stream's duplicate window). The events themselves were written with
   * a durable commit.
   */
  async markSent(ids: string[]): Promise<number> {
    if (ids.length === 0) return this.countPending();
    // The count reads the snapshot the UPDATE started from: the rows it marks are left out by id.
    const [row] = await preparedQuery<{ pending: number }>(
      this.ds,
      'outbox_mark_sent',
      `WITH sent AS (UPDATE outbox_events SET sent_at = clock_timestamp(), claimed_until = NULL WHERE id = ANY($1::uuid[]))
       SELECT count(*)::int AS pending, ${COMMIT_WITHOUT_FLUSH} FROM outbox_events WHERE sent_at IS NULL AND id <> ALL($1::uuid[])`,
      [ids],
    );
    return row.pending;
  }

  async markFailed(id: string, error: string, nextAttemptAt: Date): Promise<void> {
    await this.ds.manager.update(
      OutboxEventEntity,
      { id },
      { attempts: () => 'attempts + 1', lastError: error.slice(0, 1000), nextAttemptAt, claimedUntil: null },
    );
  }

  async countPending(): Promise<number> {
    return this.ds.manager.count(OutboxEventEntity, { where: { sentAt: IsNull() } });
  }

  async deleteSent(olderThanMs: number, limit: number): Promise<number> {
    // The partial index outbox_sent_at: the rows deleted are read, not the whole table.
    const [{ deleted }] = (await this.ds.query(
      `WITH deleted AS (
         DELETE FROM outbox_events WHERE id IN (
           SELECT id FROM outbox_events WHERE sent_at IS NOT NULL AND sent_at < clock_timestamp() - ($1::bigint * interval '1 millisecond')
            ORDER BY sent_at LIMIT $2)
         RETURNING 1)
       SELECT count(*)::int AS deleted FROM deleted`,
      [olderThanMs, limit],
    )) as Array<{ deleted: number }>;
    return deleted;
  }

  vacuum(): Promise<void> {
    return withRunner(this.ds, (runner) => maintenance(runner, ['VACUUM (SKIP_LOCKED) outbox_events'], VACUUM_TIMEOUT_MS));
  }

  autovacuumRuns(): Promise<boolean> {
    return withRunner(this.ds, async (runner) => {
      if (!(await nodePostgresClient(runner))) return false;
      const [{ on }] = (await runner.query(`SELECT current_setting('autovacuum') = 'on' AS on`)) as Array<{ on: boolean }>;
      return on;
    });
  }
}
