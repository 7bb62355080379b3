/**
 * Domain errors of the risk maths. Plain classes (no Nest): the global exception
 * filter maps them to the docs/api.md error body.
 */
export type RiskErrorType = 'INVALID_INPUT' | 'INSUFFICIENT_DATA';

export abstract class RiskMathError extends Error {
  abstract readonly errorType: RiskErrorType;
  /** Wire name of the offending field when one is known (e.g. "returns[3]", "confidence"). */
  readonly field?: string;
  constructor(message: string, field?: string) {
    super(message);
    this.name = new.target.name;
    this.field = field;
  }
}

/** The input is malformed or out of range: answered as 400 INVALID_INPUT. */
export class InvalidInputError extends RiskMathError {
  readonly errorType = 'INVALID_INPUT' as const;
}

/** The input is well-formed but too short for the requested figure: 422 INSUFFICIENT_DATA. */
export class InsufficientDataError extends RiskMathError {
  readonly errorType = 'INSUFFICIENT_DATA' as const;
}
