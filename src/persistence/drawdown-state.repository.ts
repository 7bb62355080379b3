import { Tx } from './transaction-runner';

export type DrawdownStatus = 'ok' | 'warning' | 'high' | 'critical';

export interface DrawdownState {
  portfolioId: string;
  peakValue: string;
  peakAt: Date;
  currentValue: string;
  currentAt: Date;
  maxDrawdown: number;
  status: DrawdownStatus;
  updatedAt: Date;
}

export abstract class DrawdownStateRepository {
  abstract get(portfolioId: string, tx?: Tx, forUpdate?: boolean): Promise<DrawdownState | null>;
  /** Upsert on portfolio_id; updated_at = now(). */
  abstract save(s: DrawdownState, tx?: Tx): Promise<void>;
}
