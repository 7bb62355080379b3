import { Tx } from './transaction-runner';

export interface ReturnRow {
  assetId: string;
  /** YYYY-MM-DD */
  date: string;
  /** Decimal text exactly as received (a fraction: 0.0012 = +0.12 %). */
  returnPct: string;
}

export interface ReturnSeries {
  /** YYYY-MM-DD, ascending. */
  dates: string[];
  values: Float64Array;
  /** The asset's series version when read (asset_series_versions; '0' when it has none). */
  version: string;
}

export interface UpsertCounts {
  inserted: number;
  updated: number;
}

export abstract class ReturnsRepository {
  /**
   * Idempotent upsert on (asset_id, date): one statement per 50,000 rows, all chunks in one
   * transaction (`tx`, or its own). An unchanged row counts as neither inserted nor updated.
   * Duplicate (asset_id, date) pairs within one call are rejected by PostgreSQL. Bumps the series
   * version of every asset with a changed row, in the same statement. Answers the counts of each
   * asset of `rows` (zeros for an asset whose rows were all unchanged).
   */
  abstract upsertByAsset(rows: ReturnRow[], tx?: Tx): Promise<Map<string, UpsertCounts>>;

  /** upsertByAsset, counted over all assets. */
  async upsert(rows: ReturnRow[], tx?: Tx): Promise<UpsertCounts> {
    let inserted = 0;
    let updated = 0;
    for (const c of (await this.upsertByAsset(rows, tx)).values()) {
      inserted += c.inserted;
      updated += c.updated;
    }
    return { inserted, updated };
  }

  /**
   * Serialises writers of these assets' series until `tx` ends (a transaction-scoped advisory lock
   * per asset, taken in sorted order so that two writers of several assets cannot deadlock). Rows
   * are also written sorted by (asset_id, date), so concurrent batches lock rows in one order.
   */
  abstract lockAssets(assetIds: string[], tx: Tx): Promise<void>;

  /** Each asset's series ascending by date, with its version, read in one snapshot (assets without rows are absent). */
  abstract getSeries(assetIds: string[], tx?: Tx): Promise<Map<string, ReturnSeries>>;
  /** The current series version of each asset ('0' for an asset never ingested). */
  abstract versions(assetIds: string[], tx?: Tx): Promise<Map<string, string>>;
}
