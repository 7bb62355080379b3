import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Position, PositionRepository } from '../position.repository';
import { Tx } from '../transaction-runner';
import { atomically, dec, managerOf } from './sql';

@Injectable()
export class SqlPositionRepository extends PositionRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }
  async replaceBook(portfolioId: string, positions: Position[], tx?: Tx): Promise<void> {
    await atomically(this.ds, tx, async (m) => {
      await m.query('DELETE FROM positions WHERE portfolio_id = $1', [portfolioId]);
      if (positions.length === 0) return;
      await m.query(
        'INSERT INTO positions (portfolio_id, asset_id, market_value) SELECT $1, a, v FROM unnest($2::text[], $3::numeric[]) AS t(a, v)',
        [portfolioId, positions.map((p) => p.assetId), positions.map((p) => p.marketValue)],
      );
    });
  }
  async findByPortfolio(portfolioId: string, tx?: Tx): Promise<Position[]> {
    const rows: Record<string, unknown>[] = await managerOf(this.ds, tx).query(
      'SELECT asset_id, market_value FROM positions WHERE portfolio_id = $1 ORDER BY asset_id',
      [portfolioId],
    );
    return rows.map((r) => ({ assetId: String(r.asset_id), marketValue: dec(r.market_value) }));
  }
}
