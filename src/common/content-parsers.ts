import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Content types the API accepts besides JSON: `text/csv` (asset returns ingestion) is
 * handed to the handler as a string. Anything else is 415 UNSUPPORTED_MEDIA_TYPE.
 */
export function registerContentParsers(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'string' }, (_req, body, done) => {
    done(null, body);
  });
}
