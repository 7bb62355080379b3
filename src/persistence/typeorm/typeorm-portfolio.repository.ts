import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PortfolioEntity } from '../entities';
import { DuplicateKeyError } from '../errors';
import { Portfolio, PortfolioRepository } from '../portfolio.repository';
import { Tx } from '../transaction-runner';
import { isUniqueViolation, lockIf, managerOf } from './sql';

const toPortfolio = (e: PortfolioEntity): Portfolio => ({
  id: e.id,
  name: e.name,
  baseCurrency: e.baseCurrency,
  createdAt: e.createdAt,
  updatedAt: e.updatedAt,
});

@Injectable()
export class TypeOrmPortfolioRepository extends PortfolioRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }

  private repo(tx?: Tx) {
    return managerOf(this.ds, tx).getRepository(PortfolioEntity);
  }

  async create(p: { id: string; name: string; baseCurrency: string }, tx?: Tx): Promise<Portfolio> {
    const row = this.repo(tx).create({ id: p.id, name: p.name, baseCurrency: p.baseCurrency });
    try {
      await this.repo(tx).insert(row); // fills created_at / updated_at from RETURNING
    } catch (err) {
      if (isUniqueViolation(err)) throw new DuplicateKeyError(`portfolio ${p.id} already exists`);
      throw err;
    }
    return toPortfolio(row);
  }

  async findById(id: string, tx?: Tx): Promise<Portfolio | null> {
    const row = await this.repo(tx).findOneBy({ id });
    return row ? toPortfolio(row) : null;
  }

  async list(tx?: Tx): Promise<Portfolio[]> {
    return (await this.repo(tx).find({ order: { id: 'ASC' } })).map(toPortfolio);
  }

  async touch(id: string, tx?: Tx): Promise<void> {
    await this.repo(tx).update({ id }, { updatedAt: () => 'now()' });
  }

  async lock(id: string, tx: Tx): Promise<boolean> {
    return (await this.repo(tx).findOne({ where: { id }, select: { id: true }, ...lockIf(tx) })) !== null;
  }
}
