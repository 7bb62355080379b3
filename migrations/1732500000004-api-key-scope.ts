import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * api_keys.portfolios: the portfolios a key may see (api.md Hardening, key scoping); NULL keeps
 * every existing key unscoped.
 */
export class ApiKeyScope1732500000004 implements MigrationInterface {
  name = 'ApiKeyScope1732500000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_keys ADD COLUMN portfolios text[]`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_keys DROP COLUMN portfolios`);
  }
}
