import { backtest, BacktestInput, computeRisk, drawdownFromReturns, drawdownStats, portfolioRisk, PortfolioRiskInput, RiskInput, Series } from '../../math';
import { InsufficientDataError, InvalidInputError, RiskMathError } from '../../math/errors';

/**
 * The tasks a calculation worker thread runs: the maths entry points, unchanged. Only plain data
 * crosses the thread boundary (structured clone: numbers, strings, typed arrays).
 */
export type CalculationTask =
  | { kind: 'risk'; input: RiskInput }
  | { kind: 'portfolio'; input: PortfolioRiskInput }
  | { kind: 'backtest'; input: BacktestInput }
  | { kind: 'drawdown'; input: { values?: Series; returns?: Series } };

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
    case 'backtest':
      return backtest(task.input);
    case 'drawdown':
      return task.input.values ? drawdownStats(task.input.values) : drawdownFromReturns(task.input.returns!);
  }
}

/** Rebuilds the maths error a worker reported, so the error filter maps it as if thrown here. */
export function rethrowWorkerError(error: Extract<WorkerOutcome, { ok: false }>['error']): never {
  throw error.type === 'INSUFFICIENT_DATA' ? new InsufficientDataError(error.message, error.field) : new InvalidInputError(error.message, error.field);
}
