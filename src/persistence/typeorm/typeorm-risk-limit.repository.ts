import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThanOrEqual } from 'typeorm';
import { RiskLimitEntity } from '../entities';
import { RiskLimit, RiskLimitRepository } from '../risk-limit.repository';
import { Tx } from '../transaction-runner';
import { managerOf } from './sql';

const toModel = (e: RiskLimitEntity): RiskLimit => ({
  id: e.id,
  portfolioId: e.portfolioId,
  maxVarPercent: e.maxVarPercent,
  maxDrawdownPercent: e.maxDrawdownPercent,
  maxPositionSizePercent: e.maxPositionSizePercent,
  confidenceLevel: e.confidenceLevel,
  horizonDays: e.horizonDays,
  effectiveDate: e.effectiveDate,
  createdAt: e.createdAt,
  createdBy: e.createdBy,
});

const NEWEST = { effectiveDate: 'DESC', createdAt: 'DESC' } as const;

@Injectable()
export class TypeOrmRiskLimitRepository extends RiskLimitRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }

  async addVersion(l: RiskLimit, tx?: Tx): Promise<void> {
    await managerOf(this.ds, tx).insert(RiskLimitEntity, { ...l });
  }

  async findInForce(portfolioId: string, at: Date, tx?: Tx): Promise<RiskLimit | null> {
    const row = await managerOf(this.ds, tx).findOne(RiskLimitEntity, {
      where: { portfolioId, effectiveDate: LessThanOrEqual(at) },
      order: NEWEST,
    });
    return row ? toModel(row) : null;
  }

  async history(portfolioId: string, tx?: Tx): Promise<RiskLimit[]> {
    return (await managerOf(this.ds, tx).find(RiskLimitEntity, { where: { portfolioId }, order: NEWEST })).map(toModel);
  }

  async stamp(portfolioId: string, tx?: Tx): Promise<string> {
    const [row] = (await managerOf(this.ds, tx).query(
      `SELECT count(*)::int AS n, (extract(epoch FROM max(created_at)) * 1000000)::bigint::text AS newest FROM risk_limits WHERE portfolio_id = $1`,
      [portfolioId],
    )) as { n: number; newest: string | null }[];
    return `${row.n}:${row.newest ?? '-'}`;
  }
}
