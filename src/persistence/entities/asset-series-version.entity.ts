import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The version of an asset's stored return series: bumped by every ingestion that changes it (raw SQL in the upsert). */
@Entity('asset_series_versions')
export class AssetSeriesVersionEntity {
  @PrimaryColumn({ name: 'asset_id', type: 'text' })
  assetId!: string;

  /** bigint, read as text (as pg reads int8). */
  @Column({ type: 'bigint', default: 1 })
  version!: string;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
