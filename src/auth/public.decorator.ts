import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';
import { AppConfig } from '../config/app-config';

/**
 * Route metadata key (Nest handler metadata for the guard, and the Fastify route's `config` for the
 * onRequest hook): present on the routes that need no API key. Everything else is protected.
 */
export const PUBLIC_ROUTE = 'riskPublic';

/** `true`, or a condition on the configuration (e.g. /metrics is open unless METRICS_REQUIRE_API_KEY). */
export type PublicPolicy = true | ((config: AppConfig) => boolean);

export function isOpen(policy: unknown, config: AppConfig): boolean {
  return policy === true || (typeof policy === 'function' && (policy as (c: AppConfig) => boolean)(config) === true);
}

/**
 * Opens a route (on a method) or every route of a controller (on a class) to callers without an
 * x-api-key. The mark is carried by the route Fastify matched, so no spelling of a URL can reach a
 * protected handler through a public one. Put it only on routes that reveal nothing: health,
 * metrics (conditionally), docs.
 */
export function Public(policy: PublicPolicy = true): ClassDecorator & MethodDecorator {
  const mark = (handler: object) => {
    Reflect.defineMetadata(PUBLIC_ROUTE, policy, handler);
    // Read by the Fastify adapter when it registers the route: request.routeOptions.config.
    const routeConfig = (Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) as object | undefined) ?? {};
    Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...routeConfig, [PUBLIC_ROUTE]: policy }, handler);
  };
  return ((target: object | (new (...a: never[]) => unknown), _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    if (descriptor) {
      mark(descriptor.value as object);
      return descriptor;
    }
    const proto = (target as { prototype: Record<string, unknown> }).prototype;
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name !== 'constructor' && typeof proto[name] === 'function') mark(proto[name] as object);
    }
    return undefined;
  }) as ClassDecorator & MethodDecorator;
}
