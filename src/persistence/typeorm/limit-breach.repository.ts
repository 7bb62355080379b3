import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { LimitBreach, LimitBreachRepository } from '../limit-breach.repository';
import { Tx } from '../transaction-runner';
import { date, managerOf, num } from './sql';

const toBreach = (r: Record<string, any>): LimitBreach => ({
  id: r.id,
  portfolioId: r.portfolio_id,
  breachType: r.breach_type,
  severity: r.severity,
  limitValue: num(r.limit_value),
  measuredValue: num(r.measured_value),
  utilization: num(r.utilization),
  detectedAt: date(r.detected_at),
  varResultId: r.var_result_id ?? null,
});

@Injectable()
export class SqlLimitBreachRepository extends LimitBreachRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }
  async insert(b: LimitBreach, tx?: Tx): Promise<void> {
    await managerOf(this.ds, tx).query(
      `INSERT INTO limit_breaches (id, portfolio_id, breach_type, severity, limit_value, measured_value, utilization, detected_at, var_result_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
      [b.id, b.portfolioId, b.breachType, b.severity, b.limitValue, b.measuredValue, b.utilization, b.detectedAt, b.varResultId],
    );
  }
  async list(portfolioId: string, since?: Date, tx?: Tx): Promise<LimitBreach[]> {
    const rows: Record<string, unknown>[] = await managerOf(this.ds, tx).query(
      `SELECT * FROM limit_breaches WHERE portfolio_id = $1 AND ($2::timestamptz IS NULL OR detected_at >= $2)
        ORDER BY detected_at DESC LIMIT 1000`,
      [portfolioId, since ?? null],
    );
    return rows.map(toBreach);
  }
}
