import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, MoreThanOrEqual } from 'typeorm';
import { LimitBreachEntity } from '../entities';
import { LimitBreach, LimitBreachRepository } from '../limit-breach.repository';
import { Tx } from '../transaction-runner';
import { managerOf } from './sql';

const toModel = (e: LimitBreachEntity): LimitBreach => ({
  id: e.id,
  portfolioId: e.portfolioId,
  breachType: e.breachType,
  severity: e.severity,
  limitPercent: e.limitPercent,
  measuredPercent: e.measuredPercent,
  utilization: e.utilization,
  detectedAt: e.detectedAt,
  varResultId: e.varResultId,
});

@Injectable()
export class TypeOrmLimitBreachRepository extends LimitBreachRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }

  async insert(b: LimitBreach, tx?: Tx): Promise<void> {
    await managerOf(this.ds, tx).insert(LimitBreachEntity, { ...b });
  }

  async list(portfolioId: string, since?: Date, tx?: Tx): Promise<LimitBreach[]> {
    const rows = await managerOf(this.ds, tx).find(LimitBreachEntity, {
      where: { portfolioId, ...(since ? { detectedAt: MoreThanOrEqual(since) } : {}) },
      order: { detectedAt: 'DESC', id: 'DESC' },
      take: 1000,
    });
    return rows.map(toModel);
  }
}
