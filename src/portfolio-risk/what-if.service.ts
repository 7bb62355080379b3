import { Injectable } from '@nestjs/common';
import Big from 'big.js';
import { requirePositions } from '../calculation/portfolio-calculator.service';
import { rejectMonteCarloOnlyFields } from '../calculation/dto/risk-request.dto';
import { CalculationPool } from '../calculation/calculation-pool.service';
import { CachedBook, PortfolioBookCache } from '../calculation/portfolio-book.cache';
import { UnprocessableError } from '../common/errors';
import { formatMoney, parseMoney } from '../common/money';
import { assertPortfolioVisible } from '../common/portfolio-scope';
import { AppConfig } from '../config/app-config';
import { evaluateLimit } from '../limits/limit-evaluator';
import { scaledVarLimit } from '../limits/limits.service';
import { PortfolioRiskInput } from '../math';
import { InsufficientDataError } from '../math/errors';
import { PositionSizeCheckDto, PreTradeMessageDto, WhatIfLimitDto, WhatIfRequestDto, WhatIfResponseDto } from './dto/what-if.dto';
import { currentBook, whatIfBooks, whatIfFrom } from './what-if';

const ZERO = new Big(0);
const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A book's positions by asset id (ordered), their market values parsed, and the key of that asset list. */
function heldBook(positions: ReadonlyArray<{ assetId: string; marketValue: string }>) {
  const values = new Map(positions.map((p) => [p.assetId, new Big(p.marketValue)]));
  const assetIds = [...values.keys()].sort(byId);
  return { values, assetIds, marketValues: assetIds.map((id) => values.get(id)!), assetKey: assetIds.join(',') };
}

/** A value derived from one cache entry, computed once per entry (a rejected promise is not kept). */
function memo<T>(book: CachedBook, key: string, make: () => T): T {
  if (book.memo.has(key)) return book.memo.get(key) as T;
  const value = make();
  book.memo.set(key, value);
  if (value instanceof Promise) value.catch(() => book.memo.delete(key));
  return value;
}

/**
 * What-if of proposed trades on a stored portfolio (docs/api.md "Beyond the original design",
 * docs/math.md "What-if and marginal VaR"): the stored-VaR of the book now and after the trades,
 * the incremental and marginal VaR, and the VaR and position-size limits the new book would meet.
 * Nothing is stored, no event, no alert.
 *
 * REST reads the book and limits afresh (one round trip); the pre-trade check over NATS answers
 * from the per-portfolio cache (PortfolioBookCache.cached: no round trip while nothing changed).
 * Both take the aligned return matrix from the cache. The two books are priced through the
 * calculation pool, which runs them inline while assets × dates stays under INLINE_MAX_WORK (a
 * 10-asset book over 1,000 dates: ≈ 0.1 ms) and on a worker thread, under CALCULATION_TIMEOUT_MS,
 * beyond it and for Monte Carlo.
 */
@Injectable()
export class WhatIfService {
  constructor(
    private readonly books: PortfolioBookCache,
    private readonly pool: CalculationPool,
    private readonly config: AppConfig,
  ) {}

  /** POST /v1/portfolios/:id/what-if (the book and limits read now). */
  whatIf(portfolioId: string, dto: WhatIfRequestDto): Promise<WhatIfResponseDto> {
    assertPortfolioVisible(portfolioId);
    return this.run(portfolioId, dto, () => this.books.load(portfolioId));
  }

  /** NATS risk.pretrade.check (the cached book and limits). */
  preTrade(message: PreTradeMessageDto): Promise<WhatIfResponseDto> {
    const { portfolio_id, ...dto } = message;
    return this.run(portfolio_id, dto, () => this.books.cached(portfolio_id));
  }

