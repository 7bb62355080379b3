import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { rejectMonteCarloOnlyFields, rejectVolatilityOnlyFields } from '../calculation/dto/risk-request.dto';
import { currentActor } from '../common/actor';
import { bounded } from '../common/bounded';
import { currentCorrelationId, resolveCorrelationId, runWithCorrelationId } from '../common/correlation-id';
import { portfolioScope, visibleOnly } from '../common/portfolio-scope';
import { DomainError, NotFoundError } from '../common/errors';
import { AppConfig } from '../config/app-config';
import { NatsConnectionService } from '../events/nats-connection.service';
import { OutboxService } from '../events/outbox.service';
import { RISK_RUN_TASK_SUBJECT } from '../events/subjects';
import { RiskMathError } from '../math/errors';
import { riskOptions } from '../math/validation';
import { RiskRun, RiskRunParams, TaskOutcome } from '../persistence/models';
import { PortfolioRepository, RiskRunRepository, TransactionRunner } from '../persistence/repositories';
import { PortfolioRiskRequestDto } from './dto/portfolio-risk-request.dto';
import { RiskRunRequestDto, RiskRunTaskMessage } from './dto/risk-run-request.dto';
import { RiskRunAcceptedDto, RiskRunDto } from './dto/risk-run-response.dto';
import { PortfolioRiskService } from './portfolio-risk.service';

/** What became of one task: stored, failed for good, or settled before (a redelivery: nothing done). */
export type TaskResult = 'done' | 'failed' | 'settled_before';

/** Tasks written to the outbox per statement (five parameters each). */
const OUTBOX_CHUNK = 5000;
/** In process: attempts of a task whose failure may be transient (the database), before it counts as failed. */
const IN_PROCESS_ATTEMPTS = 3;

/**
 * Risk runs (docs/api.md "Risk runs"): the stored VaR of many portfolios, one task per portfolio.
 *
 * Starting a run writes the run, its pending tasks and (with NATS) one outbox message per task in
 * one transaction, so a run is never half-dispatched: the relay publishes the tasks to the
 * RISK_RUNS work queue, where any replica takes them (RiskRunConsumer). Without NATS the process
 * that accepted the run executes it, and resumes its unfinished runs when it starts again.
 *
 * A task computes through PortfolioRiskService (the same use case as POST /v1/portfolios/:id/var),
 * then in ONE transaction locks its task row, stores the result with run_id (limits, breach, alert
 * and events as for any stored VaR) and counts it on the run. A task delivered twice finds its row
 * settled and stores nothing; (run_id, portfolio_id) is unique on var_results besides.
 */
