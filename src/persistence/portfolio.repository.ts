import { Tx } from './transaction-runner';

export interface Portfolio {
  id: string;
  name: string;
  baseCurrency: string;
  createdAt: Date;
  updatedAt: Date;
}

export abstract class PortfolioRepository {
  /** Throws DuplicateKeyError (a ConflictError: 409) when the id exists. */
  abstract create(p: { id: string; name: string; baseCurrency: string }, tx?: Tx): Promise<Portfolio>;
  abstract findById(id: string, tx?: Tx): Promise<Portfolio | null>;
  /** Ordered by id. */
  abstract list(tx?: Tx): Promise<Portfolio[]>;
  /** updated_at = now(). */
  abstract touch(id: string, tx?: Tx): Promise<void>;
  /** Locks the portfolio row for the transaction (serialises writes of its results, alerts and drawdown); false if absent. */
  abstract lock(id: string, tx: Tx): Promise<boolean>;
}
