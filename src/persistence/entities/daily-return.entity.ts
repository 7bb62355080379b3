import { Column, Entity, PrimaryColumn } from 'typeorm';
import { numericNumber } from './transformers';

/** Written and read in bulk by raw SQL (unnest upsert, array_agg series); mapped here for the schema. */
@Entity('daily_returns')
export class DailyReturnEntity {
  @PrimaryColumn({ name: 'asset_id', type: 'text' })
  assetId!: string;

  /** 'YYYY-MM-DD' (a calendar date, no time zone). */
  @PrimaryColumn({ type: 'date' })
  date!: string;

  /** Unconstrained numeric: stores the decimal exactly as received; read as a number. */
  @Column({ name: 'return_pct', type: 'numeric', transformer: numericNumber })
  returnPct!: number;
}
