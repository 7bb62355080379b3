import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { setActor } from '../common/actor';
import { ForbiddenError, UnauthorizedError } from '../common/errors';
import { AppConfig } from '../config/app-config';
import { Role } from '../persistence/models';
import { ApiKeysService } from './api-keys.service';
import { ROLE_KEY, ROLE_RANK } from './roles.decorator';

/**
 * x-api-key on every /v1 route (and /metrics when METRICS_REQUIRE_API_KEY). The role needed is the
 * route's @Roles, else viewer for GET and analyst for other methods. /health and /docs are open.
 * NATS handlers are not guarded: the broker's own authentication is the boundary there.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly keys: ApiKeysService,
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<{ url: string; method: string; headers: Record<string, string | string[] | undefined> }>();
    const path = req.url.split('?')[0];
    const guarded = path.startsWith('/v1/') || (path === '/metrics' && this.config.metricsRequireApiKey);
    if (!guarded) return true;
    const header = req.headers['x-api-key'];
    const key = Array.isArray(header) ? header[0] : header;
    if (!key) throw new UnauthorizedError('x-api-key header is required');
    const found = await this.keys.authenticate(key);
    if (!found) throw new UnauthorizedError('x-api-key is not a valid key');
    setActor(found.name);
    const needed =
      this.reflector.getAllAndOverride<Role | undefined>(ROLE_KEY, [context.getHandler(), context.getClass()]) ??
      (req.method === 'GET' || req.method === 'HEAD' ? 'viewer' : 'analyst');
    if (ROLE_RANK[found.role] < ROLE_RANK[needed]) {
      throw new ForbiddenError(`this operation needs the ${needed} role; the key "${found.name}" is ${found.role}`);
    }
    return true;
  }
}
