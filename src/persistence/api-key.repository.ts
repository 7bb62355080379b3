import { Tx } from './transaction-runner';

export type Role = 'viewer' | 'analyst' | 'risk_manager' | 'admin';

export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  keyPrefix: string;
  createdAt: Date;
  createdBy: string | null;
  revokedAt: Date | null;
  /** The portfolios the key may see; null = every portfolio (api.md key scoping). */
  portfolios: string[] | null;
}

export abstract class ApiKeyRepository {
  /** A key whose hash exists already is ignored (idempotent seeding of ADMIN_API_KEY). */
  abstract insert(k: ApiKey & { keyHash: string }, tx?: Tx): Promise<void>;
  /** The key with that hash unless revoked. */
  abstract findActiveByHash(hash: string): Promise<ApiKey | null>;
  abstract list(): Promise<ApiKey[]>;
  /** false when absent or revoked already. */
  abstract revoke(id: string, at: Date, tx?: Tx): Promise<boolean>;
  abstract countActive(): Promise<number>;
}
