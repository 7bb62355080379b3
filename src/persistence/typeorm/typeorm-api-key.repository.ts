import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { ApiKey, ApiKeyRepository } from '../api-key.repository';
import { ApiKeyEntity } from '../entities';
import { Tx } from '../transaction-runner';
import { managerOf } from './sql';

const toModel = (e: ApiKeyEntity): ApiKey => ({
  id: e.id,
  name: e.name,
  role: e.role,
  keyPrefix: e.keyPrefix,
  createdAt: e.createdAt,
  createdBy: e.createdBy,
  revokedAt: e.revokedAt,
  portfolios: e.portfolios ?? null,
});

@Injectable()
export class TypeOrmApiKeyRepository extends ApiKeyRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }

  async insert(k: ApiKey & { keyHash: string }, tx?: Tx): Promise<void> {
    // ON CONFLICT DO NOTHING: seeding the same ADMIN_API_KEY twice is a no-op.
    await managerOf(this.ds, tx).createQueryBuilder().insert().into(ApiKeyEntity).values({ ...k }).orIgnore().execute();
  }

  async findActiveByHash(hash: string): Promise<ApiKey | null> {
    const row = await this.ds.manager.findOneBy(ApiKeyEntity, { keyHash: hash, revokedAt: IsNull() });
    return row ? toModel(row) : null;
  }

  async list(): Promise<ApiKey[]> {
    return (await this.ds.manager.find(ApiKeyEntity, { order: { createdAt: 'ASC', id: 'ASC' } })).map(toModel);
  }

  async revoke(id: string, at: Date, tx?: Tx): Promise<boolean> {
    const res = await managerOf(this.ds, tx).update(ApiKeyEntity, { id, revokedAt: IsNull() }, { revokedAt: at });
    return (res.affected ?? 0) > 0;
  }

  async countActive(): Promise<number> {
    return this.ds.manager.countBy(ApiKeyEntity, { revokedAt: IsNull() });
  }
}
