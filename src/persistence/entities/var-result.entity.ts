import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { Contribution, LimitCheck } from '../var-result.repository';
import { PortfolioEntity } from './portfolio.entity';
import { RiskRunEntity } from './risk-run.entity';
import { decimalText } from './transformers';

/**
 * A stored VaR or CVaR result (kind). Both kinds carry the VaR of the calculation; a CVaR result
 * also its CVaR. `limit_check` is the api's `limit` (LIMIT is reserved in SQL).
 */
@Entity('var_results')
@Index('var_results_history', ['portfolioId', 'calculatedAt']) // (portfolio_id, calculated_at DESC)
@Check('var_results_kind_check', `kind IN ('VAR', 'CVAR')`)
@Unique('var_results_run_portfolio_key', ['runId', 'portfolioId']) // one result per portfolio and risk run
@Check('var_results_figures_check', `(kind = 'CVAR' OR (var_return IS NOT NULL AND var IS NOT NULL)) AND ((kind = 'CVAR') = (cvar_return IS NOT NULL AND cvar IS NOT NULL))`)
@Check('var_results_volatility_check', `(lambda IS NULL) = (sigma_forecast IS NULL) AND (contributions IS NOT NULL OR method = 'filtered_historical')`)
export class VarResultEntity {
  /** Given by the service; else the database's gen_random_uuid(). */
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'portfolio_id', type: 'text' })
  portfolioId!: string;

  @Column({ type: 'text' })
  kind!: 'VAR' | 'CVAR';

  @Column({ type: 'text' })
  method!: string;

  @Column({ name: 'confidence_level', type: 'double precision' })
  confidenceLevel!: number;

  @Column({ name: 'horizon_days', type: 'integer' })
  horizonDays!: number;

  @Column({ type: 'text' })
  scaling!: string;

  @Column({ name: 'var_return', type: 'double precision', nullable: true })
  varReturn!: number | null;

  @Column({ type: 'numeric', nullable: true, transformer: decimalText })
  var!: string | null;

  @Column({ name: 'cvar_return', type: 'double precision', nullable: true })
  cvarReturn!: number | null;

  @Column({ type: 'numeric', nullable: true, transformer: decimalText })
  cvar!: string | null;

  @Column({ name: 'portfolio_value', type: 'numeric', transformer: decimalText })
  portfolioValue!: string;

  @Column({ type: 'integer' })
  observations!: number;

  @Column({ name: 'from_date', type: 'date', nullable: true })
  fromDate!: string | null;

  @Column({ name: 'to_date', type: 'date', nullable: true })
  toDate!: string | null;

  /** null for filtered_historical, whose VaR has no Euler allocation. */
  @Column({ type: 'jsonb', nullable: true })
  contributions!: Contribution[] | null;

  /** ewma and filtered_historical: the EWMA decay used (with sigma_forecast); null for the other methods. */
  @Column({ type: 'double precision', nullable: true })
  lambda!: number | null;

  @Column({ name: 'sigma_forecast', type: 'double precision', nullable: true })
  sigmaForecast!: number | null;

  @Column({ name: 'limit_check', type: 'jsonb', nullable: true })
  limitCheck!: LimitCheck | null;

  @Column({ name: 'correlation_id', type: 'text', nullable: true })
  correlationId!: string | null;

  @Column({ name: 'calculated_at', type: 'timestamptz' })
  calculatedAt!: Date;

  /** The risk run that stored it; null for a single calculation. */
  @Column({ name: 'run_id', type: 'uuid', nullable: true })
  runId!: string | null;

  @ManyToOne(() => PortfolioEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'portfolio_id', foreignKeyConstraintName: 'var_results_portfolio_id_fkey' })
  portfolio?: PortfolioEntity;

  @ManyToOne(() => RiskRunEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'run_id', foreignKeyConstraintName: 'var_results_run_id_fkey' })
  run?: RiskRunEntity;
}
