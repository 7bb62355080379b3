import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { RouteConfig } from '@nestjs/platform-fastify';
import { errorCodes } from 'fastify';
import { AppConfig } from '../config/app-config';
import { CsvBody } from './csv-body';
import { PayloadTooLargeError } from './errors';

const ACCEPTS_CSV = 'acceptsCsv';

/** Marks a route that takes `text/csv`: its body arrives as a CsvBody, parsed as a stream by the handler. */
export const AcceptsCsv = () => RouteConfig({ [ACCEPTS_CSV]: true });

/**
 * Content types the API accepts besides JSON: `text/csv` on the routes marked @AcceptsCsv() is
 * handed to the handler unread (a CsvBody, parsed as it streams in, within BODY_LIMIT_BYTES).
 * Anything else is 415 UNSUPPORTED_MEDIA_TYPE.
 */
export function registerContentParsers(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  const limit = app.get(AppConfig).bodyLimitBytes;
  fastify.addContentTypeParser(['text/csv', 'application/csv'], (request, payload, done) => {
    if (!(request.routeOptions.config as unknown as Record<string, unknown> | undefined)?.[ACCEPTS_CSV]) {
      return done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(String(request.headers['content-type'])), undefined);
    }
    if (Number(request.headers['content-length']) > limit) return done(new PayloadTooLargeError('request body is larger than the limit'), undefined);
    done(null, new CsvBody(payload, limit));
  });
}
