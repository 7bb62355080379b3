import { InsufficientDataError, InvalidInputError } from './errors';

export const MAX_HORIZON_DAYS = 250;

/** Every value finite and > −1 (a simple return of −100 % or worse is not a return). One pass, no allocation. */
export function assertReturns(x: ArrayLike<number>, field = 'returns'): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v > -1 && v < Infinity) continue;
    if (!Number.isFinite(v)) throw new InvalidInputError(`${field}[${i}] must be a finite number`, `${field}[${i}]`);
    if (!(v > -1)) throw new InvalidInputError(`${field}[${i}] must be greater than -1 (a simple return of -100 % or worse)`, `${field}[${i}]`);
  }
}

/** Confidence is a percentage, 50 < c < 100. */
export function assertConfidence(c: number, field = 'confidence'): void {
  if (typeof c !== 'number' || !Number.isFinite(c)) throw new InvalidInputError(`${field} must be a number: confidence is a percentage, e.g. 95`, field);
  if (c > 0 && c <= 1) throw new InvalidInputError(`${field} ${c} looks like a fraction: confidence is a percentage, e.g. 95`, field);
  if (!(c > 50 && c < 100)) throw new InvalidInputError(`${field} must be greater than 50 and less than 100 (a percentage, e.g. 95), got ${c}`, field);
}

/** α = 1 − c/100, the tail probability (computed as numpy does, so quantile positions agree). */
export function tailProbability(confidence: number): number {
  return 1 - confidence / 100;
}

/** Fewest returns a historical quantile at `c` % needs: ⌈100/(100 − c) − 1e-9⌉ (20 at 95, 100 at 99, 1000 at 99.9). */
export function minObservationsHistorical(c: number): number {
  return Math.ceil(100 / (100 - c) - 1e-9);
}

export function assertHorizon(h: number, field = 'horizon_days'): void {
  if (!Number.isInteger(h) || h < 1 || h > MAX_HORIZON_DAYS) {
    throw new InvalidInputError(`${field} must be an integer from 1 to ${MAX_HORIZON_DAYS}, got ${h}`, field);
  }
}

export function assertMinCount(n: number, needed: number, what: string, confidence?: number): void {
  if (n < needed) {
    const at = confidence === undefined ? '' : ` at ${confidence} %`;
    throw new InsufficientDataError(`Cannot compute ${what} from ${n} return${n === 1 ? '' : 's'}${at}: need at least ${needed}`);
  }
}
