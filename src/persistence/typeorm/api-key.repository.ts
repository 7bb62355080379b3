import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiKey, ApiKeyRepository } from '../api-key.repository';
import { Tx } from '../transaction-runner';
import { date, dateOrNull, managerOf, num, resultRows } from './sql';

const toKey = (r: Record<string, any>): ApiKey => ({
  id: r.id,
  name: r.name,
  role: r.role,
  keyPrefix: r.key_prefix,
  createdAt: date(r.created_at),
  createdBy: r.created_by ?? null,
  revokedAt: dateOrNull(r.revoked_at),
});

@Injectable()
export class SqlApiKeyRepository extends ApiKeyRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }
  async insert(k: ApiKey & { keyHash: string }, tx?: Tx): Promise<void> {
    await managerOf(this.ds, tx).query(
      'INSERT INTO api_keys (id, name, role, key_hash, key_prefix, created_at, created_by) VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (key_hash) DO NOTHING',
      [k.id, k.name, k.role, k.keyHash, k.keyPrefix, k.createdAt, k.createdBy],
    );
  }
  async findActiveByHash(hash: string): Promise<ApiKey | null> {
    const rows = await this.ds.query('SELECT * FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL', [hash]);
    return rows.length ? toKey(rows[0]) : null;
  }
  async list(): Promise<ApiKey[]> {
    const rows: Record<string, unknown>[] = await this.ds.query('SELECT * FROM api_keys ORDER BY created_at');
    return rows.map(toKey);
  }
  async revoke(id: string, at: Date, tx?: Tx): Promise<boolean> {
    const raw: unknown = await managerOf(this.ds, tx).query('UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id', [id, at]);
    return resultRows(raw).length > 0;
  }
  async countActive(): Promise<number> {
    const rows = await this.ds.query('SELECT count(*)::int AS n FROM api_keys WHERE revoked_at IS NULL');
    return num(rows[0].n);
  }
}
