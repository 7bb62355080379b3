import type { Level } from '../common/severity';
import { Tx } from './transaction-runner';

export interface Contribution {
  asset_id: string;
  weight: number;
  component_var_return: number;
  component_var: string;
}

export interface LimitCheck {
  max_var_percent: number | null;
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
  valueReturn: number;
  /** numeric, decimal text */
  value: string;
  /** numeric, decimal text */
  portfolioValue: string;
  observations: number;
  /** YYYY-MM-DD */
  fromDate: string | null;
  /** YYYY-MM-DD */
  toDate: string | null;
  contributions: Contribution[];
  limitCheck: LimitCheck | null;
  correlationId: string | null;
  calculatedAt: Date;
}

export abstract class VarResultRepository {
  abstract insert(r: VarResult, tx?: Tx): Promise<void>;
  /** Newest first (calculated_at DESC, then id), at most `limit`, calculated_at >= since when given. */
  abstract history(portfolioId: string, opts: { since?: Date; limit: number }, tx?: Tx): Promise<VarResult[]>;
}
