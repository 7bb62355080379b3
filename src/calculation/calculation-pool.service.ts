import { availableParallelism } from 'node:os';
import { extname, resolve } from 'node:path';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Piscina } from 'piscina';
import { CalculationTimeoutError } from '../common/errors';
import { AppConfig } from '../config/app-config';
import { BacktestInput, BacktestResult, EulerFigures, EulerVarMethod, PortfolioRiskInput, PortfolioRiskResult, RiskInput, RiskResult, Series } from '../math';
import runCalculation, { CalculationTask, DrawdownDetail, DrawdownInput, rethrowWorkerError, WorkerOutcome } from './worker/calculation.worker';

/**
 * Below this many numbers touched (input values, plus simulated draws for Monte Carlo) a
 * calculation runs inline: it takes well under a millisecond, less than handing it to a thread
 * (≈ 0.2 ms plus copying the input). Monte Carlo and backtests always go to the pool.
 */
export const INLINE_MAX_WORK = 100_000;

/**
 * The worker-thread pool (piscina) for heavy maths, so that the event loop keeps serving other
 * requests: Monte Carlo, backtests, and any other calculation over INLINE_MAX_WORK. One thread per
 * core (CALCULATION_THREADS). A task not finished within CALCULATION_TIMEOUT_MS (waiting in the
 * queue included) is cancelled, its thread terminated (piscina starts a fresh one), and the caller
 * gets 503 CALCULATION_TIMEOUT.
 */
@Injectable()
export class CalculationPool implements OnApplicationShutdown {
  private readonly logger = new Logger(CalculationPool.name);
  private readonly pool: Piscina;
  private closed = false;

  constructor(private readonly config: AppConfig) {
    const threads = config.calculationThreads ?? Math.max(1, availableParallelism());
    this.pool = new Piscina({
      filename: workerFile(),
      minThreads: 1,
      maxThreads: threads,
      idleTimeout: 60_000,
    });
  }

  get threads(): number {
    return this.pool.options.maxThreads;
  }

  /** VaR / CVaR of one series (computeRisk): on the pool for Monte Carlo or a large input. */
  risk(input: RiskInput): Promise<RiskResult> {
    const draws = input.method === 'monte_carlo' ? (input.simulations ?? 10_000) * (input.horizonDays ?? 1) : 0;
    const onPool = input.method === 'monte_carlo' || input.returns.length + draws >= INLINE_MAX_WORK;
    return this.run({ kind: 'risk', input }, onPool) as Promise<RiskResult>;
  }

  /** Stored-portfolio risk (portfolioRisk): on the pool for Monte Carlo or assets × dates over the threshold. */
  portfolio(input: PortfolioRiskInput & { method: EulerVarMethod }): Promise<PortfolioRiskResult & EulerFigures>;
  portfolio(input: PortfolioRiskInput): Promise<PortfolioRiskResult>;
  portfolio(input: PortfolioRiskInput): Promise<PortfolioRiskResult> {
    return this.run({ kind: 'portfolio', input }, portfolioOnPool(input)) as Promise<PortfolioRiskResult>;
  }

  /** Its VaR alone (portfolioVarReturn: the same figure), where as portfolio. */
  portfolioVar(input: PortfolioRiskInput): Promise<number> {
    return this.run({ kind: 'portfolio-var', input }, portfolioOnPool(input)) as Promise<number>;
  }

  /** Backtests always run on the pool (rolling forecasts cost n × window). */
  backtest(input: BacktestInput): Promise<BacktestResult> {
    return this.run({ kind: 'backtest', input }, true) as Promise<BacktestResult>;
  }

  drawdown(input: DrawdownInput): Promise<DrawdownDetail> {
    const n = (input.values ?? input.returns ?? []).length;
    return this.run({ kind: 'drawdown', input }, n >= INLINE_MAX_WORK) as Promise<DrawdownDetail>;
  }

  private async run(task: CalculationTask, onPool: boolean): Promise<unknown> {
    const outcome: WorkerOutcome = onPool && !this.closed ? await this.onPool(task) : runCalculation(task);
    if (!outcome.ok) rethrowWorkerError(outcome.error);
    return outcome.value;
  }

  private async onPool(task: CalculationTask): Promise<WorkerOutcome> {
    const ms = this.config.calculationTimeoutMs;
    try {
      return (await this.pool.run(task, { signal: AbortSignal.timeout(ms) })) as WorkerOutcome;
    } catch (err) {
      if ((err as Error)?.name === 'AbortError') {
        this.logger.warn(`${task.kind} calculation cancelled after ${ms} ms (CALCULATION_TIMEOUT_MS)`);
        throw new CalculationTimeoutError(`the calculation did not finish within ${ms} ms: reduce simulations, horizon_days or the input size`);
      }
      throw err;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    await this.pool.destroy();
  }
}

/**
 * The worker's entry: the compiled calculation.worker.js next to this file in the built service;
 * from the TypeScript sources (Jest), a loader that compiles calculation.worker.ts on the fly.
 */
function workerFile(): string {
  return extname(__filename) === '.ts'
    ? resolve(__dirname, 'worker/ts-worker-loader.js')
    : resolve(__dirname, 'worker/calculation.worker.js');
}

/** Monte Carlo, or assets × dates over the threshold. */
function portfolioOnPool(input: PortfolioRiskInput): boolean {
  return input.method === 'monte_carlo' || input.assetReturns.reduce((n, s) => n + s.length, 0) >= INLINE_MAX_WORK;
}
