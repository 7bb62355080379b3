import { ClsServiceManager } from 'nestjs-cls';
import { ForbiddenError, NotFoundError } from './errors';

// A symbol: nestjs-cls reads a string key as a dotted path (split and walked on every get and set).
const SCOPE_KEY = Symbol('portfolio-scope');

/**
 * The portfolios the caller's API key may see (api.md Hardening, key scoping), kept in the
 * request's async context by the API-key guard. `null` means every portfolio: an unscoped key, and
 * work that is not an HTTP request (NATS handlers, whose boundary is the broker's permissions,
 * relays, jobs).
 */
export function setPortfolioScope(portfolios: readonly string[] | null): void {
  const cls = ClsServiceManager.getClsService();
  if (cls.isActive()) cls.set(SCOPE_KEY, portfolios ? new Set(portfolios) : null);
}

export function portfolioScope(): ReadonlySet<string> | null {
  const cls = ClsServiceManager.getClsService();
  return cls.isActive() ? ((cls.get(SCOPE_KEY) as Set<string> | undefined) ?? null) : null;
}

export function canSeePortfolio(portfolioId: string): boolean {
  const scope = portfolioScope();
  return scope === null || scope.has(portfolioId);
}

/**
 * Throws the same 404 an unknown portfolio gets when the key may not see `portfolioId`, so that a
 * scoped key learns nothing about portfolios outside its scope.
 */
export function assertPortfolioVisible(portfolioId: string): void {
  if (!canSeePortfolio(portfolioId)) throw new NotFoundError(`portfolio ${portfolioId} not found`);
}

/** The items of `list` whose portfolio the key may see. */
export function visibleOnly<T>(list: T[], portfolioOf: (item: T) => string): T[] {
  const scope = portfolioScope();
  return scope === null ? list : list.filter((item) => scope.has(portfolioOf(item)));
}

/**
 * For data shared by every portfolio (asset returns): a key limited to portfolios may not change
 * it, since that would move the figures of portfolios outside its scope. 403 FORBIDDEN.
 */
export function assertUnscoped(what: string): void {
  if (portfolioScope() !== null) throw new ForbiddenError(`${what} is shared by every portfolio: an API key limited to portfolios cannot change it`);
}
