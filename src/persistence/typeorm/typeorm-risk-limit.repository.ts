import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThanOrEqual } from 'typeorm';
import { RiskLimitEntity } from '../entities';
import { RiskLimit, RiskLimitRepository } from '../risk-limit.repository';
import { Tx } from '../transaction-runner';
import { limitInForceFrom, managerOf, openAlertExists } from './sql';

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

  async lockPortfolioFindInForce(portfolioId: string, at: Date, alertType: string, tx: Tx): Promise<{ limit: RiskLimit | null; openAlert: boolean } | null> {
    const rows: Array<Record<string, any>> = await managerOf(this.ds, tx).query(
      `SELECT p.id AS portfolio_id,
              ${openAlertExists('p.id', '$3')} AS open_alert, l.id, l.max_var_percent, l.max_drawdown_percent, l.max_position_size_percent, l.confidence_level,
              l.horizon_days, l.effective_date, l.created_at, l.created_by
         FROM portfolios p
         LEFT JOIN LATERAL (SELECT * ${limitInForceFrom('p.id', '$2', 'r')}) l ON true
        WHERE p.id = $1 FOR UPDATE OF p`,
      [portfolioId, at, alertType],
    );
    const r = rows[0];
    if (!r) return null;
    const openAlert = r.open_alert === true;
    if (r.id === null) return { limit: null, openAlert };
    return {
      openAlert,
      limit: {
        id: r.id,
        portfolioId: r.portfolio_id,
        maxVarPercent: r.max_var_percent,
        maxDrawdownPercent: r.max_drawdown_percent,
        maxPositionSizePercent: r.max_position_size_percent,
        confidenceLevel: r.confidence_level,
        horizonDays: r.horizon_days,
        effectiveDate: new Date(r.effective_date),
        createdAt: new Date(r.created_at),
        createdBy: r.created_by,
      },
    };
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
