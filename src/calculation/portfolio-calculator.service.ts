import { Injectable } from '@nestjs/common';
import Big from 'big.js';
import { InvalidStateError, NotFoundError, UnprocessableError } from '../common/errors';
import { formatMoney, scaleMoney } from '../common/money';
import { PortfolioRiskResult, portfolioReturns, VarMethod } from '../math';
import { InsufficientDataError } from '../math/errors';
import { CalculationMetrics } from '../observability/calculation-metrics.service';
import { CvarContribution, Portfolio, Position, VarContribution } from '../persistence/models';
import { PortfolioRepository, PositionRepository } from '../persistence/repositories';
import { ReturnSeriesCache } from '../persistence/return-series.cache';
import { CalculationPool } from './calculation-pool.service';

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
    private readonly portfolios: PortfolioRepository,
    private readonly positions: PositionRepository,
    private readonly series: ReturnSeriesCache,
    private readonly metrics: CalculationMetrics,
    private readonly pool: CalculationPool,
  ) {}

  async compute(portfolioId: string, req: PortfolioRiskRequest): Promise<PortfolioRiskComputation> {
    const { portfolio, positions, total, weights, ids, dates, columns } = await this.alignedBook(portfolioId, req.lookbackDays);
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
    return { portfolio, positions, portfolioValue: total, weights, dates, result, varContributions, cvarContributions };
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
    const portfolio = await this.portfolios.findById(portfolioId);
    if (!portfolio) throw new NotFoundError(`portfolio ${portfolioId} not found`);
    const positions = await this.positions.findByPortfolio(portfolioId);
    if (positions.length === 0) throw new UnprocessableError(`portfolio ${portfolioId} has no positions: PUT /v1/portfolios/${portfolioId}/positions first`);
    const total = positions.reduce((acc, p) => acc.plus(p.marketValue), new Big(0));
    if (total.lte(0)) throw new InvalidStateError(`portfolio ${portfolioId} has a net market value of ${formatMoney(total)}: weights need a positive value`);
    const weights = positions.map((p) => Number(new Big(p.marketValue).div(total)));
    const ids = positions.map((p) => p.assetId);
    const loaded = await this.series.getSeries(ids);
    const missing = ids.filter((id) => !loaded.has(id));
    if (missing.length) throw new UnprocessableError(`no returns stored for ${missing.join(', ')}: PUT /v1/assets/{asset_id}/returns first`);
    const { dates, columns } = align(ids.map((id) => loaded.get(id)!), lookback);
    return { portfolio, positions, total, weights, ids, dates, columns };
  }
}

/** Dates on which every series has a value, ascending; the newest `lookback` of them. */
export function align(series: Array<{ dates: string[]; values: Float64Array }>, lookback: number): { dates: string[]; columns: Float64Array[] } {
  const index = series.map((s) => new Map(s.dates.map((d, i) => [d, i])));
  const shortest = series.reduce((a, b) => (b.dates.length < a.dates.length ? b : a));
  const common = shortest.dates.filter((d) => index.every((m) => m.has(d)));
  const dates = common.slice(Math.max(0, common.length - lookback));
  const columns = series.map((s, k) => {
    const col = new Float64Array(dates.length);
    dates.forEach((d, t) => (col[t] = s.values[index[k].get(d)!]));
    return col;
  });
  return { dates, columns };
}
