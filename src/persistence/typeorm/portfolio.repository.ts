import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConflictError } from '../../common/errors';
import { Portfolio, PortfolioRepository } from '../portfolio.repository';
import { Tx } from '../transaction-runner';
import { date, isUniqueViolation, managerOf } from './sql';

const toPortfolio = (r: Record<string, unknown>): Portfolio => ({
  id: String(r.id),
  name: String(r.name),
  baseCurrency: String(r.base_currency),
  createdAt: date(r.created_at),
  updatedAt: date(r.updated_at),
});

@Injectable()
export class SqlPortfolioRepository extends PortfolioRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }
  async create(p: { id: string; name: string; baseCurrency: string }, tx?: Tx): Promise<Portfolio> {
    try {
      const rows = await managerOf(this.ds, tx).query(
        'INSERT INTO portfolios (id, name, base_currency) VALUES ($1, $2, $3) RETURNING *',
        [p.id, p.name, p.baseCurrency],
      );
      return toPortfolio(rows[0]);
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError(`portfolio ${p.id} already exists`);
      throw err;
    }
  }
  async findById(id: string, tx?: Tx): Promise<Portfolio | null> {
    const rows = await managerOf(this.ds, tx).query('SELECT * FROM portfolios WHERE id = $1', [id]);
    return rows.length ? toPortfolio(rows[0]) : null;
  }
  async list(tx?: Tx): Promise<Portfolio[]> {
    const rows: Record<string, unknown>[] = await managerOf(this.ds, tx).query('SELECT * FROM portfolios ORDER BY id');
    return rows.map(toPortfolio);
  }
  async lock(id: string, tx: Tx): Promise<boolean> {
    const rows = await managerOf(this.ds, tx).query('SELECT id FROM portfolios WHERE id = $1 FOR UPDATE', [id]);
    return rows.length > 0;
  }
  async touch(id: string, tx?: Tx): Promise<void> {
    await managerOf(this.ds, tx).query('UPDATE portfolios SET updated_at = now() WHERE id = $1', [id]);
  }
}
