import { Tx } from './transaction-runner';

export type RiskRunStatus = 'running' | 'done' | 'failed';
export type RiskRunTaskStatus = 'pending' | 'done' | 'failed';
/** How the tasks travel: one message each on the RISK_RUNS work queue, or inside the process that accepted the run. */
export type RiskRunDispatch = 'jetstream' | 'in_process';

/** The calculation every task of a run performs, in the request's wire names (method, confidence, horizon_days, lookback_days, …). */
export type RiskRunParams = Readonly<Record<string, string | number>>;

export interface RiskRun {
  id: string;
  status: RiskRunStatus;
  params: RiskRunParams;
  dispatch: RiskRunDispatch;
  total: number;
  done: number;
  failed: number;
  startedAt: Date;
  finishedAt: Date | null;
  /** Name of the API key that started it. */
  createdBy: string;
  correlationId: string | null;
}

export type TaskOutcome = { status: 'done' } | { status: 'failed'; error: string };

export abstract class RiskRunRepository {
  /** The run and one pending task per portfolio. */
  abstract create(run: RiskRun, portfolioIds: readonly string[], tx: Tx): Promise<void>;
  abstract findById(id: string, tx?: Tx): Promise<RiskRun | null>;
  /** Locks the task's row until the transaction ends and answers its status; null when the run has no such task. */
  abstract lockTask(runId: string, portfolioId: string, tx: Tx): Promise<RiskRunTaskStatus | null>;
  /**
   * Settles a pending task and counts it on its run; the last task finishes the run (finished_at,
   * status done, or failed when no task succeeded). Answers the run as updated, or null when the
   * task was not pending (settled before: nothing is counted twice).
   */
  abstract settleTask(runId: string, portfolioId: string, outcome: TaskOutcome, at: Date, tx: Tx): Promise<RiskRun | null>;
  /** Portfolio ids of every task of the run, in id order. */
  abstract portfolioIds(runId: string, tx?: Tx): Promise<string[]>;
  /** Portfolio ids of the run's pending tasks, in id order. */
  abstract pendingTasks(runId: string, tx?: Tx): Promise<string[]>;
  /** Runs of that dispatch not finished yet, oldest first. */
  abstract listRunning(dispatch: RiskRunDispatch, tx?: Tx): Promise<RiskRun[]>;
}
