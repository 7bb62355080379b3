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
}

export abstract class ReturnsRepository {
  /**
   * Idempotent upsert on (asset_id, date): one statement per 50,000 rows, all chunks in one
   * transaction (`tx`, or its own). An unchanged row counts as neither inserted nor updated.
   * Duplicate (asset_id, date) pairs within one call are rejected by PostgreSQL.
   */
  abstract upsert(rows: ReturnRow[], tx?: Tx): Promise<{ inserted: number; updated: number }>;
  /**
   * Serialises writers of these assets' series until `tx` ends (a transaction-scoped advisory lock
   * per asset, taken in sorted order so that two writers of several assets cannot deadlock). Rows
   * are also written sorted by (asset_id, date), so concurrent batches lock rows in one order.
   */
  abstract lockAssets(assetIds: string[], tx: Tx): Promise<void>;
  /** Each asset's series ascending by date (assets without rows are absent from the map). */
  abstract getSeries(assetIds: string[], tx?: Tx): Promise<Map<string, ReturnSeries>>;
}
