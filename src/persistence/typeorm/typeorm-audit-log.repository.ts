import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditEntry, AuditLogRepository } from '../audit-log.repository';
import { AuditLogEntity } from '../entities';
import { Tx } from '../transaction-runner';
import { managerOf } from './sql';

@Injectable()
export class TypeOrmAuditLogRepository extends AuditLogRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }

  async append(e: AuditEntry, tx?: Tx): Promise<void> {
    await managerOf(this.ds, tx).insert(AuditLogEntity, {
      actor: e.actor,
      action: e.action,
      entity: e.entity,
      entityId: e.entityId,
      details: (e.details ?? null) as object | null,
      correlationId: e.correlationId ?? null,
    });
  }

  async list(limit: number): Promise<Array<AuditEntry & { at: Date }>> {
    const rows = await this.ds.manager.find(AuditLogEntity, { order: { id: 'DESC' }, take: limit });
    return rows.map((r) => ({ actor: r.actor, action: r.action, entity: r.entity, entityId: r.entityId, details: r.details, correlationId: r.correlationId, at: r.at }));
  }
}
