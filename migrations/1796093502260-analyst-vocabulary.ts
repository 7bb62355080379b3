import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One vocabulary (docs/api.md "Analyst conventions and additions"):
 * - the `limit` block of stored results says its status on the one scale (ok, warning, high,
 *   critical): `status: "breach"` with a separate `severity` becomes that severity.
 */
export class AnalystVocabulary1796093502260 implements MigrationInterface {
  name = 'AnalystVocabulary1796093502260';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE var_results SET limit_check = jsonb_set(limit_check - 'severity', '{status}', limit_check->'severity')
        WHERE limit_check->>'status' = 'breach';
      UPDATE var_results SET limit_check = limit_check - 'severity' WHERE limit_check ? 'severity';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE var_results SET limit_check = limit_check || jsonb_build_object('status', 'breach', 'severity', limit_check->'status')
        WHERE limit_check->>'status' IN ('high', 'critical');
      UPDATE var_results SET limit_check = limit_check || '{"severity": null}'::jsonb
        WHERE limit_check IS NOT NULL AND NOT limit_check ? 'severity';
    `);
  }
}
