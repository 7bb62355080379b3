import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, MoreThanOrEqual } from 'typeorm';
import { VarResultEntity } from '../entities';
import { Tx } from '../transaction-runner';
import { VarResult, VarResultRepository } from '../var-result.repository';
import { managerOf } from './sql';

const toModel = (e: VarResultEntity): VarResult => ({
  id: e.id,
  portfolioId: e.portfolioId,
  kind: e.kind,
  method: e.method,
  confidenceLevel: e.confidenceLevel,
  horizonDays: e.horizonDays,
  scaling: e.scaling,
  varReturn: e.varReturn,
  var: e.var,
  cvarReturn: e.cvarReturn,
  cvar: e.cvar,
  portfolioValue: e.portfolioValue,
  observations: e.observations,
  fromDate: e.fromDate,
  toDate: e.toDate,
  contributions: e.contributions,
  limitCheck: e.limitCheck,
  correlationId: e.correlationId,
  calculatedAt: e.calculatedAt,
});

@Injectable()
export class TypeOrmVarResultRepository extends VarResultRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }

  async insert(r: VarResult, tx?: Tx): Promise<void> {
    await managerOf(this.ds, tx).insert(VarResultEntity, { ...r });
  }

  async history(portfolioId: string, opts: { since?: Date; limit: number }, tx?: Tx): Promise<VarResult[]> {
    const rows = await managerOf(this.ds, tx).find(VarResultEntity, {
      where: { portfolioId, ...(opts.since ? { calculatedAt: MoreThanOrEqual(opts.since) } : {}) },
      order: { calculatedAt: 'DESC', id: 'DESC' },
      take: opts.limit,
    });
    return rows.map(toModel);
  }
}
