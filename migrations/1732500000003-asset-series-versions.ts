import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * asset_series_versions: one row per asset whose returns are stored, its `version` bumped by every
 * ingestion that changes a row, in the ingestion's own statement. The series caches key their
 * entries by it and every calculation reads it from the database, so no replica computes from a
 * series older than the one committed, with or without Redis. Existing assets start at 1.
 */
export class AssetSeriesVersions1732500000003 implements MigrationInterface {
  name = 'AssetSeriesVersions1732500000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE asset_series_versions (
        asset_id text PRIMARY KEY,
        version bigint NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      INSERT INTO asset_series_versions (asset_id) SELECT DISTINCT asset_id FROM daily_returns;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE asset_series_versions');
  }
}
