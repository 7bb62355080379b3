import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditEntry, AuditLogRepository } from '../audit-log.repository';
import { Tx } from '../transaction-runner';
import { date, managerOf } from './sql';

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
