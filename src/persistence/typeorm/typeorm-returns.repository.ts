import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ReturnRow, ReturnSeries, ReturnsRepository, UpsertCounts } from '../returns.repository';
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

  async upsertByAsset(rows: ReturnRow[], tx?: Tx): Promise<Map<string, UpsertCounts>> {
    if (rows.length === 0) return new Map();
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

  private async upsertChunks(m: EntityManager, rows: ReturnRow[]): Promise<Map<string, UpsertCounts>> {
    const counts = new Map<string, UpsertCounts>();
    for (const r of rows) if (!counts.has(r.assetId)) counts.set(r.assetId, { inserted: 0, updated: 0 });
    for (let start = 0; start < rows.length; start += UPSERT_CHUNK) {
      const chunk = rows.slice(start, start + UPSERT_CHUNK);
      // Unchanged rows are filtered by the WHERE and return nothing; xmax = 0 marks a fresh insert.
      // Counted in SQL: one row per changed asset comes back, not one per upserted row. The series
      // version of every asset with a changed row is bumped by the same statement (so in the same transaction).
      const changed: Array<{ asset_id: string; inserted: number; updated: number }> = await m.query(
        `WITH upserted AS (
           INSERT INTO daily_returns (asset_id, date, return_pct)
           SELECT * FROM unnest($1::text[], $2::date[], $3::numeric[])
           ON CONFLICT (asset_id, date) DO UPDATE SET return_pct = EXCLUDED.return_pct
             WHERE daily_returns.return_pct IS DISTINCT FROM EXCLUDED.return_pct
           RETURNING asset_id, (xmax = 0) AS inserted),
         bumped AS (
           INSERT INTO asset_series_versions (asset_id) SELECT DISTINCT asset_id FROM upserted
           ON CONFLICT (asset_id) DO UPDATE SET version = asset_series_versions.version + 1, updated_at = now())
         SELECT asset_id, count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated
           FROM upserted GROUP BY asset_id`,
        [chunk.map((r) => r.assetId), chunk.map((r) => r.date), chunk.map((r) => r.returnPct)],
      );
      for (const c of changed) {
        const total = counts.get(c.asset_id)!;
        total.inserted += c.inserted;
        total.updated += c.updated;
      }
    }
    return counts;
  }

  async getSeries(assetIds: string[], tx?: Tx): Promise<Map<string, ReturnSeries>> {
    const out = new Map<string, ReturnSeries>();
    if (assetIds.length === 0) return out;
    const rows: Array<{ asset_id: string; dates: string[]; values: string[]; version: string }> = await managerOf(this.ds, tx).query(
      `SELECT d.asset_id, array_agg(to_char(d.date, 'YYYY-MM-DD') ORDER BY d.date) AS dates,
              array_agg(d.return_pct::text ORDER BY d.date) AS values, coalesce(max(v.version), 0)::text AS version
         FROM daily_returns d LEFT JOIN asset_series_versions v ON v.asset_id = d.asset_id
        WHERE d.asset_id = ANY($1::text[]) GROUP BY d.asset_id`,
      [assetIds],
    );
    for (const r of rows) {
      const values = new Float64Array(r.values.length);
      for (let i = 0; i < values.length; i++) values[i] = Number(r.values[i]);
      out.set(r.asset_id, { dates: r.dates, values, version: r.version });
    }
    return out;
  }

  async versions(assetIds: string[], tx?: Tx): Promise<Map<string, string>> {
    const out = new Map<string, string>(assetIds.map((id) => [id, '0']));
    if (assetIds.length === 0) return out;
    const rows: Array<{ asset_id: string; version: string }> = await managerOf(this.ds, tx).query(
      'SELECT asset_id, version::text AS version FROM asset_series_versions WHERE asset_id = ANY($1::text[])',
      [assetIds],
    );
    for (const r of rows) out.set(r.asset_id, r.version);
    return out;
  }
}

function byAssetThenDate(a: ReturnRow, b: ReturnRow): number {
  return a.assetId < b.assetId ? -1 : a.assetId > b.assetId ? 1 : a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
}
