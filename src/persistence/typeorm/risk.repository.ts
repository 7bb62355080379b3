import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Alert, AlertStatus, BreachType, LimitBreach, RiskLimit, VarResult } from '../models';
import { AlertRepository, LimitBreachRepository, RiskLimitRepository, Tx, VarResultRepository } from '../repositories';
import { date, dateOrNull, dec, json, managerOf, num, numOrNull } from './sql';

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

const toAlert = (r: Record<string, any>): Alert => ({
  id: r.id,
  portfolioId: r.portfolio_id,
  type: r.type,
  severity: r.severity,
  message: r.message,
  threshold: num(r.threshold),
  currentValue: num(r.current_value),
  triggeredAt: date(r.triggered_at),
  lastTriggeredAt: date(r.last_triggered_at),
  status: r.status,
  occurrences: num(r.occurrences),
  acknowledgedBy: r.acknowledged_by ?? null,
  acknowledgedAt: dateOrNull(r.acknowledged_at),
  acknowledgeNote: r.acknowledge_note ?? null,
  resolvedAt: dateOrNull(r.resolved_at),
  resolvedBy: r.resolved_by ?? null,
});

@Injectable()
export class SqlAlertRepository extends AlertRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }
  async findOpen(portfolioId: string, type: BreachType, tx?: Tx): Promise<Alert | null> {
    const rows = await managerOf(this.ds, tx).query(
      `SELECT * FROM alerts WHERE portfolio_id = $1 AND type = $2 AND status <> 'resolved' FOR UPDATE`,
      [portfolioId, type],
    );
    return rows.length ? toAlert(rows[0]) : null;
  }
  async insert(a: Alert, tx?: Tx): Promise<void> {
    await managerOf(this.ds, tx).query(
      `INSERT INTO alerts (id, portfolio_id, type, severity, message, threshold, current_value, triggered_at, last_triggered_at, status,
         occurrences, acknowledged_by, acknowledged_at, acknowledge_note, resolved_at, resolved_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)`,
      [a.id, a.portfolioId, a.type, a.severity, a.message, a.threshold, a.currentValue, a.triggeredAt, a.lastTriggeredAt, a.status,
        a.occurrences, a.acknowledgedBy, a.acknowledgedAt, a.acknowledgeNote, a.resolvedAt, a.resolvedBy],
    );
  }
  async update(a: Alert, tx?: Tx): Promise<void> {
    await managerOf(this.ds, tx).query(
      `UPDATE alerts SET severity=$2, message=$3, threshold=$4, current_value=$5, last_triggered_at=$6, status=$7, occurrences=$8,
         acknowledged_by=$9, acknowledged_at=$10, acknowledge_note=$11, resolved_at=$12, resolved_by=$13 WHERE id=$1`,
      [a.id, a.severity, a.message, a.threshold, a.currentValue, a.lastTriggeredAt, a.status, a.occurrences, a.acknowledgedBy,
        a.acknowledgedAt, a.acknowledgeNote, a.resolvedAt, a.resolvedBy],
    );
  }
  async findById(id: string, tx?: Tx, forUpdate = false): Promise<Alert | null> {
    const rows = await managerOf(this.ds, tx).query(`SELECT * FROM alerts WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
    return rows.length ? toAlert(rows[0]) : null;
  }
  async list(filter: { portfolioId?: string; status?: AlertStatus; limit?: number }, tx?: Tx): Promise<Alert[]> {
    const rows: Record<string, unknown>[] = await managerOf(this.ds, tx).query(
      `SELECT * FROM alerts WHERE ($1::text IS NULL OR portfolio_id = $1) AND ($2::text IS NULL OR status = $2)
        ORDER BY last_triggered_at DESC LIMIT $3`,
      [filter.portfolioId ?? null, filter.status ?? null, filter.limit ?? 500],
    );
    return rows.map(toAlert);
  }
}
