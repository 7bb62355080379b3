import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RiskLimit, RiskLimitRepository } from '../risk-limit.repository';
import { Tx } from '../transaction-runner';
import { date, managerOf, num, numOrNull } from './sql';

const toLimit = (r: Record<string, any>): RiskLimit => ({
  id: r.id,
  portfolioId: r.portfolio_id,
  maxVarPercent: numOrNull(r.max_var_percent),
  maxDrawdownPercent: numOrNull(r.max_drawdown_percent),
  maxPositionSizePercent: numOrNull(r.max_position_size_percent),
  confidenceLevel: num(r.confidence_level),
  effectiveDate: date(r.effective_date),
  createdAt: date(r.created_at),
  createdBy: r.created_by ?? null,
});

@Injectable()
export class SqlRiskLimitRepository extends RiskLimitRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }
  async addVersion(l: RiskLimit, tx?: Tx): Promise<void> {
    await managerOf(this.ds, tx).query(
      `INSERT INTO risk_limits (id, portfolio_id, max_var_percent, max_drawdown_percent, max_position_size_percent, confidence_level,
         effective_date, created_at, created_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
      [l.id, l.portfolioId, l.maxVarPercent, l.maxDrawdownPercent, l.maxPositionSizePercent, l.confidenceLevel, l.effectiveDate, l.createdAt, l.createdBy],
    );
  }
  async findInForce(portfolioId: string, at: Date, tx?: Tx): Promise<RiskLimit | null> {
    const rows = await managerOf(this.ds, tx).query(
      `SELECT * FROM risk_limits WHERE portfolio_id = $1 AND effective_date <= $2
        ORDER BY effective_date DESC, created_at DESC LIMIT 1`,
      [portfolioId, at],
    );
    return rows.length ? toLimit(rows[0]) : null;
  }
  async history(portfolioId: string, tx?: Tx): Promise<RiskLimit[]> {
    const rows: Record<string, unknown>[] = await managerOf(this.ds, tx).query(
      'SELECT * FROM risk_limits WHERE portfolio_id = $1 ORDER BY effective_date DESC, created_at DESC',
      [portfolioId],
    );
    return rows.map(toLimit);
  }
}
