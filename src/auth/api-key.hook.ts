import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig } from '../config/app-config';
import { ApiKey } from '../persistence/models';
import { ApiKeysService } from './api-keys.service';
import { isOpen, PUBLIC_ROUTE } from './public.decorator';

/** The key the onRequest hook authenticated, per raw request (the guard reuses it). */
const authenticated = new WeakMap<object, ApiKey>();

export function authenticatedKey(rawRequest: object): ApiKey | undefined {
  return authenticated.get(rawRequest);
}

/**
 * Swagger UI and the OpenAPI document are registered on Fastify by @nestjs/swagger, not through a
 * controller that could carry @Public(): their routes are marked public when they are registered,
 * by the pattern they are registered under (a route definition, never a request's URL).
 */
function isDocsRoute(routeUrl: string): boolean {
  return routeUrl === '/docs' || routeUrl.startsWith('/docs/') || routeUrl === '/docs-json' || routeUrl === '/docs-yaml';
}

/**
 * x-api-key is checked in a Fastify onRequest hook, before the body is read (an unauthenticated
 * upload costs no parsing), for every route that Fastify matched and that is not public; requests
 * no route matched need a key too, so nothing about the route table is revealed without one.
 * Public or not is read from the matched route's config (set by @Public()), never from the URL
 * text: percent-encoding, dot segments, case, `;params`, absolute-form targets and Host headers
 * cannot reach a protected handler through a public one. The guard checks again (defence in
 * depth) and adds the role and portfolio-scope checks.
 *
 * Call before Swagger is set up (its routes are marked as they are registered).
 */
export function registerApiKeyHook(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  const keys = app.get(ApiKeysService);
  const config = app.get(AppConfig);
  fastify.addHook('onRoute', (route) => {
    if (isDocsRoute(route.url ?? '')) route.config = { ...(route.config as object), [PUBLIC_ROUTE]: true } as never;
  });
  fastify.addHook('onRequest', async (request) => {
    const routeConfig = request.routeOptions.config as unknown as Record<string, unknown> | undefined;
    if (isOpen(routeConfig?.[PUBLIC_ROUTE], config)) return;
    authenticated.set(request.raw, await keys.authenticateHeader(request.headers['x-api-key'], request.raw));
  });
}
