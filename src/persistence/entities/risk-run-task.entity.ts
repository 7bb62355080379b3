import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { RiskRunTaskStatus } from '../risk-run.repository';
import { RiskRunEntity } from './risk-run.entity';

/**
 * One portfolio of a risk run. Settled once (pending -> done | failed): a redelivered task finds it
 * settled and changes nothing. No foreign key to portfolios: a portfolio deleted during the run
 * still has its (failed) task.
 */
@Entity('risk_run_tasks')
@Check('risk_run_tasks_status_check', `status IN ('pending', 'done', 'failed')`)
export class RiskRunTaskEntity {
  @PrimaryColumn({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @PrimaryColumn({ name: 'portfolio_id', type: 'text' })
  portfolioId!: string;

  @Column({ type: 'text', default: 'pending' })
  status!: RiskRunTaskStatus;

  /** Why a failed task failed (the error message). */
  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @ManyToOne(() => RiskRunEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'run_id', foreignKeyConstraintName: 'risk_run_tasks_run_id_fkey' })
  run?: RiskRunEntity;
}
