import { Tx } from './transaction-runner';

export interface RiskLimit {
  id: string;
  portfolioId: string;
  maxVarPercent: number | null;
  maxDrawdownPercent: number | null;
  maxPositionSizePercent: number | null;
  confidenceLevel: number;
  /** The horizon max_var_percent is meant over, days (1 unless set). */
  horizonDays: number;
  effectiveDate: Date;
  createdAt: Date;
  createdBy: string | null;
}

export abstract class RiskLimitRepository {
  abstract addVersion(l: RiskLimit, tx?: Tx): Promise<void>;
  /** The version with the latest effective_date ≤ at (ties: the latest created). */
  abstract findInForce(portfolioId: string, at: Date, tx?: Tx): Promise<RiskLimit | null>;
  /**
   * Locks the portfolio row (FOR UPDATE, until `tx` ends) and reads the version in force at `at`
   * and whether the portfolio has an alert of `alertType` that is not resolved, in one statement;
   * null when the portfolio does not exist.
   */
  abstract lockPortfolioFindInForce(portfolioId: string, at: Date, alertType: string, tx: Tx): Promise<{ limit: RiskLimit | null; openAlert: boolean } | null>;
  /** Every version, effective_date DESC, created_at DESC. */
  abstract history(portfolioId: string, tx?: Tx): Promise<RiskLimit[]>;
  /**
   * What identifies the portfolio's set of versions: their number and the newest created_at (the
   * table is append-only, so a new version always changes it). One index-only aggregate: what a
   * cache of the history compares, inside the reader's transaction, before trusting its copy.
   */
  abstract stamp(portfolioId: string, tx?: Tx): Promise<string>;
}
