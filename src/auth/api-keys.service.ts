import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { currentActor } from '../common/actor';
import { currentCorrelationId } from '../common/correlation-id';
import { keyDigest } from '../common/key-digest';
import { headerValue } from '../common/header-value';
import { NotFoundError, UnauthorizedError, ValidationError } from '../common/errors';
import { AppConfig } from '../config/app-config';
import { ApiKey, Role } from '../persistence/models';
import { ApiKeyRepository, AuditLogRepository, TransactionRunner } from '../persistence/repositories';
import { ApiKeyResponseDto, CreatedApiKeyResponseDto } from './dto/api-key-response.dto';

/** API keys: stored hashed, shown once at creation, revocable. Lookups are cached for 10 s. */
@Injectable()
export class ApiKeysService implements OnApplicationBootstrap {
  private readonly logger = new Logger('ApiKeys');
  private readonly cache = new LRUCache<string, ApiKey | false>({ max: 10_000, ttl: 10_000 });
  private readonly lookups = new Map<string, Promise<ApiKey | null>>();
  /** Bumped by a revocation: lookups started before it do not fill the cache. */
  private generation = 0;

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly audit: AuditLogRepository,
    private readonly tx: TransactionRunner,
    private readonly config: AppConfig,
  ) {}

  /** Seeds ADMIN_API_KEY; with no key at all, creates an admin key and prints it once. */
  async onApplicationBootstrap(): Promise<void> {
    if (this.config.adminApiKey) {
      await this.keys.insert({ id: randomUUID(), name: 'admin (ADMIN_API_KEY)', role: 'admin', keyHash: keyDigest(this.config.adminApiKey), keyPrefix: this.config.adminApiKey.slice(0, 6), createdAt: new Date(), createdBy: 'config', revokedAt: null, portfolios: null });
      return;
    }
    if ((await this.keys.countActive()) > 0) return;
    const key = newKey();
    await this.keys.insert({ id: randomUUID(), name: 'initial admin', role: 'admin', keyHash: keyDigest(key), keyPrefix: key.slice(0, 6), createdAt: new Date(), createdBy: 'first start', revokedAt: null, portfolios: null });
    // Printed once, on the first start only: the service keeps only its hash.
    process.stdout.write(`\n  No API key was configured: created an admin key (shown once, keep it safe):\n\n    x-api-key: ${key}\n\n`);
    this.logger.warn('created the initial admin API key (printed once on stdout)');
  }

  /** `request` (the raw request, when there is one) lets its rate limit reuse the key's digest. */
  async authenticate(key: string, request?: object): Promise<ApiKey | null> {
    const hash = keyDigest(key, request);
    const cached = this.cache.get(hash);
    if (cached !== undefined) return cached || null;
    // Requests arriving together with a key not (or no longer) cached share one lookup: when the
    // entry expires under load, one query rather than one per connection (issue 11).
    let lookup = this.lookups.get(hash);
    if (!lookup) {
      const generation = this.generation;
      lookup = this.keys
        .findActiveByHash(hash)
        .then((found) => {
          // A key revoked while it was being looked up is not cached as it was before.
          if (generation === this.generation) this.cache.set(hash, found ?? false);
          return found;
        })
        .finally(() => this.lookups.delete(hash));
      this.lookups.set(hash, lookup);
    }
    return lookup;
  }

  /** The key an `x-api-key` header names; UnauthorizedError when it is missing, unknown or revoked. */
  async authenticateHeader(header: string | string[] | undefined, request?: object): Promise<ApiKey> {
    const key = headerValue(header);
    if (!key) throw new UnauthorizedError('x-api-key header is required');
    const found = await this.authenticate(key, request);
    if (!found) throw new UnauthorizedError('x-api-key is not a valid key');
    return found;
  }

  /** `portfolios` limits the key to those portfolios (absent = every portfolio). */
  async create(name: string, role: Role, portfolios: string[] | null = null): Promise<CreatedApiKeyResponseDto> {
    // An admin manages every key: limiting it to portfolios would be a promise the role cannot keep.
    if (role === 'admin' && portfolios) throw new ValidationError('portfolios cannot be given for role admin (an admin key manages every key)');
    const key = newKey();
    const record: ApiKey = { id: randomUUID(), name, role, keyPrefix: key.slice(0, 6), createdAt: new Date(), createdBy: currentActor(), revokedAt: null, portfolios };
    await this.tx.run(async (t) => {
      await this.keys.insert({ ...record, keyHash: keyDigest(key) }, t);
      await this.audit.append({ actor: currentActor(), action: 'api_key.create', entity: 'api_key', entityId: record.id, details: { name, role, portfolios }, correlationId: currentCorrelationId() }, t);
    });
    return { ...toResponse(record), key };
  }

  async list(): Promise<ApiKeyResponseDto[]> {
    return (await this.keys.list()).map(toResponse);
  }

  async revoke(id: string): Promise<void> {
    const done = await this.tx.run(async (t) => {
      const ok = await this.keys.revoke(id, new Date(), t);
      if (ok) await this.audit.append({ actor: currentActor(), action: 'api_key.revoke', entity: 'api_key', entityId: id, correlationId: currentCorrelationId() }, t);
      return ok;
    });
    if (!done) throw new NotFoundError(`active API key ${id} not found`);
    this.generation++;
    this.lookups.clear();
    this.cache.clear();
  }
}

function toResponse(k: ApiKey): ApiKeyResponseDto {
  return { id: k.id, name: k.name, role: k.role, key_prefix: k.keyPrefix, created_at: k.createdAt.toISOString(), revoked_at: k.revokedAt?.toISOString() ?? null, portfolios: k.portfolios };
}

function newKey(): string {
  return `rk_${randomBytes(32).toString('base64url')}`;
}
