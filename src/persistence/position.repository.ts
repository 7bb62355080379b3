import { Tx } from './transaction-runner';

export interface Position {
  assetId: string;
  /** Decimal text; negative for a short position. */
  marketValue: string;
}

export abstract class PositionRepository {
  /**
   * Deletes the book and writes the given one (one multi-row insert, rows in asset order),
   * atomically: in `tx`, or in its own transaction. Concurrent replacements of one book must be
   * serialised by the caller (PortfolioRepository.lock in the same transaction), or their rows mix.
   */
  abstract replaceBook(portfolioId: string, positions: Position[], tx?: Tx): Promise<void>;
  /** Ordered by asset_id. */
  abstract findByPortfolio(portfolioId: string, tx?: Tx): Promise<Position[]>;
  /** The books of every portfolio, in one query: portfolio id → positions ordered by asset_id (a portfolio without positions is absent). */
  abstract findAllBooks(tx?: Tx): Promise<Map<string, Position[]>>;
}
