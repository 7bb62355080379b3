import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, FindOptionsWhere, In, Not } from 'typeorm';
import { Alert, AlertRepository, AlertStatus } from '../alert.repository';
import { AlertEntity } from '../entities';
import { DuplicateKeyError } from '../errors';
import { BreachType } from '../limit-breach.repository';
import { Tx } from '../transaction-runner';
import { isUniqueViolation, lockIf, managerOf } from './sql';

const toModel = (e: AlertEntity): Alert => ({
  id: e.id,
  portfolioId: e.portfolioId,
  type: e.type,
  severity: e.severity,
  message: e.message,
  thresholdPercent: e.thresholdPercent,
  currentPercent: e.currentPercent,
  triggeredAt: e.triggeredAt,
  lastTriggeredAt: e.lastTriggeredAt,
  status: e.status,
  occurrences: e.occurrences,
  acknowledgedBy: e.acknowledgedBy,
  acknowledgedAt: e.acknowledgedAt,
  acknowledgeNote: e.acknowledgeNote,
  resolvedAt: e.resolvedAt,
  resolvedBy: e.resolvedBy,
});

@Injectable()
export class TypeOrmAlertRepository extends AlertRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }

  private repo(tx?: Tx) {
    return managerOf(this.ds, tx).getRepository(AlertEntity);
  }

  async findOpen(portfolioId: string, type: BreachType, tx?: Tx): Promise<Alert | null> {
    const row = await this.repo(tx).findOne({ where: { portfolioId, type, status: Not('resolved' as const) }, ...lockIf(tx) });
    return row ? toModel(row) : null;
  }

  async insert(a: Alert, tx?: Tx): Promise<void> {
    try {
      await this.repo(tx).insert({ ...a });
    } catch (err) {
      if (isUniqueViolation(err)) throw new DuplicateKeyError(`portfolio ${a.portfolioId} already has an open ${a.type} alert`);
      throw err;
    }
  }

  async update(a: Alert, tx?: Tx): Promise<void> {
    const { id, portfolioId: _p, type: _t, triggeredAt: _at, ...changes } = a;
    await this.repo(tx).update({ id }, changes);
  }

  async findById(id: string, tx?: Tx, forUpdate = false): Promise<Alert | null> {
    const row = await this.repo(tx).findOne({ where: { id }, ...lockIf(tx, forUpdate) });
    return row ? toModel(row) : null;
  }

  async list(filter: { portfolioId?: string; portfolioIds?: string[]; status?: AlertStatus; limit?: number }, tx?: Tx): Promise<Alert[]> {
    const where: FindOptionsWhere<AlertEntity> = {};
    if (filter.portfolioIds !== undefined) where.portfolioId = In(filter.portfolioIds);
    if (filter.portfolioId !== undefined) where.portfolioId = filter.portfolioId;
    if (filter.status !== undefined) where.status = filter.status;
    const rows = await this.repo(tx).find({ where, order: { lastTriggeredAt: 'DESC', id: 'DESC' }, take: filter.limit ?? 500 });
    return rows.map(toModel);
  }
}
