import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { PortfolioEntity } from './portfolio.entity';

/** One version of a portfolio's limits; versions are only ever added. */
@Entity('risk_limits')
@Index('risk_limits_in_force', ['portfolioId', 'effectiveDate', 'createdAt']) // (portfolio_id, effective_date DESC, created_at DESC)
@Check('risk_limits_horizon_days_check', 'horizon_days BETWEEN 1 AND 250')
export class RiskLimitEntity {
  /** Given by the service; else the database's gen_random_uuid(). */
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'portfolio_id', type: 'text' })
  portfolioId!: string;

  @Column({ name: 'max_var_percent', type: 'double precision', nullable: true })
  maxVarPercent!: number | null;

  @Column({ name: 'max_drawdown_percent', type: 'double precision', nullable: true })
  maxDrawdownPercent!: number | null;

  @Column({ name: 'max_position_size_percent', type: 'double precision', nullable: true })
  maxPositionSizePercent!: number | null;

  @Column({ name: 'confidence_level', type: 'double precision' })
  confidenceLevel!: number;

  /** The horizon max_var_percent is meant over: a VaR over h days is compared with max_var_percent × √(h / horizon_days). */
  @Column({ name: 'horizon_days', type: 'integer', default: 1 })
  horizonDays!: number;

  @Column({ name: 'effective_date', type: 'timestamptz' })
  effectiveDate!: Date;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'created_by', type: 'text', nullable: true })
  createdBy!: string | null;

  @ManyToOne(() => PortfolioEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'portfolio_id', foreignKeyConstraintName: 'risk_limits_portfolio_id_fkey' })
  portfolio?: PortfolioEntity;
}
