import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Risk runs (docs/api.md "Risk runs"): a run over many portfolios, one task per portfolio.
 * - risk_runs: the request, who started it, how its tasks travel (JetStream, or in the process that
 *   accepted it), and its progress (done / failed counts, status, finished_at);
 * - risk_run_tasks: one row per (run, portfolio), settled once (pending -> done | failed), so that a
 *   task delivered twice (a replica died before acking it) is counted once;
 * - var_results.run_id: the run a stored result belongs to; (run_id, portfolio_id) is unique, so a
 *   run stores at most one result per portfolio whatever the broker redelivers. Results outside a
 *   run have a NULL run_id (NULLs never collide).
 */
export class RiskRuns1796093228623 implements MigrationInterface {
  name = 'RiskRuns1796093228623';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE risk_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        status text NOT NULL CONSTRAINT risk_runs_status_check CHECK (status IN ('running', 'done', 'failed')),
        params jsonb NOT NULL,
        dispatch text NOT NULL CONSTRAINT risk_runs_dispatch_check CHECK (dispatch IN ('jetstream', 'in_process')),
        total integer NOT NULL,
        done integer NOT NULL DEFAULT 0,
        failed integer NOT NULL DEFAULT 0,
        started_at timestamptz NOT NULL,
        finished_at timestamptz,
        created_by text NOT NULL,
        correlation_id text,
        CONSTRAINT risk_runs_progress_check CHECK (done >= 0 AND failed >= 0 AND done + failed <= total)
      );
      CREATE TABLE risk_run_tasks (
        run_id uuid NOT NULL,
        portfolio_id text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CONSTRAINT risk_run_tasks_status_check CHECK (status IN ('pending', 'done', 'failed')),
        error text,
        finished_at timestamptz,
        PRIMARY KEY (run_id, portfolio_id),
        CONSTRAINT risk_run_tasks_run_id_fkey FOREIGN KEY (run_id) REFERENCES risk_runs(id) ON DELETE CASCADE
      );
      ALTER TABLE var_results ADD COLUMN run_id uuid;
      ALTER TABLE var_results ADD CONSTRAINT var_results_run_id_fkey FOREIGN KEY (run_id) REFERENCES risk_runs(id) ON DELETE SET NULL;
      ALTER TABLE var_results ADD CONSTRAINT var_results_run_portfolio_key UNIQUE (run_id, portfolio_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE var_results DROP CONSTRAINT var_results_run_portfolio_key;
      ALTER TABLE var_results DROP CONSTRAINT var_results_run_id_fkey;
      ALTER TABLE var_results DROP COLUMN run_id;
      DROP TABLE risk_run_tasks;
      DROP TABLE risk_runs;
    `);
  }
}
