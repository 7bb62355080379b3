import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiKey, AuditEntry, DrawdownEvent, DrawdownState, OutboxEvent } from '../models';
import {
  ApiKeyRepository,
  AuditLogRepository,
  DrawdownEventRepository,
  DrawdownStateRepository,
  OutboxRepository,
  Tx,
} from '../repositories';
import { date, dateOrNull, dec, json, managerOf, num } from './sql';

const toState = (r: Record<string, any>): DrawdownState => ({
  portfolioId: r.portfolio_id,
  peakValue: dec(r.peak_value),
  peakAt: date(r.peak_at),
  currentValue: dec(r.current_value),
  currentAt: date(r.current_at),
  maxDrawdown: num(r.max_drawdown),
  status: r.status,
  updatedAt: date(r.updated_at),
});

@Injectable()
export class SqlDrawdownStateRepository extends DrawdownStateRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }
  async get(portfolioId: string, tx?: Tx, forUpdate = false): Promise<DrawdownState | null> {
    const rows = await managerOf(this.ds, tx).query(
      `SELECT * FROM drawdown_states WHERE portfolio_id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [portfolioId],
    );
    return rows.length ? toState(rows[0]) : null;
  }
  async save(s: DrawdownState, tx?: Tx): Promise<void> {
    await managerOf(this.ds, tx).query(
      `INSERT INTO drawdown_states (portfolio_id, peak_value, peak_at, current_value, current_at, max_drawdown, status, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,now())
       ON CONFLICT (portfolio_id) DO UPDATE SET peak_value=$2, peak_at=$3, current_value=$4, current_at=$5, max_drawdown=$6,
         status=$7, updated_at=now()`,
      [s.portfolioId, s.peakValue, s.peakAt, s.currentValue, s.currentAt, s.maxDrawdown, s.status],
    );
  }
}

@Injectable()
export class SqlDrawdownEventRepository extends DrawdownEventRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }
  async insert(e: DrawdownEvent, tx?: Tx): Promise<void> {
    await managerOf(this.ds, tx).query(
      'INSERT INTO drawdown_events (id, portfolio_id, from_status, to_status, drawdown, value, at) VALUES ($1,$2,$3,$4,$5,$6,$7)',
      [e.id, e.portfolioId, e.fromStatus, e.toStatus, e.drawdown, e.value, e.at],
    );
  }
  async list(portfolioId: string, tx?: Tx): Promise<DrawdownEvent[]> {
    const rows: Record<string, any>[] = await managerOf(this.ds, tx).query(
      'SELECT * FROM drawdown_events WHERE portfolio_id = $1 ORDER BY at DESC, created_at DESC LIMIT 1000',
      [portfolioId],
    );
    return rows.map((r) => ({
      id: r.id,
      portfolioId: r.portfolio_id,
      fromStatus: r.from_status,
      toStatus: r.to_status,
      drawdown: num(r.drawdown),
      value: dec(r.value),
      at: date(r.at),
    }));
  }
}

@Injectable()
export class SqlOutboxRepository extends OutboxRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }
  async add(events: Array<{ id: string; subject: string; payload: object; headers: Record<string, string>; correlationId: string | null }>, tx?: Tx): Promise<void> {
    if (events.length === 0) return;
    await managerOf(this.ds, tx).query(
      `INSERT INTO outbox_events (id, subject, payload, headers, correlation_id)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::jsonb[], $5::text[])`,
      [events.map((e) => e.id), events.map((e) => e.subject), events.map((e) => JSON.stringify(e.payload)),
        events.map((e) => JSON.stringify(e.headers)), events.map((e) => e.correlationId)],
    );
  }
  async claimDue(limit: number, leaseMs: number): Promise<OutboxEvent[]> {
    const rows: Record<string, any>[] = await this.ds.query(
      `UPDATE outbox_events SET claimed_until = clock_timestamp() + ($2::int * interval '1 millisecond')
        WHERE id IN (SELECT id FROM outbox_events
                      WHERE sent_at IS NULL AND next_attempt_at <= clock_timestamp()
                        AND (claimed_until IS NULL OR claimed_until < clock_timestamp())
                      ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING id, subject, payload, headers, correlation_id, created_at, attempts`,
      [limit, leaseMs],
    );
    const list = Array.isArray(rows[0]) ? (rows[0] as Record<string, any>[]) : rows;
    return list
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

const toKey = (r: Record<string, any>): ApiKey => ({
  id: r.id,
  name: r.name,
  role: r.role,
  keyPrefix: r.key_prefix,
  createdAt: date(r.created_at),
  createdBy: r.created_by ?? null,
  revokedAt: dateOrNull(r.revoked_at),
});

@Injectable()
export class SqlApiKeyRepository extends ApiKeyRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }
  async insert(k: ApiKey & { keyHash: string }, tx?: Tx): Promise<void> {
    await managerOf(this.ds, tx).query(
      'INSERT INTO api_keys (id, name, role, key_hash, key_prefix, created_at, created_by) VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (key_hash) DO NOTHING',
      [k.id, k.name, k.role, k.keyHash, k.keyPrefix, k.createdAt, k.createdBy],
    );
  }
  async findActiveByHash(hash: string): Promise<ApiKey | null> {
    const rows = await this.ds.query('SELECT * FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL', [hash]);
    return rows.length ? toKey(rows[0]) : null;
  }
  async list(): Promise<ApiKey[]> {
    const rows: Record<string, unknown>[] = await this.ds.query('SELECT * FROM api_keys ORDER BY created_at');
    return rows.map(toKey);
  }
  async revoke(id: string, at: Date, tx?: Tx): Promise<boolean> {
    const rows = await managerOf(this.ds, tx).query('UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id', [id, at]);
    const list = Array.isArray(rows[0]) ? rows[0] : rows;
    return list.length > 0;
  }
  async countActive(): Promise<number> {
    const rows = await this.ds.query('SELECT count(*)::int AS n FROM api_keys WHERE revoked_at IS NULL');
    return num(rows[0].n);
  }
}

@Injectable()
export class SqlAuditLogRepository extends AuditLogRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }
  async append(e: AuditEntry, tx?: Tx): Promise<void> {
    await managerOf(this.ds, tx).query(
      'INSERT INTO audit_log (actor, action, entity, entity_id, details, correlation_id) VALUES ($1,$2,$3,$4,$5,$6)',
      [e.actor, e.action, e.entity, e.entityId, e.details === undefined ? null : JSON.stringify(e.details), e.correlationId ?? null],
    );
  }
  async list(limit: number): Promise<Array<AuditEntry & { at: Date }>> {
    const rows: Record<string, any>[] = await this.ds.query('SELECT * FROM audit_log ORDER BY id DESC LIMIT $1', [limit]);
    return rows.map((r) => ({ actor: r.actor, action: r.action, entity: r.entity, entityId: r.entity_id, details: r.details, correlationId: r.correlation_id, at: date(r.at) }));
  }
}
