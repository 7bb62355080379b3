import { HttpException, HttpStatus } from '@nestjs/common';
import { RiskMathError } from '../math/errors';
import { isDependencyUnavailable } from './dependency-errors';
import { DomainError, ErrorType } from './errors';

/** The docs/api.md error body, identical on REST and in NATS `{ "error": … }` replies. */
export interface ErrorBody {
  status_code: number;
  error: string;
  error_type: ErrorType;
  message: string[];
  correlation_id: string | undefined;
}

const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The status text of an HTTP status, as the error body's `error` says it. */
export function reasonOf(status: number): string {
  return REASON[status] ?? (status >= 500 ? 'Internal Server Error' : 'Error');
}

const TYPE_BY_STATUS: Record<number, ErrorType> = {
  400: 'INVALID_INPUT',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'INVALID_INPUT',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'INSUFFICIENT_DATA',
  431: 'INVALID_INPUT',
  429: 'RATE_LIMITED',
  503: 'DEPENDENCY_UNAVAILABLE',
  504: 'CALCULATION_TIMEOUT',
};

/** Errors raised by Fastify itself (body parsing, limits) carry a `code` like FST_ERR_CTP_BODY_TOO_LARGE. */
interface FrameworkError {
  statusCode?: number;
  code?: string;
  message?: string;
}

function frameworkMessage(err: FrameworkError, status: number): string {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'request body is larger than the limit';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'unsupported content type: send application/json (or text/csv where documented)';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'request body is empty: a JSON body is required';
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'content-length does not match the body';
    case 'FST_ERR_BAD_URL':
      return 'the URL is not valid: a percent-encoding does not decode to UTF-8 text';
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return 'a path parameter is longer than 100 characters';
    default:
      if (err instanceof SyntaxError || /JSON/i.test(err.message ?? '')) return `body is not valid JSON: ${err.message}`;
      return status < 500 && err.message ? err.message : 'internal error';
  }
}

/** Maps anything thrown to the status and body the client sees. Never leaks internals on a 5xx. */
export function toErrorBody(exception: unknown, correlationId: string | undefined): ErrorBody {
  let status = 500;
  let type: ErrorType | undefined;
  let messages: string[] = ['internal error'];

  if (exception instanceof DomainError) {
    status = exception.status;
    type = exception.errorType;
    messages = exception.messages;
  } else if (exception instanceof RiskMathError) {
    status = exception.errorType === 'INSUFFICIENT_DATA' ? 422 : 400;
    type = exception.errorType;
    messages = [exception.message];
  } else if (exception instanceof HttpException) {
    status = exception.getStatus();
    const res = exception.getResponse();
    const msg = typeof res === 'string' ? res : (res as { message?: unknown }).message;
    if (status < 500) {
      messages = Array.isArray(msg) ? msg.map(String) : [String(msg ?? exception.message)];
      if (status === HttpStatus.NOT_FOUND && /^Cannot (GET|POST|PUT|DELETE|PATCH)/.test(messages[0] ?? '')) {
        messages = [messages[0].replace(/^Cannot (\w+) (.*)$/, 'no route $1 $2')];
      }
    }
  } else if (isDependencyUnavailable(exception)) {
    status = 503;
    type = 'DEPENDENCY_UNAVAILABLE';
    messages = ['the database is unavailable: retry shortly'];
  } else if (exception && typeof exception === 'object') {
    const err = exception as FrameworkError;
    const code = typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (code >= 400 && code < 500) {
      status = code;
      messages = [frameworkMessage(err, code)];
    }
  }
  type ??= TYPE_BY_STATUS[status] ?? 'UNKNOWN_ERROR';
  return {
    status_code: status,
    error: reasonOf(status),
    error_type: type,
    message: messages,
    correlation_id: correlationId,
  };
}
