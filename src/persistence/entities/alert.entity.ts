import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { AlertStatus } from '../alert.repository';
import { SEVERITIES, Severity, sqlList } from '../../common/severity';
import type { BreachType } from '../limit-breach.repository';
import { PortfolioEntity } from './portfolio.entity';

/**
 * A risk alert. At most one OPEN alert per (portfolio, type): open means active OR acknowledged
 * (an acknowledged alert is still open, so a repeat raises its occurrences instead of opening a
 * second one); the partial unique index alerts_one_open enforces it, resolve closes it.
 */
@Entity('alerts')
@Index('alerts_one_open', ['portfolioId', 'type'], { unique: true, where: `status <> 'resolved'` })
@Index('alerts_by_status', ['status', 'triggeredAt']) // (status, triggered_at DESC)
@Index('alerts_by_portfolio', ['portfolioId', 'lastTriggeredAt']) // (portfolio_id, last_triggered_at DESC)
@Check('alerts_severity_check', `severity IN (${sqlList(SEVERITIES)})`)
@Check('alerts_status_check', `status IN ('active', 'acknowledged', 'resolved')`)
export class AlertEntity {
  /** Given by the service; else the database's gen_random_uuid(). */
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'portfolio_id', type: 'text' })
  portfolioId!: string;

  @Column({ type: 'text' })
  type!: BreachType;

  @Column({ type: 'text' })
  severity!: Severity;

  @Column({ type: 'text' })
  message!: string;

  @Column({ name: 'threshold_percent', type: 'double precision' })
  thresholdPercent!: number;

  @Column({ name: 'current_percent', type: 'double precision' })
  currentPercent!: number;

  @Column({ name: 'triggered_at', type: 'timestamptz' })
  triggeredAt!: Date;

  @Column({ name: 'last_triggered_at', type: 'timestamptz' })
  lastTriggeredAt!: Date;

  @Column({ type: 'text' })
  status!: AlertStatus;

  @Column({ type: 'integer', default: 1 })
  occurrences!: number;

  @Column({ name: 'acknowledged_by', type: 'text', nullable: true })
  acknowledgedBy!: string | null;

  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true })
  acknowledgedAt!: Date | null;

  @Column({ name: 'acknowledge_note', type: 'text', nullable: true })
  acknowledgeNote!: string | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ name: 'resolved_by', type: 'text', nullable: true })
  resolvedBy!: string | null;

  @ManyToOne(() => PortfolioEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'portfolio_id', foreignKeyConstraintName: 'alerts_portfolio_id_fkey' })
  portfolio?: PortfolioEntity;
}
