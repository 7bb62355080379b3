import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';
import { ErrorBody, reasonOf } from './error-body';
import { ErrorType } from './errors';

export class ErrorBodyDto {
  @ApiProperty({ example: 400, description: 'The HTTP status, repeated' }) status_code!: number;
  @ApiProperty({ example: 'Bad Request', description: 'The status text' }) error!: string;
  @ApiProperty({
    example: 'INVALID_INPUT',
    enum: ['INVALID_INPUT', 'INSUFFICIENT_DATA', 'NOT_FOUND', 'UNAUTHORIZED', 'FORBIDDEN', 'CONFLICT', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'RATE_LIMITED', 'CALCULATION_TIMEOUT', 'DEPENDENCY_UNAVAILABLE', 'UNKNOWN_ERROR'],
  })
  error_type!: string;
  @ApiProperty({ example: ['returns[3] must be a finite number'], type: [String], description: 'Each problem, naming the field' }) message!: string[];
  @ApiProperty({ example: '8d0c7a52-6f7e-4c8e-9d55-0c1b0b7f6a11', description: 'x-correlation-id of the request (echoed, or generated)' }) correlation_id!: string;
}

/** What each documented error status means, and an example body with that status. */
const ERRORS: Record<number, { description: string; type: ErrorType; message: string[] }> = {
  400: { description: 'INVALID_INPUT: a field is missing, malformed or out of range (each named in `message`)', type: 'INVALID_INPUT', message: ['confidence is a percentage, e.g. 95 (got 0.95)', 'returns[3] must be a finite number'] },
  401: { description: 'UNAUTHORIZED: missing or unknown x-api-key', type: 'UNAUTHORIZED', message: ['x-api-key header is required'] },
  403: { description: 'FORBIDDEN: the key’s role may not do this', type: 'FORBIDDEN', message: ['this operation needs the risk_manager role; the key "analyst-jane" is analyst'] },
  404: { description: 'NOT_FOUND: no such portfolio, alert or key', type: 'NOT_FOUND', message: ['portfolio desk-9 not found'] },
  409: { description: 'CONFLICT: the id exists already, or the state does not allow it', type: 'CONFLICT', message: ['portfolio desk-7 already exists'] },
  413: { description: 'PAYLOAD_TOO_LARGE: more than 1,000,000 values, or a body over the size limit', type: 'PAYLOAD_TOO_LARGE', message: ['returns has 1000001 values: at most 1000000 are accepted in one request'] },
  415: { description: 'UNSUPPORTED_MEDIA_TYPE: the body is not application/json (or text/csv where documented)', type: 'UNSUPPORTED_MEDIA_TYPE', message: ['unsupported content type: send application/json (or text/csv where documented)'] },
  422: { description: 'INSUFFICIENT_DATA: too few observations for the method and confidence (INVALID_INPUT: stored data that make it meaningless)', type: 'INSUFFICIENT_DATA', message: ['Cannot compute historical VaR from 40 returns at 99 %: need at least 100'] },
  429: { description: 'RATE_LIMITED: the API key spent RATE_LIMIT_PER_MINUTE; retry after `Retry-After` seconds', type: 'RATE_LIMITED', message: ['rate limit of 60000 requests per minute exceeded'] },
  503: { description: 'DEPENDENCY_UNAVAILABLE (the database is unreachable; retry after `Retry-After` seconds) or CALCULATION_TIMEOUT (cancelled after CALCULATION_TIMEOUT_MS)', type: 'DEPENDENCY_UNAVAILABLE', message: ['database is unavailable'] },
};

/** The docs/api.md error body for `status`, as the service answers it (the example of an error response). */
export function errorExample(status: number): ErrorBody {
  const e = ERRORS[status];
  if (!e) throw new Error(`no documented error for status ${status}`);
  return { status_code: status, error: reasonOf(status), error_type: e.type, message: e.message, correlation_id: '8d0c7a52-6f7e-4c8e-9d55-0c1b0b7f6a11' };
}

/** Documents the error answers of an operation: the docs/api.md error body, with an example carrying that status. */
export function ApiErrors(...statuses: number[]) {
  return applyDecorators(...statuses.map((status) => ApiResponse({ status, description: ERRORS[status].description, type: ErrorBodyDto, example: errorExample(status) })));
}
