import { Tx } from './transaction-runner';

export interface NewOutboxEvent {
  id: string;
  subject: string;
  payload: object;
  headers: Record<string, string>;
  correlationId: string | null;
  /** W3C traceparent of the request that wrote it (null when not traced). */
  traceparent?: string | null;
}

export interface OutboxEvent {
  id: string;
  subject: string;
  payload: Record<string, unknown>;
  headers: Record<string, string>;
  correlationId: string | null;
  traceparent: string | null;
  createdAt: Date;
  attempts: number;
}

export abstract class OutboxRepository {
  /** One multi-row insert; pass the business transaction's tx so the events commit with it. */
  abstract add(events: NewOutboxEvent[], tx?: Tx): Promise<void>;
  /** Leases up to `limit` due events for `leaseMs` (other relays skip them meanwhile), oldest first. */
  abstract claimDue(limit: number, leaseMs: number): Promise<OutboxEvent[]>;
  /** Marks them sent (releasing the lease) and answers the count of events still not sent after it (countPending, same statement). */
  abstract markSent(ids: string[]): Promise<number>;
  /** attempts + 1, last_error, next_attempt_at; releases the lease. */
  abstract markFailed(id: string, error: string, nextAttemptAt: Date): Promise<void>;
  /** Not yet sent. */
  abstract countPending(): Promise<number>;
  /** Deletes up to `limit` of the events sent more than `olderThanMs` ago by the database's clock, oldest first (never one not yet sent); answers how many. */
  abstract deleteSent(olderThanMs: number, limit: number): Promise<number>;
  /** Reclaims the space and index entries of sent and deleted events (VACUUM); skipped while another vacuum of the table runs. */
  abstract vacuum(): Promise<void>;
  /** Whether the database vacuums the table by itself (PostgreSQL with autovacuum on; never PGlite, which has no autovacuum). */
  abstract autovacuumRuns(): Promise<boolean>;
}
