import { Injectable } from '@nestjs/common';
import Big from 'big.js';
import { InvalidStateError, UnprocessableError } from '../common/errors';
import { formatMoney, scaleMoney } from '../common/money';
import { EulerFigures, EulerVarMethod, PortfolioRiskResult } from '../math';
import { InsufficientDataError } from '../math/errors';
import { CalculationMetrics } from '../observability/calculation-metrics.service';
import { CvarContribution, Portfolio, Position, VarContribution } from '../persistence/models';
import { CalculationPool } from './calculation-pool.service';
import { PortfolioBookCache } from './portfolio-book.cache';

export interface PortfolioRiskRequest {
  /** A method with Euler contributions (a stored result lists them; filtered_historical has none). */
  method: EulerVarMethod;
  confidence: number;
  horizonDays: number;
  lookbackDays: number;
  simulations?: number;
  seed?: number;
  distribution?: 'normal' | 'bootstrap';
}

export interface PortfolioRiskComputation {
  portfolio: Portfolio;
  positions: Position[];
  portfolioValue: Big;
  weights: number[];
  dates: string[];
  result: PortfolioRiskResult & EulerFigures;
  varContributions: VarContribution[];
  cvarContributions: CvarContribution[];
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
    // One round trip for the book (and the series versions); the aligned matrix from the cache when the versions match.
    const book = await this.books.load(portfolioId);
    const positions = book.snapshot.positions;
    if (positions.length === 0) throw new UnprocessableError(`portfolio ${portfolioId} has no positions: PUT /v1/portfolios/${portfolioId}/positions first`);
    const total = positions.reduce((acc, p) => acc.plus(p.marketValue), new Big(0));
    if (total.lte(0)) throw new InvalidStateError(`portfolio ${portfolioId} has a net market value of ${formatMoney(total)}: weights need a positive value`);
    const weights = positions.map((p) => Number(new Big(p.marketValue).div(total)));
    const ids = positions.map((p) => p.assetId);
    const { dates, columns } = await this.books.aligned(ids, book, req.lookbackDays);
    let result: PortfolioRiskResult & EulerFigures;
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
        }),
      );
    } catch (err) {
      if (err instanceof InsufficientDataError) {
        throw new UnprocessableError(`${err.message} (the assets share ${dates.length} dates within lookback_days ${req.lookbackDays})`);
      }
      throw err;
    }
    const money = (x: number) => formatMoney(scaleMoney(x, total));
    const varContributions = ids.map((id, i) => ({ asset_id: id, weight: weights[i], component_var_return: result.varComponents[i], component_var: money(result.varComponents[i]) }));
    const cvarContributions = ids.map((id, i) => ({ asset_id: id, weight: weights[i], component_cvar_return: result.cvarComponents[i], component_cvar: money(result.cvarComponents[i]) }));
    return { portfolio: book.snapshot.portfolio, positions, portfolioValue: total, weights, dates, result, varContributions, cvarContributions };
  }
}

export { align } from './portfolio-book.cache';