@Injectable()
export class RiskRunsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RiskRuns');
  private readonly inProcess = new Map<string, Promise<void>>();
  /** Runs never change their calculation: read once per run, not once per task. */
  private readonly paramsOf = new Map<string, RiskRunParams>();
  private stopping = false;

  constructor(
    private readonly risk: PortfolioRiskService,
    private readonly runs: RiskRunRepository,
    private readonly portfolios: PortfolioRepository,
    private readonly tx: TransactionRunner,
    private readonly outbox: OutboxService,
    private readonly nats: NatsConnectionService,
    private readonly config: AppConfig,
  ) {}

  /** Without NATS, runs this process accepted and did not finish (a restart) carry on. */
  async onApplicationBootstrap(): Promise<void> {
    if (this.nats.enabled) return;
    for (const run of await this.runs.listRunning('in_process')) this.execute(run);
  }

  /** In-process runs stop between tasks; what is left is resumed at the next start. */
  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await bounded(Promise.all(this.inProcess.values()), 5000);
  }

  async start(dto: RiskRunRequestDto): Promise<RiskRunAcceptedDto> {
    const { portfolios: selection, ...calculation } = dto;
    const params = runParams(calculation);
    const ids = await this.select(selection);
    const now = new Date();
    const run: RiskRun = {
      id: randomUUID(),
      status: ids.length === 0 ? 'done' : 'running',
      params,
      dispatch: this.nats.enabled ? 'jetstream' : 'in_process',
      total: ids.length,
      done: 0,
      failed: 0,
      startedAt: now,
      finishedAt: ids.length === 0 ? now : null,
      createdBy: currentActor(),
      correlationId: currentCorrelationId() ?? null,
    };
    await this.tx.run(async (t) => {
      await this.runs.create(run, ids, t);
      if (run.total === 0) return;
      if (run.dispatch === 'jetstream') {
        for (let i = 0; i < ids.length; i += OUTBOX_CHUNK) {
          const tasks = ids.slice(i, i + OUTBOX_CHUNK).map((portfolioId) => ({
            id: randomUUID(),
            subject: RISK_RUN_TASK_SUBJECT,
            payload: { run_id: run.id, portfolio_id: portfolioId } satisfies RiskRunTaskMessage,
            correlationId: run.correlationId,
          }));
          await this.outbox.enqueueMessages(tasks, t);
        }
      } else {
        t.afterCommit(() => this.execute(run));
      }
    });
    this.logger.log({ run_id: run.id, total: run.total, dispatch: run.dispatch }, 'risk run started');
    return { id: run.id, total: run.total };
  }

  async get(id: string): Promise<RiskRunDto> {
    const run = await this.runs.findById(id);
    // A key limited to portfolios sees a run only when it may see every portfolio of it (existence is not revealed).
    const scope = portfolioScope();
    const hidden = scope !== null && run !== null && (await this.runs.portfolioIds(id)).some((p) => !scope.has(p));
    if (!run || hidden) throw new NotFoundError(`risk run ${id} not found`);
    return toDto(run);
  }

  /**
   * One task: compute, then store and count in one transaction. Throws (leaving the task pending)
   * only for a failure that may pass (the database, the broker): the caller retries it. A failure
   * of the portfolio itself (no positions, too few returns, deleted) settles the task as failed.
   */
  async runTask(task: RiskRunTaskMessage): Promise<TaskResult> {
    const { run_id: runId, portfolio_id: portfolioId } = task;
    const params = await this.params(runId);
    if (!params) return 'settled_before'; // no such run: nothing to count the task on
    try {
      const computed = await this.risk.compute(portfolioId, params as PortfolioRiskRequestDto, 'VAR', runId);
      return await this.tx.run(async (t) => {
        if ((await this.runs.lockTask(runId, portfolioId, t)) !== 'pending') return 'settled_before';
        await this.risk.record(computed, t);
        const after = await this.runs.settleTask(runId, portfolioId, { status: 'done' }, new Date(), t);
        if (after?.finishedAt) t.afterCommit(() => this.finished(after));
        return 'done';
      });
    } catch (err) {
      if (!isPermanent(err)) throw err;
      return this.fail(runId, portfolioId, (err as Error).message);
    }
  }

  /** Settles a task as failed (once), with the reason. */
  async fail(runId: string, portfolioId: string, error: string): Promise<TaskResult> {
    return this.tx.run(async (t) => {
      if ((await this.runs.lockTask(runId, portfolioId, t)) !== 'pending') return 'settled_before';
      const outcome: TaskOutcome = { status: 'failed', error };
      const after = await this.runs.settleTask(runId, portfolioId, outcome, new Date(), t);
      if (after?.finishedAt) t.afterCommit(() => this.finished(after));
      return 'failed';
    });
  }

  private async params(runId: string): Promise<RiskRunParams | undefined> {
    let params = this.paramsOf.get(runId);
    if (!params) {
      params = (await this.runs.findById(runId))?.params;
      if (!params) return undefined;
      if (this.paramsOf.size >= 256) this.paramsOf.delete(this.paramsOf.keys().next().value!);
      this.paramsOf.set(runId, params);
    }
    return params;
  }

  /** "*" is every portfolio; a list must name existing portfolios only (404 naming the others). */
  private async select(selection: '*' | string[]): Promise<string[]> {
    // Key scope: "*" is every portfolio the key may see; a listed one outside it is not found (existence not revealed).
    const all = visibleOnly(await this.portfolios.list(), (p) => p.id).map((p) => p.id);
    if (selection === '*') return all;
    const known = new Set(all);
    const unknown = selection.filter((id) => !known.has(id));
    if (unknown.length > 0) {
      const shown = unknown.slice(0, 20).join(', ');
      throw new NotFoundError(`portfolio${unknown.length > 1 ? 's' : ''} ${shown}${unknown.length > 20 ? ` and ${unknown.length - 20} more` : ''} not found`);
    }
    return selection;
  }

  /** Without NATS: the run's pending tasks, `RISK_RUN_CONCURRENCY` at a time, in a context carrying the run's correlation id. */
  private execute(run: RiskRun): void {
    if (this.inProcess.has(run.id) || this.stopping) return;
    const job = runWithCorrelationId(run.correlationId ?? resolveCorrelationId(undefined), async () => {
      const queue = await this.runs.pendingTasks(run.id);
      const worker = async () => {
        for (let id = queue.shift(); id !== undefined && !this.stopping; id = queue.shift()) {
          await this.runInProcess({ run_id: run.id, portfolio_id: id });
        }
      };
      await Promise.all(Array.from({ length: this.config.riskRuns.concurrency }, worker));
    })
      .catch((err: Error) => this.logger.error({ run_id: run.id }, `risk run stopped: ${err.message}`))
      .finally(() => this.inProcess.delete(run.id));
    this.inProcess.set(run.id, job);
  }

  private async runInProcess(task: RiskRunTaskMessage): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.runTask(task);
        return;
      } catch (err) {
        if (attempt >= IN_PROCESS_ATTEMPTS || this.stopping) {
          this.logger.warn({ ...task }, `risk run task failed after ${attempt} attempts: ${(err as Error).message}`);
          if (!this.stopping) await this.fail(task.run_id, task.portfolio_id, (err as Error).message);
          return;
        }
        await new Promise((r) => setTimeout(r, 500 * attempt));
      }
    }
  }

  private finished(run: RiskRun): void {
    this.logger.log({ run_id: run.id, status: run.status, total: run.total, done: run.done, failed: run.failed }, 'risk run finished');
  }
}

