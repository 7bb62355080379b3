import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Tx } from '../transaction-runner';
import { VarResult, VarResultRepository } from '../var-result.repository';
import { date, dec, json, managerOf, num } from './sql';

const toVarResult = (r: Record<string, any>): VarResult => ({
  id: r.id,
  portfolioId: r.portfolio_id,
  kind: r.kind,
  method: r.method,
  confidenceLevel: num(r.confidence_level),
  horizonDays: num(r.horizon_days),
  scaling: r.scaling,
  valueReturn: num(r.value_return),
  value: dec(r.value),
  portfolioValue: dec(r.portfolio_value),
  observations: num(r.observations),
  fromDate: r.from_date ?? null,
  toDate: r.to_date ?? null,
  contributions: json(r.contributions),
  limitCheck: r.limit_check === null ? null : json(r.limit_check),
  correlationId: r.correlation_id ?? null,
  calculatedAt: date(r.calculated_at),
});

@Injectable()
export class SqlVarResultRepository extends VarResultRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }
  async insert(r: VarResult, tx?: Tx): Promise<void> {
    await managerOf(this.ds, tx).query(
      `INSERT INTO var_results (id, portfolio_id, kind, method, confidence_level, horizon_days, scaling, value_return, value,
         portfolio_value, observations, from_date, to_date, contributions, limit_check, correlation_id, calculated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)`,
      [r.id, r.portfolioId, r.kind, r.method, r.confidenceLevel, r.horizonDays, r.scaling, r.valueReturn, r.value, r.portfolioValue,
        r.observations, r.fromDate, r.toDate, JSON.stringify(r.contributions), r.limitCheck === null ? null : JSON.stringify(r.limitCheck),
        r.correlationId, r.calculatedAt],
    );
  }
  async history(portfolioId: string, opts: { since?: Date; limit: number }, tx?: Tx): Promise<VarResult[]> {
    const rows: Record<string, unknown>[] = await managerOf(this.ds, tx).query(
      `SELECT *, to_char(from_date, 'YYYY-MM-DD') AS from_date, to_char(to_date, 'YYYY-MM-DD') AS to_date FROM var_results
        WHERE portfolio_id = $1 AND ($2::timestamptz IS NULL OR calculated_at >= $2)
        ORDER BY calculated_at DESC, id DESC LIMIT $3`,
      [portfolioId, opts.since ?? null, opts.limit],
    );
    return rows.map(toVarResult);
  }
}
