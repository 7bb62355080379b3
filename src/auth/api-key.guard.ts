import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { setActor } from '../common/actor';
import { ForbiddenError } from '../common/errors';
import { assertPortfolioVisible, setPortfolioScope } from '../common/portfolio-scope';
import { AppConfig } from '../config/app-config';
import { ApiKey, Role } from '../persistence/models';
import { authenticatedKey } from './api-key.hook';
import { ApiKeysService } from './api-keys.service';
import { isOpen, PUBLIC_ROUTE } from './public.decorator';
import { ROLE_KEY, ROLE_RANK } from './roles.decorator';

/** Routes whose `:id` is a portfolio id (the pattern Fastify matched, e.g. /v1/portfolios/:id/var). */
const PORTFOLIO_ROUTE = /^\/v1\/portfolios\/:id(\/|$)/;

/**
 * Every HTTP route needs x-api-key unless its handler or controller is @Public() (health, metrics
 * unless METRICS_REQUIRE_API_KEY; Swagger's routes, registered outside Nest, are marked in
 * api-key.hook.ts and never reach this guard). The key was
 * checked before the body was read (api-key.hook.ts); here it is checked again when the hook did
 * not run, then the role: the route's @Roles, else viewer for GET and analyst for other methods.
 * A key limited to portfolios gets its scope in the request context, and a route under
 * /v1/portfolios/:id answers 404 for a portfolio outside it. NATS handlers are not guarded: the
 * broker's own authentication and permissions are the boundary there.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly keys: ApiKeysService,
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
  ) {}

  /** The metadata of each handler (and its class), read once: @Public policy and @Roles. */
  private readonly routes = new WeakMap<Function, WeakMap<Function, { policy: unknown; role: Role | undefined }>>();

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const route = this.routeOf(context.getHandler(), context.getClass());
    if (isOpen(route.policy, this.config)) return true;
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const checked = authenticatedKey(req.raw);
    if (checked) return this.authorize(req, checked, route.role);
    return this.keys.authenticateHeader(req.headers['x-api-key'], req.raw).then((found) => this.authorize(req, found, route.role));
  }

  private authorize(req: FastifyRequest, found: ApiKey, role: Role | undefined): boolean {
    setActor(found.name);
    setPortfolioScope(found.portfolios);
    const needed = role ?? (req.method === 'GET' || req.method === 'HEAD' ? 'viewer' : 'analyst');
    if (ROLE_RANK[found.role] < ROLE_RANK[needed]) {
      throw new ForbiddenError(`this operation needs the ${needed} role; the key "${found.name}" is ${found.role}`);
    }
    if (PORTFOLIO_ROUTE.test(req.routeOptions.url ?? '')) assertPortfolioVisible((req.params as { id: string }).id);
    return true;
  }

  private routeOf(handler: Function, controller: Function): { policy: unknown; role: Role | undefined } {
    let byClass = this.routes.get(handler);
    if (!byClass) this.routes.set(handler, (byClass = new WeakMap()));
    let route = byClass.get(controller);
    if (!route) {
      const targets = [handler, controller];
      route = { policy: this.reflector.getAllAndOverride<unknown>(PUBLIC_ROUTE, targets), role: this.reflector.getAllAndOverride<Role | undefined>(ROLE_KEY, targets) };
      byClass.set(controller, route);
    }
    return route;
  }
}
