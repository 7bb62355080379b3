import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { LEVELS, sqlList } from '../../common/severity';
import type { DrawdownStatus } from '../drawdown-state.repository';
import { PortfolioEntity } from './portfolio.entity';
import { decimalText } from './transformers';

/** The live drawdown of one portfolio. `version` is bumped by every write (optimistic locking). */
@Entity('drawdown_states')
@Check('drawdown_states_status_check', `status IN (${sqlList(LEVELS)})`)
export class DrawdownStateEntity {
  @PrimaryColumn({ name: 'portfolio_id', type: 'text' })
  portfolioId!: string;

  @Column({ name: 'peak_value', type: 'numeric', transformer: decimalText })
  peakValue!: string;

  @Column({ name: 'peak_at', type: 'timestamptz' })
  peakAt!: Date;

  @Column({ name: 'current_value', type: 'numeric', transformer: decimalText })
  currentValue!: string;

  /** Time of the last NAV update applied. */
  @Column({ name: 'current_at', type: 'timestamptz' })
  currentAt!: Date;

  @Column({ name: 'max_drawdown', type: 'double precision' })
  maxDrawdown!: number;

  @Column({ type: 'text' })
  status!: DrawdownStatus;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  @ManyToOne(() => PortfolioEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'portfolio_id', foreignKeyConstraintName: 'drawdown_states_portfolio_id_fkey' })
  portfolio?: PortfolioEntity;
}
