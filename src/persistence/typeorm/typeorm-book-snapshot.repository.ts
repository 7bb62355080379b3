import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BookSnapshot, BookSnapshotRepository } from '../book-snapshot.repository';
import { limitInForceFrom, preparedQuery } from './sql';

type Row = {
  id: string;
  name: string;
  base_currency: string;
  created_at: Date;
  updated_at: Date;
  at: Date;
  book: Array<{ a: string; v: string; s: string }>;
  lim: { id: string; max_var: number | null; max_dd: number | null; max_pos: number | null; conf: number; horizon: number; eff: string; created: string; by: string | null } | null;
  next_at: Date | null;
};

/**
 * One statement: the portfolio row, its positions with each asset's series version (json_agg,
 * market values as text so they stay exact), the limit version in force now and the next one
 * scheduled. The ordering of positions and limit versions is the one of the other repositories.
 */
const SQL = `
SELECT p.id, p.name, p.base_currency, p.created_at, p.updated_at, now() AS at,
  (SELECT coalesce(json_agg(json_build_object('a', x.asset_id, 'v', x.market_value::text, 's', coalesce(v.version, 0)::text) ORDER BY x.asset_id), '[]'::json)
     FROM positions x LEFT JOIN asset_series_versions v ON v.asset_id = x.asset_id WHERE x.portfolio_id = p.id) AS book,
  (SELECT json_build_object('id', l.id, 'max_var', l.max_var_percent, 'max_dd', l.max_drawdown_percent, 'max_pos', l.max_position_size_percent,
                            'conf', l.confidence_level, 'horizon', l.horizon_days, 'eff', l.effective_date, 'created', l.created_at, 'by', l.created_by)
     ${limitInForceFrom('p.id', 'now()')}) AS lim,
  (SELECT min(l.effective_date) FROM risk_limits l WHERE l.portfolio_id = p.id AND l.effective_date > now()) AS next_at
FROM portfolios p WHERE p.id = $1`;

@Injectable()
export class TypeOrmBookSnapshotRepository extends BookSnapshotRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }

  async load(portfolioId: string): Promise<BookSnapshot | null> {
    const rows = await preparedQuery<Row>(this.ds, 'book_snapshot', SQL, [portfolioId]);
    const r = rows[0];
    if (!r) return null;
    const l = r.lim;
    return {
      portfolioId: r.id,
      portfolio: { id: r.id, name: r.name, baseCurrency: r.base_currency, createdAt: new Date(r.created_at), updatedAt: new Date(r.updated_at) },
      at: new Date(r.at),
      positions: r.book.map((b) => ({ assetId: b.a, marketValue: b.v })),
      versions: new Map(r.book.map((b) => [b.a, b.s])),
      limit: l
        ? {
            id: l.id,
            portfolioId: r.id,
            maxVarPercent: l.max_var,
            maxDrawdownPercent: l.max_dd,
            maxPositionSizePercent: l.max_pos,
            confidenceLevel: l.conf,
            horizonDays: l.horizon,
            effectiveDate: new Date(l.eff),
            createdAt: new Date(l.created),
            createdBy: l.by,
          }
        : null,
      nextLimitAt: r.next_at ? new Date(r.next_at) : null,
    };
  }
}