  private async run(portfolioId: string, dto: WhatIfRequestDto, read: () => Promise<CachedBook>): Promise<WhatIfResponseDto> {
    const method = dto.method ?? 'historical';
    rejectMonteCarloOnlyFields(method, dto);
    const confidence = dto.confidence ?? 95;
    const horizonDays = dto.horizon_days ?? 1;
    const lookbackDays = dto.lookback_days ?? 252;
    const changes = new Map<string, Big>();
    dto.trades.forEach((t, i) => {
      const amount = parseMoney(t.market_value_change, `trades[${i}].market_value_change`);
      changes.set(t.asset_id, (changes.get(t.asset_id) ?? new Big(0)).plus(amount));
    });
    const book = await read();
    requirePositions(portfolioId, book.snapshot.positions);
    // The held book, parsed and ordered once per entry; trades of held assets (the usual case) keep it as it is.
    const held = memo(book, 'held', () => heldBook(book.snapshot.positions));
    let { assetIds, marketValues, assetKey } = held;
    if (![...changes.keys()].every((id) => held.values.has(id))) {
      assetIds = [...new Set([...assetIds, ...changes.keys()])].sort(byId);
      marketValues = assetIds.map((id) => held.values.get(id) ?? ZERO);
      assetKey = assetIds.join(',');
    }
    const deltas = assetIds.map((id) => changes.get(id) ?? ZERO);
    const books = whatIfBooks(marketValues, deltas, memo(book, `now|${assetKey}`, () => currentBook(marketValues)));
    const { dates, columns } = await this.books.aligned(assetIds, book, lookbackDays);
    const options: Omit<PortfolioRiskInput, 'weights'> = {
      assetReturns: columns,
      method,
      confidence,
      horizonDays,
      simulations: dto.simulations,
      seed: dto.seed,
      distribution: dto.distribution,
    };
    let result;
    try {
      // The current book's figure depends on the entry alone: kept with it (not Monte Carlo's, which draws a seed when none is given).
      // Kept: the figures whatIfFrom reads (not the portfolio returns and statistics of the result).
      const priceNow = async () => {
        const r = await this.pool.portfolio({ ...options, weights: books.now.weights });
        return { varReturn: r.varReturn, varComponents: r.varComponents, monteCarlo: r.monteCarlo };
      };
      const before = method === 'monte_carlo' ? await priceNow() : await memo(book, `before|${assetKey}|${method}|${confidence}|${horizonDays}|${lookbackDays}`, priceNow);
      // The new book's VaR alone (the same figure as its stored VaR, without contributions or CVaR).
      const after = await this.pool.portfolioVar({ ...options, seed: before.monteCarlo?.seed ?? options.seed, weights: books.next.weights });
      result = whatIfFrom(assetIds, books, before, { varReturn: after });
    } catch (err) {
      if (err instanceof InsufficientDataError) throw new UnprocessableError(`${err.message} (the assets share ${dates.length} dates within lookback_days ${lookbackDays})`);
      throw err;
    }
    const varPercent = Math.abs(result.after.varReturn) * 100;
    const limits = book.limits;
    const scaled = scaledVarLimit(limits, horizonDays);
    const evaluation = scaled ? evaluateLimit(varPercent, scaled, this.config.limitThresholds) : null;
    const limit: WhatIfLimitDto = {
      status: evaluation?.status ?? 'ok',
      max_var_percent: limits.maxVarPercent,
      horizon_days: limits.horizonDays,
      scaled_max_var_percent: scaled,
      var_percent: varPercent,
      utilization: evaluation?.utilization ?? null,
      is_default: limits.isDefault,
    };
    const maxPosition = limits.maxPositionSizePercent ?? this.config.defaultLimits.maxPositionSizePercent;
    const newTotal = books.next.total;
    // Position caps compare float64 fractions (docs/math.md): |wᵢ| of the new book, in percent.
    const positionSize: PositionSizeCheckDto[] = assetIds.map((id, i) => {
      const percent = Math.abs(books.next.weights[i]) * 100;
      return { asset_id: id, percent, max_position_size_percent: maxPosition, status: evaluateLimit(percent, maxPosition, this.config.limitThresholds).status };
    });
    return {
      portfolio_id: portfolioId,
      method,
      confidence_level: confidence,
      horizon_days: horizonDays,
      observations: dates.length,
      before: { var_return: result.before.varReturn, var: result.before.var },
      after: { var_return: result.after.varReturn, var: result.after.var },
      incremental_var: result.incrementalVar,
      marginal: result.marginal.map((m) => ({ asset_id: m.assetId, marginal_var_return: m.marginalVarReturn })),
      limit,
      position_size: positionSize,
      portfolio_value_before: formatMoney(books.now.total),
      portfolio_value_after: formatMoney(newTotal),
    };
  }
}
