import { DrawdownStatus } from './drawdown-state.repository';
import { Tx } from './transaction-runner';

export interface DrawdownEvent {
  id: string;
  portfolioId: string;
  fromStatus: DrawdownStatus;
  toStatus: DrawdownStatus;
  drawdown: number;
  value: string;
  at: Date;
}

export abstract class DrawdownEventRepository {
  abstract insert(e: DrawdownEvent, tx?: Tx): Promise<void>;
  /** Newest first, at most 1000. */
  abstract list(portfolioId: string, tx?: Tx): Promise<DrawdownEvent[]>;
}
