import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ReturnRow, ReturnSeries, ReturnsRepository } from '../returns.repository';
import { Tx } from '../transaction-runner';
import { atomically, managerOf } from './sql';

const UPSERT_CHUNK = 50_000;

/**
 * Bulk SQL on daily_returns (no entity round trips): one INSERT … SELECT FROM unnest(arrays)
 * … ON CONFLICT DO UPDATE per chunk, and one array_agg query per series read.
 */
@Injectable()
export class TypeOrmReturnsRepository extends ReturnsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {
    super();
  }

  async upsert(rows: ReturnRow[], tx?: Tx): Promise<{ inserted: number; updated: number }> {
    if (rows.length === 0) return { inserted: 0, updated: 0 };
    // One row order for every writer: concurrent batches of the same dates lock rows in the same
    // order, so they queue instead of deadlocking (a batch sent newest-first met one sent oldest-first).
    const sorted = [...rows].sort(byAssetThenDate);
    const all = (m: EntityManager) => this.upsertChunks(m, sorted);
    // A single chunk is one statement, atomic by itself; several share one transaction.
    return rows.length <= UPSERT_CHUNK ? all(managerOf(this.ds, tx)) : atomically(this.ds, tx, all);
  }

  async lockAssets(assetIds: string[], tx: Tx): Promise<void> {
    const m = managerOf(this.ds, tx);
    for (const id of [...new Set(assetIds)].sort()) {
      await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('daily_returns:' || $1, 0))`, [id]);
    }
  }

  private async upsertChunks(m: EntityManager, rows: ReturnRow[]): Promise<{ inserted: number; updated: number }> {
    let inserted = 0;
    let updated = 0;
    for (let start = 0; start < rows.length; start += UPSERT_CHUNK) {
      const chunk = rows.slice(start, start + UPSERT_CHUNK);
      // Unchanged rows are filtered by the WHERE and return nothing; xmax = 0 marks a fresh insert.
      // Counted in SQL: one row comes back, not one per upserted row.
      const [counts]: Array<{ inserted: number; updated: number }> = await m.query(
        `WITH upserted AS (
           INSERT INTO daily_returns (asset_id, date, return_pct)
           SELECT * FROM unnest($1::text[], $2::date[], $3::numeric[])
           ON CONFLICT (asset_id, date) DO UPDATE SET return_pct = EXCLUDED.return_pct
             WHERE daily_returns.return_pct IS DISTINCT FROM EXCLUDED.return_pct
           RETURNING (xmax = 0) AS inserted)
         SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM upserted`,
        [chunk.map((r) => r.assetId), chunk.map((r) => r.date), chunk.map((r) => r.returnPct)],
      );
      inserted += counts.inserted;
      updated += counts.updated;
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

function byAssetThenDate(a: ReturnRow, b: ReturnRow): number {
  return a.assetId < b.assetId ? -1 : a.assetId > b.assetId ? 1 : a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
}
