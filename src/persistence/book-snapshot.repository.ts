import { Portfolio } from './portfolio.repository';
import { Position } from './position.repository';
import { RiskLimit } from './risk-limit.repository';

/** What a stored-portfolio calculation reads about its portfolio, in one snapshot. */
export interface BookSnapshot {
  portfolioId: string;
  portfolio: Portfolio;
  /** Ordered by asset_id (as PositionRepository.findByPortfolio). */
  positions: Position[];
  /** The series version of each held asset ('0' for an asset never ingested). */
  versions: Map<string, string>;
  /** The limit version in force at `at` (null: none stored, the configured defaults apply). */
  limit: RiskLimit | null;
  /** The effective date of the next stored limit version after `at` (null: none scheduled). */
  nextLimitAt: Date | null;
  /** The database's clock when read. */
  at: Date;
}

export abstract class BookSnapshotRepository {
  /**
   * The book, the assets' series versions and the limit in force of one portfolio, read in ONE
   * statement (one round trip, one snapshot); null when the portfolio does not exist.
   */
  abstract load(portfolioId: string): Promise<BookSnapshot | null>;
}
