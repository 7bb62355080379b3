import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConflictError } from '../../common/errors';
import { Portfolio, Position, ReturnRow, ReturnSeries } from '../models';
import { PortfolioRepository, PositionRepository, ReturnsRepository, Tx } from '../repositories';
import { date, dec, isUniqueViolation, managerOf } from './sql';

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

@Injectable()
export class SqlPositionRepository extends PositionRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }
  async replaceBook(portfolioId: string, positions: Position[], tx?: Tx): Promise<void> {
    const m = managerOf(this.ds, tx);
    await m.query('DELETE FROM positions WHERE portfolio_id = $1', [portfolioId]);
    if (positions.length === 0) return;
    await m.query(
      'INSERT INTO positions (portfolio_id, asset_id, market_value) SELECT $1, a, v FROM unnest($2::text[], $3::numeric[]) AS t(a, v)',
      [portfolioId, positions.map((p) => p.assetId), positions.map((p) => p.marketValue)],
    );
  }
  async findByPortfolio(portfolioId: string, tx?: Tx): Promise<Position[]> {
    const rows: Record<string, unknown>[] = await managerOf(this.ds, tx).query(
      'SELECT asset_id, market_value FROM positions WHERE portfolio_id = $1 ORDER BY asset_id',
      [portfolioId],
    );
    return rows.map((r) => ({ assetId: String(r.asset_id), marketValue: dec(r.market_value) }));
  }
}

const UPSERT_CHUNK = 50_000;

@Injectable()
export class SqlReturnsRepository extends ReturnsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }
  async upsert(rows: ReturnRow[], tx?: Tx): Promise<{ inserted: number; updated: number }> {
    const m = managerOf(this.ds, tx);
    let inserted = 0;
    let updated = 0;
    for (let start = 0; start < rows.length; start += UPSERT_CHUNK) {
      const chunk = rows.slice(start, start + UPSERT_CHUNK);
      // One statement per chunk; unchanged rows are filtered by the WHERE and return nothing.
      const res: Array<{ inserted: boolean }> = await m.query(
        `INSERT INTO daily_returns (asset_id, date, return_pct)
         SELECT * FROM unnest($1::text[], $2::date[], $3::numeric[])
         ON CONFLICT (asset_id, date) DO UPDATE SET return_pct = EXCLUDED.return_pct
           WHERE daily_returns.return_pct IS DISTINCT FROM EXCLUDED.return_pct
         RETURNING (xmax = 0) AS inserted`,
        [chunk.map((r) => r.assetId), chunk.map((r) => r.date), chunk.map((r) => r.returnPct)],
      );
      for (const r of res) (r.inserted === true || (r.inserted as unknown) === 't' ? inserted++ : updated++);
    }
    return { inserted, updated };
  }
  async getSeries(assetIds: string[], tx?: Tx): Promise<Map<string, ReturnSeries>> {
    const out = new Map<string, ReturnSeries>();
    if (assetIds.length === 0) return out;
    const rows: Array<{ asset_id: string; dates: string[]; values: string[] }> = await managerOf(this.ds, tx).query(
      `SELECT asset_id, array_agg(to_char(date, 'YYYY-MM-DD') ORDER BY date) AS dates,
              array_agg(return_pct::text ORDER BY date) AS values
         FROM daily_returns WHERE asset_id = ANY($1::text[]) GROUP BY asset_id`,
      [assetIds],
    );
    for (const r of rows) {
      const values = new Float64Array(r.values.length);
      for (let i = 0; i < values.length; i++) values[i] = Number(r.values[i]);
      out.set(r.asset_id, { dates: r.dates, values });
    }
    return out;
  }
}
