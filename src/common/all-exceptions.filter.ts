import { ArgumentsHost, Catch, ExceptionFilter, Logger, Optional } from '@nestjs/common';
import { throwError } from 'rxjs';
import { CalculationRejections } from '../observability/calculation-rejections';
import { CORRELATION_HEADER, currentCorrelationId, resolveCorrelationId } from './correlation-id';
import { DEPENDENCY_RETRY_AFTER_SECONDS } from './dependency-errors';
import { ErrorBody, toErrorBody } from './error-body';
import { RateLimitedError } from './errors';

interface ReplyLike {
  status(code: number): ReplyLike;
  header(name: string, value: string): ReplyLike;
  send(body: unknown): unknown;
}

/**
 * One filter for every error, REST and NATS: answers docs/api.md's error body. A 5xx
 * is logged with its stack here and answered without internals.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(@Optional() private readonly rejections?: CalculationRejections) {}

  catch(exception: unknown, host: ArgumentsHost) {
    const correlationId = currentCorrelationId() ?? correlationFromHost(host);
    const body = reportedErrorBody(exception, correlationId);
    this.rejections?.count(exception, host, body.error_type);
    if (host.getType() === 'rpc') {
      // Plain object, so the NATS serializer answers `{ "error": { … } }` as it is.
      return throwError(() => ({ error: body }));
    }
    const reply = host.switchToHttp().getResponse<ReplyLike>();
    if (correlationId) reply.header(CORRELATION_HEADER, correlationId);
    const retryAfter = retryAfterSeconds(exception, body.error_type);
    if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
    reply.status(body.status_code).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}

const logger = new Logger('Errors');

/**
 * The docs/api.md error body of `exception`; a 5xx is logged here with its stack (the answer has no
 * internals). The filter's answer, and that of the raw pre-trade responder (PreTradeResponder).
 */
export function reportedErrorBody(exception: unknown, correlationId: string | undefined): ErrorBody {
  const body = toErrorBody(exception, correlationId);
  if (body.status_code >= 500) logger.error({ err: exception, correlation_id: correlationId }, 'request failed');
  return body;
}

function correlationFromHost(host: ArgumentsHost): string | undefined {
  if (host.getType() === 'rpc') {
    // Errors thrown before the handler's context (e.g. by validation) still answer with the caller's id.
    const ctx = host.switchToRpc().getContext<{ getHeaders?: () => { get(k: string): string } | undefined }>();
    // The caller's id when well-formed, else a new one: an error body always carries one (api.md).
    return resolveCorrelationId(ctx?.getHeaders?.()?.get(CORRELATION_HEADER) || undefined);
  }
  if (host.getType() !== 'http') return undefined;
  const req = host.switchToHttp().getRequest<{ id?: unknown }>();
  const id = req?.id;
  return typeof id === 'string' ? id : undefined;
}

/** Retry-After for 429 RATE_LIMITED (the key's window) and 503 DEPENDENCY_UNAVAILABLE (api.md). */
function retryAfterSeconds(exception: unknown, type: string): number | undefined {
  if (exception instanceof RateLimitedError) return exception.retryAfterSeconds;
  return type === 'DEPENDENCY_UNAVAILABLE' ? DEPENDENCY_RETRY_AFTER_SECONDS : undefined;
}
