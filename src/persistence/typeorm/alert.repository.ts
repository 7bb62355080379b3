import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Alert, AlertRepository, AlertStatus } from '../alert.repository';
import { BreachType } from '../limit-breach.repository';
import { Tx } from '../transaction-runner';
import { date, dateOrNull, managerOf, num } from './sql';

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
