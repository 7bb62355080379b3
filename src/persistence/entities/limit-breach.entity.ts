import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { BREACH_SEVERITIES, BreachSeverity, sqlList } from '../../common/severity';
import type { BreachType } from '../limit-breach.repository';
import { PortfolioEntity } from './portfolio.entity';
import { VarResultEntity } from './var-result.entity';

/** A limit breach (utilization ≥ 1): never updated, one row per detection. */
@Entity('limit_breaches')
@Index('limit_breaches_by_portfolio', ['portfolioId', 'detectedAt']) // (portfolio_id, detected_at DESC)
@Check('limit_breaches_breach_type_check', `breach_type IN ('VAR', 'DRAWDOWN', 'POSITION_SIZE')`)
@Check('limit_breaches_severity_check', `severity IN (${sqlList(BREACH_SEVERITIES)})`)
export class LimitBreachEntity {
  /** Given by the service; else the database's gen_random_uuid(). */
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'portfolio_id', type: 'text' })
  portfolioId!: string;

  @Column({ name: 'breach_type', type: 'text' })
  breachType!: BreachType;

  @Column({ type: 'text' })
  severity!: BreachSeverity;

  @Column({ name: 'limit_percent', type: 'double precision' })
  limitPercent!: number;

  @Column({ name: 'measured_percent', type: 'double precision' })
  measuredPercent!: number;

  @Column({ type: 'double precision' })
  utilization!: number;

  @Column({ name: 'detected_at', type: 'timestamptz' })
  detectedAt!: Date;

  @Column({ name: 'var_result_id', type: 'uuid', nullable: true })
  varResultId!: string | null;

  @ManyToOne(() => PortfolioEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'portfolio_id', foreignKeyConstraintName: 'limit_breaches_portfolio_id_fkey' })
  portfolio?: PortfolioEntity;

  @ManyToOne(() => VarResultEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'var_result_id', foreignKeyConstraintName: 'limit_breaches_var_result_id_fkey' })
  varResult?: VarResultEntity | null;
}
