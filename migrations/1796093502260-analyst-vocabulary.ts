import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One vocabulary (docs/api.md "Analyst conventions and additions"):
 * - the `limit` block of stored results says its status on the one scale (ok, warning, high,
 *   critical): `status: "breach"` with a separate `severity` becomes that severity;
 * - a field that holds a percentage ends in `_percent`: alerts.threshold → threshold_percent,
 *   alerts.current_value → current_percent, limit_breaches.limit_value → limit_percent,
 *   limit_breaches.measured_value → measured_percent (the figures were percentages already).
 */
export class AnalystVocabulary1796093502260 implements MigrationInterface {
  name = 'AnalystVocabulary1796093502260';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE var_results SET limit_check = jsonb_set(limit_check - 'severity', '{status}', limit_check->'severity')
        WHERE limit_check->>'status' = 'breach';
      UPDATE var_results SET limit_check = limit_check - 'severity' WHERE limit_check ? 'severity';
      ALTER TABLE alerts RENAME COLUMN threshold TO threshold_percent;
      ALTER TABLE alerts RENAME COLUMN current_value TO current_percent;
      ALTER TABLE limit_breaches RENAME COLUMN limit_value TO limit_percent;
      ALTER TABLE limit_breaches RENAME COLUMN measured_value TO measured_percent;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE limit_breaches RENAME COLUMN measured_percent TO measured_value;
      ALTER TABLE limit_breaches RENAME COLUMN limit_percent TO limit_value;
      ALTER TABLE alerts RENAME COLUMN current_percent TO current_value;
      ALTER TABLE alerts RENAME COLUMN threshold_percent TO threshold;
      UPDATE var_results SET limit_check = limit_check || jsonb_build_object('status', 'breach', 'severity', limit_check->'status')
        WHERE limit_check->>'status' IN ('high', 'critical');
      UPDATE var_results SET limit_check = limit_check || '{"severity": null}'::jsonb
        WHERE limit_check IS NOT NULL AND NOT limit_check ? 'severity';
    `);
  }
}
