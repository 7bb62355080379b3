import { PayloadTooLargeError } from './errors';

/**
 * Large numeric arrays (returns, equity curves) are validated in one pass and turned
 * into a Float64Array, instead of class-validator's per-element decorators, which take
 * hundreds of milliseconds on a million values.
 */
export interface NumericArraySpec {
  /** Every element must be greater than this (e.g. -1 for simple returns, 0 for prices). */
  greaterThan?: number;
  /** Absent is allowed (the use case decides what is required). */
  optional?: boolean;
  minLength?: number;
  /** Longer arrays are 413 PAYLOAD_TOO_LARGE. */
  maxLength?: number;
  /** Text added to a `greaterThan` violation, e.g. "(a simple return of -100 % or worse)". */
  hint?: string;
}

export const MAX_SERIES_LENGTH = 1_000_000;
const REGISTRY = new WeakMap<object, Map<string, NumericArraySpec>>();
const MAX_REPORTED = 20;

/** Marks a DTO property as a numeric array validated in one pass (see AppValidationPipe). */
export function NumericArray(spec: NumericArraySpec = {}): PropertyDecorator {
  return (target, key) => {
    const ctor = target.constructor;
    const map = REGISTRY.get(ctor) ?? new Map<string, NumericArraySpec>(REGISTRY.get(Object.getPrototypeOf(ctor)) ?? []);
    map.set(String(key), spec);
    REGISTRY.set(ctor, map);
  };
}

export function numericArraysOf(ctor: unknown): Map<string, NumericArraySpec> | undefined {
  for (let c = ctor; typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    const found = REGISTRY.get(c);
    if (found) return found;
  }
  return undefined;
}

/**
 * Reads `value` as a numeric array. Returns the Float64Array, or pushes messages naming each
 * bad element (`returns[3] must be a finite number`) into `problems` and returns undefined.
 * Throws PayloadTooLargeError above maxLength.
 */
export function readNumericArray(value: unknown, field: string, spec: NumericArraySpec, problems: string[]): Float64Array | undefined {
  if (!Array.isArray(value)) {
    problems.push(`${field} must be an array of numbers`);
    return undefined;
  }
  const max = spec.maxLength ?? MAX_SERIES_LENGTH;
  if (value.length > max) {
    throw new PayloadTooLargeError(`${field} has ${value.length} values: at most ${max} are accepted in one request`);
  }
  if (spec.minLength !== undefined && value.length < spec.minLength) {
    problems.push(`${field} must contain at least ${spec.minLength} value${spec.minLength === 1 ? '' : 's'}`);
  }
  const out = new Float64Array(value.length);
  const floor = spec.greaterThan;
  let bad = 0;
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    if (typeof v === 'number' && Number.isFinite(v) && (floor === undefined || v > floor)) {
      out[i] = v;
      continue;
    }
    if (++bad <= MAX_REPORTED) {
      problems.push(
        typeof v !== 'number' || !Number.isFinite(v)
          ? `${field}[${i}] must be a finite number (got ${describe(v)})`
          : `${field}[${i}] must be greater than ${floor}${spec.hint ? ` ${spec.hint}` : ''} (got ${v})`,
      );
    }
  }
  if (bad > MAX_REPORTED) problems.push(`${field}: ${bad - MAX_REPORTED} more invalid values not listed`);
  return bad === 0 ? out : undefined;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v);
  if (typeof v === 'object') return Array.isArray(v) ? 'an array' : 'an object';
  return String(v);
}
