import {
  backtest,
  BacktestInput,
  computeRisk,
  DrawdownEpisode,
  drawdownEpisodes,
  drawdownEpisodesFromReturns,
  drawdownFromReturns,
  DrawdownStats,
  drawdownStats,
  portfolioRisk,
  PortfolioRiskInput,
  portfolioVarReturn,
  RiskInput,
  Series,
  underwater,
  underwaterFromReturns,
} from '../../math';
import { InsufficientDataError, InvalidInputError, RiskMathError } from '../../math/errors';

/**
 * The tasks a calculation worker thread runs: the maths entry points, unchanged. Only plain data
 * crosses the thread boundary (structured clone: numbers, strings, typed arrays).
 */
export type CalculationTask =
  | { kind: 'risk'; input: RiskInput }
  | { kind: 'portfolio'; input: PortfolioRiskInput }
  | { kind: 'portfolio-var'; input: PortfolioRiskInput }
  | { kind: 'backtest'; input: BacktestInput }
  | { kind: 'drawdown'; input: DrawdownInput };

/** An equity curve (`values`) or returns, and the optional detail: the `top` deepest episodes, the underwater series. */
export interface DrawdownInput {
  values?: Series;
  returns?: Series;
  top?: number;
  underwater?: boolean;
}

export interface DrawdownDetail {
  s: DrawdownStats;
  episodes?: DrawdownEpisode[];
  depths?: number[] | Float64Array;
}

/** A maths error travels back as data (a thrown Error loses its class on the way) and is rebuilt. */
export type WorkerOutcome = { ok: true; value: unknown } | { ok: false; error: { type: RiskMathError['errorType']; message: string; field?: string } };

export default function runCalculation(task: CalculationTask): WorkerOutcome {
  try {
    return { ok: true, value: run(task) };
  } catch (err) {
    if (err instanceof RiskMathError) return { ok: false, error: { type: err.errorType, message: err.message, field: err.field } };
    throw err;
  }
}

function run(task: CalculationTask): unknown {
  switch (task.kind) {
    case 'risk':
      return computeRisk(task.input);
    case 'portfolio':
      return portfolioRisk(task.input);
    case 'portfolio-var':
      return portfolioVarReturn(task.input);
    case 'backtest':
      return backtest(task.input);
    case 'drawdown':
      return drawdownDetail(task.input);
  }
}

function drawdownDetail({ values, returns, top, underwater: wantUnderwater }: DrawdownInput): DrawdownDetail {
  return {
    s: values ? drawdownStats(values) : drawdownFromReturns(returns!),
    episodes: top === undefined ? undefined : values ? drawdownEpisodes(values, top) : drawdownEpisodesFromReturns(returns!, top),
    depths: wantUnderwater ? (values ? underwater(values) : underwaterFromReturns(returns!)) : undefined,
  };
}

/** Rebuilds the maths error a worker reported, so the error filter maps it as if thrown here. */
export function rethrowWorkerError(error: Extract<WorkerOutcome, { ok: false }>['error']): never {
  throw error.type === 'INSUFFICIENT_DATA' ? new InsufficientDataError(error.message, error.field) : new InvalidInputError(error.message, error.field);
}
