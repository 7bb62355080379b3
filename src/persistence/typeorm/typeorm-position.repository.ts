import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PositionEntity } from '../entities';
import { normaliseDecimal } from '../entities/transformers';
import { Position, PositionRepository } from '../position.repository';
import { Tx } from '../transaction-runner';
import { atomically, managerOf } from './sql';

@Injectable()
export class TypeOrmPositionRepository extends PositionRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }

  async replaceBook(portfolioId: string, book: Position[], tx?: Tx): Promise<void> {
    // Rows written in asset order, whoever writes them (the caller serialises writers of a book by
    // locking the portfolio row first).
    const positions = [...book].sort((a, b) => (a.assetId < b.assetId ? -1 : a.assetId > b.assetId ? 1 : 0));
    const values = positions.map((p) => normaliseDecimal(p.marketValue)); // before anything is deleted
    await atomically(this.ds, tx, async (m) => {
      await m.delete(PositionEntity, { portfolioId });
      if (positions.length === 0) return;
      // One statement whatever the size of the book (a VALUES list would hit the 65,535-parameter cap).
      await m.query(
        'INSERT INTO positions (portfolio_id, asset_id, market_value) SELECT $1, a, v FROM unnest($2::text[], $3::numeric[]) AS t(a, v)',
        [portfolioId, positions.map((p) => p.assetId), values],
      );
    });
  }

  async findByPortfolio(portfolioId: string, tx?: Tx): Promise<Position[]> {
    const rows = await managerOf(this.ds, tx).find(PositionEntity, { where: { portfolioId }, order: { assetId: 'ASC' } });
    return rows.map((r) => ({ assetId: r.assetId, marketValue: r.marketValue }));
  }

  async findAllBooks(tx?: Tx): Promise<Map<string, Position[]>> {
    const rows = await managerOf(this.ds, tx).find(PositionEntity, { order: { portfolioId: 'ASC', assetId: 'ASC' } });
    const books = new Map<string, Position[]>();
    for (const r of rows) {
      let book = books.get(r.portfolioId);
      if (!book) books.set(r.portfolioId, (book = []));
      book.push({ assetId: r.assetId, marketValue: r.marketValue });
    }
    return books;
  }
}
