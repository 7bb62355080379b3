import type { BreachSeverity } from '../common/severity';
import { Tx } from './transaction-runner';

export type BreachType = 'VAR' | 'DRAWDOWN' | 'POSITION_SIZE';

export interface LimitBreach {
  id: string;
  portfolioId: string;
  breachType: BreachType;
  severity: BreachSeverity;
  /** The limit the figure was compared with, percent of value. */
  limitPercent: number;
  /** The measured figure, percent of value. */
  measuredPercent: number;
  utilization: number;
  detectedAt: Date;
  varResultId: string | null;
}

export abstract class LimitBreachRepository {
  abstract insert(b: LimitBreach, tx?: Tx): Promise<void>;
  /** Newest first, detected_at >= since when given, at most 1000. */
  abstract list(portfolioId: string, since?: Date, tx?: Tx): Promise<LimitBreach[]>;
}
