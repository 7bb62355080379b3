import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NewOutboxEvent, OutboxEvent, OutboxRepository } from '../outbox.repository';
import { Tx } from '../transaction-runner';
import { date, json, managerOf, num, resultRows } from './sql';

@Injectable()
export class SqlOutboxRepository extends OutboxRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }
  async add(events: NewOutboxEvent[], tx?: Tx): Promise<void> {
    if (events.length === 0) return;
    await managerOf(this.ds, tx).query(
      `INSERT INTO outbox_events (id, subject, payload, headers, correlation_id)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::jsonb[], $5::text[])`,
      [events.map((e) => e.id), events.map((e) => e.subject), events.map((e) => JSON.stringify(e.payload)),
        events.map((e) => JSON.stringify(e.headers)), events.map((e) => e.correlationId)],
    );
  }
  async claimDue(limit: number, leaseMs: number): Promise<OutboxEvent[]> {
    const raw: unknown = await this.ds.query(
      `UPDATE outbox_events SET claimed_until = clock_timestamp() + ($2::int * interval '1 millisecond')
        WHERE id IN (SELECT id FROM outbox_events
                      WHERE sent_at IS NULL AND next_attempt_at <= clock_timestamp()
                        AND (claimed_until IS NULL OR claimed_until < clock_timestamp())
                      ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING id, subject, payload, headers, correlation_id, created_at, attempts`,
      [limit, leaseMs],
    );
    return resultRows(raw)
      .map((r) => ({
        id: r.id,
        subject: r.subject,
        payload: json<Record<string, unknown>>(r.payload),
        headers: json<Record<string, string>>(r.headers),
        correlationId: r.correlation_id ?? null,
        createdAt: date(r.created_at),
        attempts: num(r.attempts),
      }))
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }
  async markSent(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.ds.query('UPDATE outbox_events SET sent_at = clock_timestamp(), claimed_until = NULL WHERE id = ANY($1::uuid[])', [ids]);
  }
  async markFailed(id: string, error: string, nextAttemptAt: Date): Promise<void> {
    await this.ds.query(
      'UPDATE outbox_events SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3, claimed_until = NULL WHERE id = $1',
      [id, error.slice(0, 1000), nextAttemptAt],
    );
  }
  async countPending(): Promise<number> {
    const rows = await this.ds.query('SELECT count(*)::int AS n FROM outbox_events WHERE sent_at IS NULL');
    return num(rows[0].n);
  }
}
