import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { buildDataSourceOptions } from '../../src/persistence/data-source';
import { uid } from './support';

const TABLES = [
  'alerts', 'api_keys', 'asset_series_versions', 'audit_log', 'daily_returns', 'drawdown_events', 'drawdown_states', 'limit_breaches',
  'outbox_events', 'portfolios', 'positions', 'risk_limits', 'risk_run_tasks', 'risk_runs', 'var_results',
];

/**
 * The migrations against a private schema of the test database (search_path), so that running
 * them down does not disturb the schema the other suites use.
 */
describe('migrations on PostgreSQL', () => {
  const schema = `migrations_${uid()}`;
  const url = process.env.DATABASE_URL!;
  let ds: DataSource;
  const tables = async (): Promise<string[]> =>
    (await ds.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, [schema])).map((r: { table_name: string }) => r.table_name);

  beforeAll(async () => {
    const admin = new DataSource({ type: 'postgres', url });
    await admin.initialize();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    await admin.destroy();
    const options = buildDataSourceOptions({ databaseUrl: url, dataDir: './data' });
    ds = new DataSource({ ...options, migrationsRun: false, extra: { max: 2, options: `-c search_path=${schema}` } } as typeof options);
    await ds.initialize();
  });
  afterAll(async () => {
    await ds.query(`DROP SCHEMA "${schema}" CASCADE`);
    await ds.destroy();
  });

  it('creates every table, and the entities match the schema exactly (migration:generate finds nothing)', async () => {
    const ran = await ds.runMigrations({ transaction: 'each' });
    expect(ran.map((m) => m.name)).toEqual(MIGRATIONS.map((M) => new M().name));
    expect(await tables()).toEqual([...TABLES, 'migrations'].sort());
    const drift = await ds.driver.createSchemaBuilder().log();
    expect(drift.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('reverts every migration, then applies them again', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    expect(await tables()).toEqual(['migrations']);
    expect(await ds.showMigrations()).toBe(true); // pending again
    await ds.runMigrations({ transaction: 'each' });
    expect(await tables()).toEqual([...TABLES, 'migrations'].sort());
    expect(await ds.showMigrations()).toBe(false);
  });
});
