/**
 * Domain errors of the service (plain classes, no Nest). The global exception filter
 * maps each to its HTTP status and docs/api.md `error_type`. The maths' own errors
 * (InvalidInputError, InsufficientDataError) live in src/math/errors.ts.
 */
export type ErrorType =
  | 'INVALID_INPUT'
  | 'INSUFFICIENT_DATA'
  | 'NOT_FOUND'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  | 'CALCULATION_TIMEOUT'
  | 'DEPENDENCY_UNAVAILABLE'
  | 'UNKNOWN_ERROR';

export abstract class DomainError extends Error {
  abstract readonly errorType: ErrorType;
  abstract readonly status: number;
  /** One or more human-readable messages, each naming the field and the problem. */
  readonly messages: string[];
  constructor(messages: string | string[]) {
    const list = Array.isArray(messages) ? messages : [messages];
    super(list.join('; '));
    this.name = new.target.name;
    this.messages = list;
  }
}

export class ValidationError extends DomainError {
  readonly errorType = 'INVALID_INPUT' as const;
  readonly status = 400;
}
export class NotFoundError extends DomainError {
  readonly errorType = 'NOT_FOUND' as const;
  readonly status = 404;
}
export class ConflictError extends DomainError {
  readonly errorType = 'CONFLICT' as const;
  readonly status = 409;
}
export class UnprocessableError extends DomainError {
  readonly errorType = 'INSUFFICIENT_DATA' as const;
  readonly status = 422;
}
/** 422 with INVALID_INPUT: well-formed, but the stored data make it meaningless (e.g. a non-positive book). */
export class InvalidStateError extends DomainError {
  readonly errorType = 'INVALID_INPUT' as const;
  readonly status = 422;
}
/** 415: a media type the route does not take (e.g. JSON where only text/csv is read). */
export class UnsupportedMediaTypeError extends DomainError {
  readonly errorType = 'UNSUPPORTED_MEDIA_TYPE' as const;
  readonly status = 415;
}
export class PayloadTooLargeError extends DomainError {
  readonly errorType = 'PAYLOAD_TOO_LARGE' as const;
  readonly status = 413;
}
export class UnauthorizedError extends DomainError {
  readonly errorType = 'UNAUTHORIZED' as const;
  readonly status = 401;
}
export class ForbiddenError extends DomainError {
  readonly errorType = 'FORBIDDEN' as const;
  readonly status = 403;
}
export class DependencyUnavailableError extends DomainError {
  readonly errorType = 'DEPENDENCY_UNAVAILABLE' as const;
  readonly status = 503;
}
/** 503: a calculation ran past CALCULATION_TIMEOUT_MS and was cancelled. */
export class CalculationTimeoutError extends DomainError {
  readonly errorType = 'CALCULATION_TIMEOUT' as const;
  readonly status = 503;
}
/** 429: the API key spent its RATE_LIMIT_PER_MINUTE; `retryAfterSeconds` goes to the Retry-After header. */
export class RateLimitedError extends DomainError {
  readonly errorType = 'RATE_LIMITED' as const;
  readonly status = 429;
  constructor(messages: string | string[], readonly retryAfterSeconds: number) {
    super(messages);
  }
}
