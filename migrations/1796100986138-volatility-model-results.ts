import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stored VaR / CVaR with the volatility-model methods (docs/api.md "Beyond the original design"):
 * - var_results.lambda and var_results.sigma_forecast: the EWMA decay and the portfolio's σ_{n+1}
 *   of an ewma or filtered_historical result (both null for the other methods), so that the
 *   history answers the `volatility` block the calculation answered;
 * - var_results.contributions may be null: filtered_historical has no Euler allocation (its VaR
 *   is not homogeneous in the weights, docs/math.md "Volatility-model VaR"); every other method
 *   keeps its list.
 * Going down, filtered_historical rows get an empty contributions list (the column was NOT NULL).
 */
export class VolatilityModelResults1796100986138 implements MigrationInterface {
  name = 'VolatilityModelResults1796100986138';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE var_results ADD COLUMN lambda double precision, ADD COLUMN sigma_forecast double precision;
      ALTER TABLE var_results ALTER COLUMN contributions DROP NOT NULL;
      ALTER TABLE var_results ADD CONSTRAINT var_results_volatility_check
        CHECK ((lambda IS NULL) = (sigma_forecast IS NULL) AND (contributions IS NOT NULL OR method = 'filtered_historical'));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE var_results DROP CONSTRAINT var_results_volatility_check;
      UPDATE var_results SET contributions = '[]'::jsonb WHERE contributions IS NULL;
      ALTER TABLE var_results ALTER COLUMN contributions SET NOT NULL;
      ALTER TABLE var_results DROP COLUMN lambda, DROP COLUMN sigma_forecast;
    `);
  }
}
