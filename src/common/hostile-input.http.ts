import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ValidationError } from './errors';
import { checkRequestText, parseUntrustedJson } from './hostile-input';

/**
 * The hostile-input rules (hostile-input.ts) on the HTTP side: application/json bodies are parsed
 * by parseUntrustedJson (depth scan before the parse, clean strings, no prototype keys) instead of
 * Fastify's parser; path parameters and query strings must be clean text. Register after the API-key
 * hook, so an unauthenticated request is 401 before anything of it is looked at.
 */
export function registerHostileInputGuards(app: NestFastifyApplication, bodyLimit: number): void {
  app.useBodyParser('application/json', { bodyLimit }, (_req, body, done) => {
    if (body.length === 0) return done(new ValidationError('request body is empty: a JSON body is required'), undefined);
    try {
      done(null, parseUntrustedJson(body, 'body'));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  app.getHttpAdapter().getInstance().addHook('onRequest', (request, _reply, done) => {
    try {
      checkRequestText(request.params);
      checkRequestText(request.query);
      done();
    } catch (err) {
      done(err as Error);
    }
  });
}
