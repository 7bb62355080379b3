import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('portfolios')
export class PortfolioEntity {
  /** Chosen by the client. */
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'base_currency', type: 'char', length: 3 })
  baseCurrency!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
