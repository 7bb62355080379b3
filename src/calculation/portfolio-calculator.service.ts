import { Injectable } from '@nestjs/common';
import Big from 'big.js';
import { InvalidStateError, UnprocessableError } from '../common/errors';
import { formatMoney, ratioOf, scaleMoney } from '../common/money';
import { PortfolioRiskResult, portfolioReturns, VarMethod } from '../math';
import { InsufficientDataError } from '../math/errors';
import { EffectiveLimits } from '../limits/limits.service';
import { CalculationMetrics } from '../observability/calculation-metrics.service';
import { CvarContribution, Portfolio, Position, VarContribution } from '../persistence/models';
import { CalculationPool } from './calculation-pool.service';
import { PortfolioBookCache } from './portfolio-book.cache';

export interface PortfolioRiskRequest {
  /** Any method; filtered_historical has no Euler contributions (docs/math.md "Volatility-model VaR"). */
  method: VarMethod;
  confidence: number;
  horizonDays: number;
  lookbackDays: number;
  simulations?: number;
  seed?: number;
  distribution?: 'normal' | 'bootstrap';
  /** ewma and filtered_historical: the EWMA decay (default 0.94). */
  lambda?: number;
}

export interface PortfolioRiskComputation {
  portfolio: Portfolio;
  /** The limits in force when the book was read (same snapshot). */
  limits: EffectiveLimits;
  positions: Position[];
  portfolioValue: Big;
  weights: number[];
  dates: string[];
  result: PortfolioRiskResult;
  /** null for filtered_historical (no Euler allocation). */
  varContributions: VarContribution[] | null;
  cvarContributions: CvarContribution[] | null;
}

/** The aligned portfolio return series of a stored book (oldest first), with the weights that made it. */
export interface PortfolioReturnSeries {
  assetIds: string[];
  weights: number[];
  dates: string[];
  returns: Float64Array;
}

/**
 * Risk of a stored portfolio: weights from market values, portfolio returns over the dates on
 * which every held asset has a return (the newest `lookbackDays` of them), Euler contributions.
 */
@Injectable()
export class PortfolioCalculator {
  constructor(
    private readonly books: PortfolioBookCache,
    private readonly metrics: CalculationMetrics,
    private readonly pool: CalculationPool,
  ) {}

  async compute(portfolioId: string, req: PortfolioRiskRequest): Promise<PortfolioRiskComputation> {
    const { portfolio, limits, positions, total, weights, ids, dates, columns } = await this.alignedBook(portfolioId, req.lookbackDays);
    let result: PortfolioRiskResult;
    try {
      result = await this.metrics.measureAsync(req.method, 'portfolio', () =>
        this.pool.portfolio({
          weights,
          assetReturns: columns,
          confidence: req.confidence,
          method: req.method,
          horizonDays: req.horizonDays,
          simulations: req.simulations,
          seed: req.seed,
          distribution: req.distribution,
          lambda: req.lambda,
        }),
      );
    } catch (err) {
      if (err instanceof InsufficientDataError) {
        throw new UnprocessableError(`${err.message} (the assets share ${dates.length} dates within lookback_days ${req.lookbackDays})`);
      }
      throw err;
    }
    const money = (x: number) => formatMoney(scaleMoney(x, total));
    const { varComponents: vc, cvarComponents: cc } = result;
    const varContributions = vc && ids.map((id, i) => ({ asset_id: id, weight: weights[i], component_var_return: vc[i], component_var: money(vc[i]) }));
    const cvarContributions = cc && ids.map((id, i) => ({ asset_id: id, weight: weights[i], component_cvar_return: cc[i], component_cvar: money(cc[i]) }));
    return { portfolio, limits, positions, portfolioValue: total, weights, dates, result, varContributions, cvarContributions };
  }

  /**
   * The portfolio return series the calculations use: r_p,t = Σ wᵢ rᵢ,t over the book's aligned
   * dates, the newest `lookbackDays` of them (GET /v1/portfolios/:id/returns). Same errors as compute
   * for an unknown portfolio, an empty or non-positive book and missing returns; no minimum of dates.
   */
  async returnSeries(portfolioId: string, lookbackDays: number): Promise<PortfolioReturnSeries> {
    const { ids, weights, dates, columns } = await this.alignedBook(portfolioId, lookbackDays);
    return { assetIds: ids, weights, dates, returns: portfolioReturns(weights, columns) };
  }

  /** The book, its market-value weights and the aligned return columns of its assets (newest `lookback` dates). */
  private async alignedBook(portfolioId: string, lookback: number) {
    // One round trip for the book (and the series versions); the aligned matrix from the cache when the versions match.
    const book = await this.books.load(portfolioId);
    const { portfolio, positions } = book.snapshot;
    requirePositions(portfolioId, positions);
    const total = positions.reduce((acc, p) => acc.plus(p.marketValue), new Big(0));
    if (total.lte(0)) throw new InvalidStateError(`portfolio ${portfolioId} has a net market value of ${formatMoney(total)}: weights need a positive value`);
    const weights = positions.map((p) => ratioOf(new Big(p.marketValue), total));
    const ids = positions.map((p) => p.assetId);
    const { dates, columns } = await this.books.aligned(ids, book, lookback);
    return { portfolio, limits: book.limits, positions, total, weights, ids, dates, columns };
  }
}

/** 422 for a book without positions (stored VaR / CVaR, what-if, pre-trade check, stress). */
export function requirePositions(portfolioId: string, positions: readonly unknown[]): void {
  if (positions.length === 0) throw new UnprocessableError(`portfolio ${portfolioId} has no positions: PUT /v1/portfolios/${portfolioId}/positions first`);
}

export { align } from './portfolio-book.cache';
