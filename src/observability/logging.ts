import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Params, PinoLogger } from 'nestjs-pino';
import pino, { DestinationStream } from 'pino';
import { AppConfig } from '../config/app-config';
import { CORRELATION_HEADER, currentCorrelationId, resolveCorrelationId } from '../common/correlation-id';

const CORRELATION = Symbol('correlationId');
type RawRequest = IncomingMessage & { [CORRELATION]?: string };

/**
 * The request's correlation ID, resolved once (by Fastify's genReqId, first thing on a request)
 * and kept on the raw request, so Fastify, the request's async context and its log line share it.
 */
export function correlationIdOf(req: IncomingMessage, res?: ServerResponse): string {
  const raw = req as RawRequest;
  raw[CORRELATION] ??= resolveCorrelationId(raw.headers[CORRELATION_HEADER]);
  if (res && !res.headersSent && !res.getHeader(CORRELATION_HEADER)) res.setHeader(CORRELATION_HEADER, raw[CORRELATION]);
  return raw[CORRELATION];
}

/**
 * pino JSON logs, every line carrying `correlation_id`. nestjs-pino provides the logger (Nest's
 * own lines go through it) but not pino-http's middleware (`forRoutes: []`): the line per request
 * is written by registerRequestLog, a Fastify onResponse hook, which spares each request a child
 * logger, Nest's middleware layer (@fastify/middie) and a second async context (issue 11).
 */
export function loggerParams(config: AppConfig): Params {
  return {
    pinoHttp: [{
      level: config.logLevel,
      messageKey: 'msg',
      // The request's lines take the ID from the async context, as do those logged outside an
      // HTTP request (NATS handlers, the outbox relay); a line carrying its own keeps it.
      mixin(merge: object) {
        if ('correlation_id' in merge) return {};
        const id = currentCorrelationId();
        return id ? { correlation_id: id } : {};
      },
      // req is reduced to method and url: no header (x-api-key, authorization) ever reaches a line.
      // No pino `redact` besides: it runs on the serialized value, where there is nothing to
      // remove, and cost each line a traversal (issue 11).
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ status_code: res.statusCode }),
      },
    }, logDestination()],
    forRoutes: [],
  };
}

/** Lines are written to stdout at least this often (ms) when fewer than LOG_BUFFER_BYTES wait. */
export const LOG_FLUSH_MS = 100;
const LOG_BUFFER_BYTES = 4096;
let destination: DestinationStream | undefined;

/**
 * stdout, buffered: a write (a system call) per LOG_BUFFER_BYTES of lines or per LOG_FLUSH_MS,
 * not one per line, which cost each request as much as writing its answer (issue 11). pino's
 * destination flushes what is left when the process exits (exit code, signal, uncaught error);
 * a SIGKILL loses at most the last LOG_FLUSH_MS of lines. One per process.
 */
function logDestination(): DestinationStream {
  if (!destination) {
    const dest = pino.destination({ dest: 1, sync: false, minLength: LOG_BUFFER_BYTES });
    setInterval(() => dest.flush(), LOG_FLUSH_MS).unref();
    destination = dest;
  }
  return destination;
}

/**
 * One line per HTTP request once its answer is sent: `{ correlation_id, req: { method, url },
 * res: { status_code }, responseTime (ms), msg: "POST /v1/var 200 1ms" }`, at level info, error for
 * a 5xx answer. Probes (`/health/*`) and scrapes (`/metrics`) are not logged: they would be most
 * of the lines and say nothing.
 */
export function registerRequestLog(app: NestFastifyApplication): void {
  app.getHttpAdapter().getInstance().addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions?.url;
    if (route !== undefined && (route === '/metrics' || route.startsWith('/health'))) return done();
    const logger = PinoLogger.root; // set by nestjs-pino when the app initialises
    const status = reply.statusCode;
    const ms = Math.round(reply.elapsedTime);
    const line = { correlation_id: request.id, req: request.raw, res: reply.raw, responseTime: ms }; // through the serializers above
    if (status >= 500) logger.error(line, `${request.method} ${request.url} ${status}`);
    else logger.info(line, `${request.method} ${request.url} ${status} ${ms}ms`);
    done();
  });
}
