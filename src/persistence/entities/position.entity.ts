import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { PortfolioEntity } from './portfolio.entity';
import { decimalText } from './transformers';

@Entity('positions')
export class PositionEntity {
  @PrimaryColumn({ name: 'portfolio_id', type: 'text' })
  portfolioId!: string;

  @PrimaryColumn({ name: 'asset_id', type: 'text' })
  assetId!: string;

  /** Money: decimal text, never a float. */
  @Column({ name: 'market_value', type: 'numeric', transformer: decimalText })
  marketValue!: string;

  @ManyToOne(() => PortfolioEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'portfolio_id', foreignKeyConstraintName: 'positions_portfolio_id_fkey' })
  portfolio?: PortfolioEntity;
}
