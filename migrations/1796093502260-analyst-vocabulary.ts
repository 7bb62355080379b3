import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One vocabulary (docs/api.md "Analyst conventions and additions"):
 * - the `limit` block of stored results says its status on the one scale (ok, warning, high,
 *   critical): `status: "breach"` with a separate `severity` becomes that severity;
 * - a field that holds a percentage ends in `_percent`: alerts.threshold → threshold_percent,
 *   alerts.current_value → current_percent, limit_breaches.limit_value → limit_percent,
 *   limit_breaches.measured_value → measured_percent (the figures were percentages already);
 * - stored results keep var_return / var for both kinds and cvar_return / cvar for CVaR results
 *   (instead of one value_return / value whose meaning depended on the kind); the contributions
 *   of a CVaR result are named component_cvar_return / component_cvar. A CVaR stored before this
 *   migration kept no VaR: its var_return / var stay null, and its limit block (which compared
 *   the CVaR with the VaR limit) is dropped, since the VaR it should compare is unknown;
 * - a limit version has horizon_days (1 for the versions already stored); a stored limit block
 *   gains horizon_days and scaled_max_var_percent. Before this migration a VaR was compared with
 *   max_var_percent unscaled, as if the limit were meant over the result's own horizon: that is
 *   what the block now says (horizon_days = the result's, scaled_max_var_percent = max_var_percent).
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

      ALTER TABLE var_results
        ADD COLUMN var_return double precision, ADD COLUMN var numeric,
        ADD COLUMN cvar_return double precision, ADD COLUMN cvar numeric;
      UPDATE var_results SET var_return = value_return, var = value WHERE kind = 'VAR';
      UPDATE var_results SET cvar_return = value_return, cvar = value, limit_check = NULL,
        contributions = (SELECT coalesce(jsonb_agg(jsonb_build_object('asset_id', c->'asset_id', 'weight', c->'weight',
                           'component_cvar_return', c->'component_var_return', 'component_cvar', c->'component_var') ORDER BY n), '[]'::jsonb)
                           FROM jsonb_array_elements(contributions) WITH ORDINALITY AS e(c, n))
        WHERE kind = 'CVAR';
      ALTER TABLE var_results DROP COLUMN value_return, DROP COLUMN value;
      ALTER TABLE var_results ADD CONSTRAINT var_results_figures_check
        CHECK ((kind = 'CVAR' OR (var_return IS NOT NULL AND var IS NOT NULL)) AND ((kind = 'CVAR') = (cvar_return IS NOT NULL AND cvar IS NOT NULL)));

      ALTER TABLE risk_limits ADD COLUMN horizon_days integer NOT NULL DEFAULT 1;
      ALTER TABLE risk_limits ADD CONSTRAINT risk_limits_horizon_days_check CHECK (horizon_days BETWEEN 1 AND 250);
      UPDATE var_results SET limit_check = limit_check
          || jsonb_build_object('horizon_days', horizon_days, 'scaled_max_var_percent', limit_check->'max_var_percent')
        WHERE limit_check IS NOT NULL AND NOT limit_check ? 'scaled_max_var_percent';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE var_results SET limit_check = limit_check - 'horizon_days' - 'scaled_max_var_percent' WHERE limit_check IS NOT NULL;
      ALTER TABLE risk_limits DROP COLUMN horizon_days;
      ALTER TABLE var_results DROP CONSTRAINT var_results_figures_check;
      ALTER TABLE var_results ADD COLUMN value_return double precision, ADD COLUMN value numeric;
      UPDATE var_results SET value_return = var_return, value = var WHERE kind = 'VAR';
      UPDATE var_results SET value_return = cvar_return, value = cvar,
        contributions = (SELECT coalesce(jsonb_agg(jsonb_build_object('asset_id', c->'asset_id', 'weight', c->'weight',
                           'component_var_return', c->'component_cvar_return', 'component_var', c->'component_cvar') ORDER BY n), '[]'::jsonb)
                           FROM jsonb_array_elements(contributions) WITH ORDINALITY AS e(c, n))
        WHERE kind = 'CVAR';
      ALTER TABLE var_results DROP COLUMN var_return, DROP COLUMN var, DROP COLUMN cvar_return, DROP COLUMN cvar;
      ALTER TABLE var_results ALTER COLUMN value_return SET NOT NULL, ALTER COLUMN value SET NOT NULL;
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
