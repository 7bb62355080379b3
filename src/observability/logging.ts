import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { Logger as PinoInstance } from 'pino';
import { AppConfig } from '../config/app-config';
import { CORRELATION_HEADER, currentCorrelationId, resolveCorrelationId } from '../common/correlation-id';

const CORRELATION = Symbol('correlationId');
type RawRequest = IncomingMessage & { [CORRELATION]?: string };

/**
 * The request's correlation ID, resolved once (by Fastify's genReqId, first thing on a request)
 * and kept on the raw request, so Fastify, pino-http and the CLS context all share it.
 */
export function correlationIdOf(req: IncomingMessage, res?: ServerResponse): string {
  const raw = req as RawRequest;
  raw[CORRELATION] ??= resolveCorrelationId(raw.headers[CORRELATION_HEADER]);
  if (res && !res.headersSent && !res.getHeader(CORRELATION_HEADER)) res.setHeader(CORRELATION_HEADER, raw[CORRELATION]);
  return raw[CORRELATION];
}

/** pino JSON logs: one line per request and per event, every line carrying `correlation_id`. */
export function loggerParams(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      messageKey: 'msg',
      genReqId: (req, res) => correlationIdOf(req as RawRequest, res),
      quietReqLogger: true,
      customAttributeKeys: { reqId: 'correlation_id' },
      // Lines logged outside an HTTP request (NATS handlers, the outbox relay) take the ID from the async context.
      mixin(_merge: object, _level: number, logger?: PinoInstance) {
        if (logger && 'correlation_id' in logger.bindings()) return {};
        const id = currentCorrelationId();
        return id ? { correlation_id: id } : {};
      },
      serializers: {
        req: (req: { method: string; url: string; id?: string }) => ({ method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ status_code: res.statusCode }),
      },
      redact: { paths: ['req.headers["x-api-key"]', 'req.headers.authorization'], remove: true },
      autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health') || req.url === '/metrics' },
      customSuccessMessage: (req, res, ms) => `${req.method} ${req.url} ${res.statusCode} ${Math.round(ms)}ms`,
      customErrorMessage: (req, res) => `${req.method} ${req.url} ${res.statusCode}`,
    },
    exclude: [],
  };
}
