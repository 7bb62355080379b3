import type { Level } from '../common/severity';
import { Tx } from './transaction-runner';

/** A drawdown state is a level of the one severity scale (common/severity.ts). */
export type DrawdownStatus = Level;

export interface DrawdownState {
  portfolioId: string;
  /** Money, decimal text. */
  peakValue: string;
  peakAt: Date;
  /** Money, decimal text. */
  currentValue: string;
  /** Time of the last NAV update applied. */
  currentAt: Date;
  maxDrawdown: number;
  status: DrawdownStatus;
  updatedAt: Date;
  /**
   * Optimistic locking. Read: the stored version. Written: the version the caller read (save
   * fails with StaleVersionError if the row moved on), 0 for "must not exist yet", or absent
   * for an unconditional upsert (callers holding the row lock: get(id, tx, true)).
   */
  version?: number;
}

export abstract class DrawdownStateRepository {
  /** forUpdate (with a tx) locks the row until the transaction ends. */
  abstract get(portfolioId: string, tx?: Tx, forUpdate?: boolean): Promise<DrawdownState | null>;
  /** Writes the state (updated_at = now()) and answers its new version; see DrawdownState.version. */
  abstract save(s: DrawdownState, tx?: Tx): Promise<number>;
}