/** The calculation of every task, defaults applied and checked once, before anything starts (400 naming the field). */
function runParams(c: PortfolioRiskRequestDto): RiskRunParams {
  const method = c.method ?? 'historical';
  rejectMonteCarloOnlyFields(method, c);
  rejectVolatilityOnlyFields(method, c);
  const params = {
    method,
    confidence: c.confidence ?? 95,
    horizon_days: c.horizon_days ?? 1,
    lookback_days: c.lookback_days ?? 252,
    ...(c.simulations === undefined ? {} : { simulations: c.simulations }),
    ...(c.seed === undefined ? {} : { seed: c.seed }),
    ...(c.distribution === undefined ? {} : { distribution: c.distribution }),
    ...(c.lambda === undefined ? {} : { lambda: c.lambda }),
  };
  riskOptions({ method, confidence: params.confidence, horizonDays: params.horizon_days, simulations: c.simulations, seed: c.seed, distribution: c.distribution, lambda: c.lambda });
  return params;
}

/** A failure of the portfolio or its data (a 4xx, or the maths refusing it): retrying cannot help. */
function isPermanent(err: unknown): boolean {
  return (err instanceof DomainError && err.status < 500) || err instanceof RiskMathError;
}

function toDto(r: RiskRun): RiskRunDto {
  return {
    id: r.id,
    status: r.status,
    total: r.total,
    done: r.done,
    failed: r.failed,
    started_at: r.startedAt.toISOString(),
    finished_at: r.finishedAt?.toISOString() ?? null,
  };
}
