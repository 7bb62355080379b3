import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { LEVELS, sqlList } from '../../common/severity';
import type { DrawdownStatus } from '../drawdown-state.repository';
import { PortfolioEntity } from './portfolio.entity';
import { decimalText } from './transformers';

/** A change of drawdown status (ok → warning → high → critical, or a recovery). */
@Entity('drawdown_events')
@Index('drawdown_events_by_portfolio', ['portfolioId', 'at']) // (portfolio_id, at DESC)
@Check('drawdown_events_status_check', `from_status IN (${sqlList(LEVELS)}) AND to_status IN (${sqlList(LEVELS)})`)
export class DrawdownEventEntity {
  /** Given by the service; else the database's gen_random_uuid(). */
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'portfolio_id', type: 'text' })
  portfolioId!: string;

  @Column({ name: 'from_status', type: 'text' })
  fromStatus!: DrawdownStatus;

  @Column({ name: 'to_status', type: 'text' })
  toStatus!: DrawdownStatus;

  @Column({ type: 'double precision' })
  drawdown!: number;

  @Column({ type: 'numeric', transformer: decimalText })
  value!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @ManyToOne(() => PortfolioEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'portfolio_id', foreignKeyConstraintName: 'drawdown_events_portfolio_id_fkey' })
  portfolio?: PortfolioEntity;
}
