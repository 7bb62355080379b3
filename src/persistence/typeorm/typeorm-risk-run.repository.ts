import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RiskRunEntity, RiskRunTaskEntity } from '../entities';
import { RiskRun, RiskRunRepository, RiskRunTaskStatus, TaskOutcome } from '../risk-run.repository';
import { Tx } from '../transaction-runner';
import { lockIf, managerOf, resultRows } from './sql';

/** Rows per INSERT of tasks (two parameters each, well under PostgreSQL's 65,535). */
const TASK_CHUNK = 5000;

type RunRow = {
  id: string; status: RiskRun['status']; params: RiskRun['params']; dispatch: RiskRun['dispatch']; total: number; done: number; failed: number;
  started_at: Date; finished_at: Date | null; created_by: string; correlation_id: string | null;
};

const toModel = (e: RiskRunEntity): RiskRun => ({
  id: e.id,
  status: e.status,
  params: e.params,
  dispatch: e.dispatch,
  total: e.total,
  done: e.done,
  failed: e.failed,
  startedAt: e.startedAt,
  finishedAt: e.finishedAt,
  createdBy: e.createdBy,
  correlationId: e.correlationId,
});

const fromRow = (r: RunRow): RiskRun => ({
  id: r.id,
  status: r.status,
  params: r.params,
  dispatch: r.dispatch,
  total: r.total,
  done: r.done,
  failed: r.failed,
  startedAt: new Date(r.started_at),
  finishedAt: r.finished_at === null ? null : new Date(r.finished_at),
  createdBy: r.created_by,
  correlationId: r.correlation_id,
});

@Injectable()
export class TypeOrmRiskRunRepository extends RiskRunRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }

  async create(run: RiskRun, portfolioIds: readonly string[], tx: Tx): Promise<void> {
    const m = managerOf(this.ds, tx);
    await m.insert(RiskRunEntity, { ...run });
    for (let i = 0; i < portfolioIds.length; i += TASK_CHUNK) {
      await m.insert(RiskRunTaskEntity, portfolioIds.slice(i, i + TASK_CHUNK).map((portfolioId) => ({ runId: run.id, portfolioId })));
    }
  }

  async findById(id: string, tx?: Tx): Promise<RiskRun | null> {
    const row = await managerOf(this.ds, tx).findOneBy(RiskRunEntity, { id });
    return row ? toModel(row) : null;
  }

  async lockTask(runId: string, portfolioId: string, tx: Tx): Promise<RiskRunTaskStatus | null> {
    const row = await managerOf(this.ds, tx).findOne(RiskRunTaskEntity, { where: { runId, portfolioId }, select: { runId: true, portfolioId: true, status: true }, ...lockIf(tx) });
    return row?.status ?? null;
  }

  async settleTask(runId: string, portfolioId: string, outcome: TaskOutcome, at: Date, tx: Tx): Promise<RiskRun | null> {
    const m = managerOf(this.ds, tx);
    const settled = resultRows(
      await m.query(
        `UPDATE risk_run_tasks SET status = $3, error = $4, finished_at = $5
          WHERE run_id = $1 AND portfolio_id = $2 AND status = 'pending' RETURNING portfolio_id`,
        [runId, portfolioId, outcome.status, outcome.status === 'failed' ? outcome.error.slice(0, 1000) : null, at],
      ),
    );
    if (settled.length === 0) return null;
    const [d, f] = outcome.status === 'done' ? [1, 0] : [0, 1];
    // Every right-hand side reads the row as it was before this UPDATE.
    const rows = resultRows<RunRow>(
      await m.query(
        `UPDATE risk_runs SET done = done + $2, failed = failed + $3,
                finished_at = CASE WHEN done + $2 + failed + $3 >= total THEN $4 ELSE finished_at END,
                status = CASE WHEN done + $2 + failed + $3 < total THEN status WHEN done + $2 > 0 THEN 'done' ELSE 'failed' END
          WHERE id = $1
          RETURNING id, status, params, dispatch, total, done, failed, started_at, finished_at, created_by, correlation_id`,
        [runId, d, f, at],
      ),
    );
    return fromRow(rows[0]);
  }

  async portfolioIds(runId: string, tx?: Tx): Promise<string[]> {
    const rows = await managerOf(this.ds, tx).find(RiskRunTaskEntity, { where: { runId }, select: { portfolioId: true }, order: { portfolioId: 'ASC' } });
    return rows.map((r) => r.portfolioId);
  }

  async pendingTasks(runId: string, tx?: Tx): Promise<string[]> {
    const rows = await managerOf(this.ds, tx).find(RiskRunTaskEntity, { where: { runId, status: 'pending' }, select: { portfolioId: true }, order: { portfolioId: 'ASC' } });
    return rows.map((r) => r.portfolioId);
  }

  async listRunning(dispatch: RiskRun['dispatch'], tx?: Tx): Promise<RiskRun[]> {
    return (await managerOf(this.ds, tx).find(RiskRunEntity, { where: { status: 'running', dispatch }, order: { startedAt: 'ASC' } })).map(toModel);
  }
}
