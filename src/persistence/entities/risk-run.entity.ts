import { Check, Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { RiskRunDispatch, RiskRunParams, RiskRunStatus } from '../risk-run.repository';

/** A risk run over many portfolios and its progress (see risk_run_tasks for each portfolio). */
@Entity('risk_runs')
@Check('risk_runs_status_check', `status IN ('running', 'done', 'failed')`)
@Check('risk_runs_dispatch_check', `dispatch IN ('jetstream', 'in_process')`)
@Check('risk_runs_progress_check', `done >= 0 AND failed >= 0 AND done + failed <= total`)
export class RiskRunEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  status!: RiskRunStatus;

  /** The calculation every task runs: method, confidence, horizon_days, lookback_days (and Monte Carlo options). */
  @Column({ type: 'jsonb' })
  params!: RiskRunParams;

  /** jetstream: one message per task on RISK_RUNS; in_process: run by the process that accepted it (no NATS). */
  @Column({ type: 'text' })
  dispatch!: RiskRunDispatch;

  @Column({ type: 'integer' })
  total!: number;

  @Column({ type: 'integer', default: 0 })
  done!: number;

  @Column({ type: 'integer', default: 0 })
  failed!: number;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  /** Name of the API key that started the run. */
  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'correlation_id', type: 'text', nullable: true })
  correlationId!: string | null;
}
