import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { AnalystVocabulary1796093502260 } from '../../migrations/1796093502260-analyst-vocabulary';
import { buildDataSourceOptions } from '../../src/persistence/data-source';
import { uid } from './support';

/**
 * The analyst-vocabulary migration carries rows written in the old vocabulary over to the new one
 * (and back). Each test has a private schema at the migration before it, with old rows in it.
 */
describe('migration AnalystVocabulary on stored rows', () => {
  const url = process.env.DATABASE_URL!;
  const before = MIGRATIONS.slice(0, MIGRATIONS.indexOf(AnalystVocabulary1796093502260));
  const opened: Array<{ ds: DataSource; schema: string }> = [];

  /** A schema migrated up to (not including) AnalystVocabulary, holding one portfolio 'P'. */
  const oldSchema = async (): Promise<DataSource> => {
    const schema = `vocab_${uid()}`;
    const admin = new DataSource({ type: 'postgres', url });
    await admin.initialize();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    await admin.destroy();
    const options = buildDataSourceOptions({ databaseUrl: url, dataDir: './data' });
    const ds = new DataSource({ ...options, migrations: before, migrationsRun: false, extra: { max: 2, options: `-c search_path=${schema}` } } as typeof options);
    await ds.initialize();
    opened.push({ ds, schema });
    await ds.runMigrations({ transaction: 'each' });
    await ds.query(`INSERT INTO portfolios (id, name, base_currency) VALUES ('P', 'P', 'USD')`);
    return ds;
  };
  const migrate = async (ds: DataSource, direction: 'up' | 'down') => {
    const runner = ds.createQueryRunner();
    try {
      await new AnalystVocabulary1796093502260()[direction](runner);
    } finally {
      await runner.release();
    }
  };
  const up = (ds: DataSource) => migrate(ds, 'up');
  const down = (ds: DataSource) => migrate(ds, 'down');

  afterAll(async () => {
    for (const { ds, schema } of opened) {
      await ds.query(`DROP SCHEMA "${schema}" CASCADE`);
      await ds.destroy();
    }
  });

  const insertResult = (ds: DataSource, id: string, kind: 'VAR' | 'CVAR', horizon: number, contributions: object[], limitCheck: object | null) =>
    ds.query(
      `INSERT INTO var_results (id, portfolio_id, kind, method, confidence_level, horizon_days, scaling, value_return, value, portfolio_value, observations, contributions, limit_check, calculated_at)
       VALUES ($1, 'P', $2, 'historical', 99, $3, 'none', -0.02, -200, 10000, 250, $4, $5, now())`,
      [id, kind, horizon, JSON.stringify(contributions), limitCheck === null ? null : JSON.stringify(limitCheck)],
    );
  const VAR_ID = '00000000-0000-4000-8000-000000000001';
  const CVAR_ID = '00000000-0000-4000-8000-000000000002';

  it('turns a breach status into its severity and tells what the limit was compared with', async () => {
    const ds = await oldSchema();
    await insertResult(ds, VAR_ID, 'VAR', 10, [{ asset_id: 'A', weight: 1, component_var_return: -0.02, component_var: '-200.00' }], {
      max_var_percent: 1.5, var_percent: 2, utilization: 1.333, status: 'breach', severity: 'critical', confidence_level: 95, is_default: false,
    });
    await up(ds);
    const [row] = await ds.query(`SELECT var_return, var::text, cvar_return, cvar, limit_check, contributions FROM var_results WHERE id = $1`, [VAR_ID]);
    expect(row).toEqual({
      var_return: -0.02, var: '-200', cvar_return: null, cvar: null,
      contributions: [{ asset_id: 'A', weight: 1, component_var_return: -0.02, component_var: '-200.00' }],
      limit_check: { max_var_percent: 1.5, horizon_days: 10, scaled_max_var_percent: 1.5, var_percent: 2, utilization: 1.333, status: 'critical', confidence_level: 95, is_default: false },
    });
  });

  it('keeps a CVaR as cvar_return / cvar with component_cvar names, and drops its limit block (it compared the CVaR)', async () => {
    const ds = await oldSchema();
    await insertResult(ds, CVAR_ID, 'CVAR', 1, [{ asset_id: 'A', weight: 0.5, component_var_return: -0.01, component_var: '-100.00' }, { asset_id: 'B', weight: 0.5, component_var_return: -0.01, component_var: '-100.00' }], {
      max_var_percent: 5, var_percent: 2, utilization: 0.4, status: 'ok', severity: null,
    });
    await up(ds);
    const [row] = await ds.query(`SELECT var_return, var, cvar_return, cvar::text, limit_check, contributions FROM var_results WHERE id = $1`, [CVAR_ID]);
    expect(row).toEqual({
      var_return: null, var: null, cvar_return: -0.02, cvar: '-200', limit_check: null,
      contributions: [
        { asset_id: 'A', weight: 0.5, component_cvar_return: -0.01, component_cvar: '-100.00' },
        { asset_id: 'B', weight: 0.5, component_cvar_return: -0.01, component_cvar: '-100.00' },
      ],
    });
  });

  it('renames the percent columns of alerts and breaches, keeping their figures, and gives limits horizon_days 1', async () => {
    const ds = await oldSchema();
    await ds.query(`INSERT INTO alerts (portfolio_id, type, severity, message, threshold, current_value, triggered_at, last_triggered_at, status)
                    VALUES ('P', 'VAR', 'high', 'm', 5, 6.2, now(), now(), 'active')`);
    await ds.query(`INSERT INTO limit_breaches (portfolio_id, breach_type, severity, limit_value, measured_value, utilization, detected_at)
                    VALUES ('P', 'VAR', 'high', 5, 6.2, 1.24, now())`);
    await ds.query(`INSERT INTO risk_limits (portfolio_id, max_var_percent, confidence_level, effective_date) VALUES ('P', 5, 95, now())`);
    await up(ds);
    expect(await ds.query(`SELECT threshold_percent, current_percent FROM alerts`)).toEqual([{ threshold_percent: 5, current_percent: 6.2 }]);
    expect(await ds.query(`SELECT limit_percent, measured_percent FROM limit_breaches`)).toEqual([{ limit_percent: 5, measured_percent: 6.2 }]);
    expect(await ds.query(`SELECT horizon_days FROM risk_limits`)).toEqual([{ horizon_days: 1 }]);
  });

  it('goes back down to the old vocabulary', async () => {
    const ds = await oldSchema();
    await insertResult(ds, VAR_ID, 'VAR', 1, [], { max_var_percent: 1, var_percent: 2, utilization: 2, status: 'breach', severity: 'critical' });
    await insertResult(ds, CVAR_ID, 'CVAR', 1, [{ asset_id: 'A', weight: 1, component_var_return: -0.02, component_var: '-200.00' }], null);
    await up(ds);
    await down(ds);
    const rows = await ds.query(`SELECT id, value_return, value::text, limit_check, contributions FROM var_results ORDER BY id`);
    expect(rows).toEqual([
      { id: VAR_ID, value_return: -0.02, value: '-200', contributions: [], limit_check: { max_var_percent: 1, var_percent: 2, utilization: 2, status: 'breach', severity: 'critical' } },
      { id: CVAR_ID, value_return: -0.02, value: '-200', limit_check: null, contributions: [{ asset_id: 'A', weight: 1, component_var_return: -0.02, component_var: '-200.00' }] },
    ]);
  });
});
