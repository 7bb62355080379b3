import type { Level } from '../common/severity';
import { NewOutboxEvent } from './outbox.repository';
import { Tx } from './transaction-runner';

/** One asset's Euler allocation of a VaR result: the returns sum to var_return. */
export interface VarContribution {
  asset_id: string;
  weight: number;
  component_var_return: number;
  component_var: string;
}

/** One asset's Euler allocation of a CVaR result: the returns sum to cvar_return. */
export interface CvarContribution {
  asset_id: string;
  weight: number;
  component_cvar_return: number;
  component_cvar: string;
}

export type Contribution = VarContribution | CvarContribution;

export interface LimitCheck {
  max_var_percent: number | null;
  /** The horizon max_var_percent is meant over (the limit's horizon_days). */
  horizon_days: number;
  /** max_var_percent × √(result horizon / limit horizon): what var_percent is compared with. */
  scaled_max_var_percent: number | null;
  var_percent: number;
  utilization: number | null;
  /** On the one scale: ok, warning, high, critical (a breach is high or critical). */
  status: Level;
  confidence_level?: number;
  is_default?: boolean;
}

export interface VarResult {
  id: string;
  portfolioId: string;
  kind: 'VAR' | 'CVAR';
  method: string;
  confidenceLevel: number;
  horizonDays: number;
  scaling: string;
  /**
   * The VaR of the calculation, both kinds (null only for CVaR results stored before the
   * analyst-vocabulary migration, which kept the CVaR alone).
   */
  varReturn: number | null;
  /** numeric, decimal text */
  var: string | null;
  /** CVaR results only. */
  cvarReturn: number | null;
  /** numeric, decimal text; CVaR results only. */
  cvar: string | null;
  /** numeric, decimal text */
  portfolioValue: string;
  observations: number;
  /** YYYY-MM-DD */
  fromDate: string | null;
  /** YYYY-MM-DD */
  toDate: string | null;
  /** VarContribution for VaR results, CvarContribution for CVaR results; null for filtered_historical (no Euler allocation). */
  contributions: Contribution[] | null;
  /** ewma and filtered_historical: the EWMA decay λ used; null for the other methods. */
  lambda: number | null;
  /** ewma and filtered_historical: σ_{n+1} of the portfolio return (one period); null for the other methods. */
  sigmaForecast: number | null;
  limitCheck: LimitCheck | null;
  correlationId: string | null;
  calculatedAt: Date;
  /** The risk run that stored it (one result per portfolio and run); null for a single calculation. */
  runId: string | null;
}

export abstract class VarResultRepository {
  /** A second result of one portfolio in one risk run throws DuplicateKeyError. */
  abstract insert(r: VarResult, tx?: Tx): Promise<void>;
  /**
   * `r` and its outbox `events` in ONE statement (its own transaction, no BEGIN / COMMIT round
   * trips), under the portfolio's row lock as TransactionRunner.run would take it, and only while
   * what the caller assessed `r` against still holds: the limit version in force at r.calculatedAt
   * is `expect.limitId` (null: none stored) and, when `expect.noOpenAlert` names an alert type, no
   * alert of that type is open. Answers false, writing nothing, when either does not hold or the
   * portfolio is gone.
   */
  abstract insertIfUnchanged(r: VarResult, events: NewOutboxEvent[], expect: { limitId: string | null; noOpenAlert: string | null }): Promise<boolean>;
  /** Newest first (calculated_at DESC, then id), at most `limit`, calculated_at >= since when given. */
  abstract history(portfolioId: string, opts: { since?: Date; limit: number }, tx?: Tx): Promise<VarResult[]>;
}
