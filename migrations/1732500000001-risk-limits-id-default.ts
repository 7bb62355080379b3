import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * risk_limits.id gets its server-side default (gen_random_uuid(): built in since PostgreSQL 13,
 * and in PGlite). A separate migration, not an edit of the initial one: databases that already
 * ran InitialSchema (PGlite directories under DATA_DIR) would otherwise never receive it.
 */
export class RiskLimitsIdDefault1732500000001 implements MigrationInterface {
  name = 'RiskLimitsIdDefault1732500000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE risk_limits ALTER COLUMN id SET DEFAULT gen_random_uuid()');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE risk_limits ALTER COLUMN id DROP DEFAULT');
  }
}
