import { Injectable } from '@nestjs/common';
import Big from 'big.js';
import { align, requirePositions } from '../calculation/portfolio-calculator.service';
import { InvalidStateError, NotFoundError, UnprocessableError, ValidationError } from '../common/errors';
import { formatMoney, ratioOf } from '../common/money';
import { compoundedReturn, historicalScenarioReturns, portfolioReturns, shockReturns, worstWindow } from '../math';
import { InsufficientDataError } from '../math/errors';
import { PortfolioRepository, PositionRepository } from '../persistence/repositories';
import { ReturnSeriesCache } from '../persistence/return-series.cache';
import { StressRequestDto, StressResponseDto, StressScenarioDto, StressScenarioResultDto } from './dto/stress.dto';
import { stressPnl } from './stress-pnl';

/** The book a stress test is run on: its positions (order of the answer), values and stored returns. */
interface StressBook {
  ids: string[];
  values: Big[];
  total: Big;
  /** Each asset's own stored history (loaded only when a scenario needs returns). */
  series?: Array<{ dates: string[]; values: Float64Array }>;
  /** The aligned history and its portfolio returns, computed once for every worst_window scenario. */
  aligned?: { dates: string[]; columns: Float64Array[]; portfolio: Float64Array };
}

/**
 * Stress scenarios on a stored portfolio (docs/api.md "Beyond the original design", docs/math.md
 * "Stress scenarios"): hypothetical shocks, a historical date range, the worst k-day window of the
 * book's own aligned history. The returns come from src/math/stress.ts, the money from
 * stress-pnl.ts. Nothing is stored and no event is published: a stress test is a question, not a
 * record.
 */
@Injectable()
export class StressService {
  constructor(
    private readonly portfolios: PortfolioRepository,
    private readonly positions: PositionRepository,
    private readonly series: ReturnSeriesCache,
  ) {}

  async stress(portfolioId: string, dto: StressRequestDto): Promise<StressResponseDto> {
    checkScenarios(dto.scenarios);
    if (!(await this.portfolios.findById(portfolioId))) throw new NotFoundError(`portfolio ${portfolioId} not found`);
    const book = await this.book(portfolioId, dto.scenarios.some((s) => s.type !== 'shock'));
    const scenarios = dto.scenarios.map((s, k) => scenario(book, s, `scenarios[${k}]`));
    return { portfolio_id: portfolioId, portfolio_value: formatMoney(book.total), scenarios };
  }

  private async book(portfolioId: string, needsReturns: boolean): Promise<StressBook> {
    const positions = await this.positions.findByPortfolio(portfolioId);
    requirePositions(portfolioId, positions);
    const ids = positions.map((p) => p.assetId);
    const values = positions.map((p) => new Big(p.marketValue));
    const total = values.reduce((acc, v) => acc.plus(v), new Big(0));
    if (total.lte(0)) throw new InvalidStateError(`portfolio ${portfolioId} has a net market value of ${formatMoney(total)}: a stress P&L return needs a positive value`);
    if (!needsReturns) return { ids, values, total };
    const loaded = await this.series.getSeries(ids);
    const missing = ids.filter((id) => !loaded.has(id));
    if (missing.length) throw new UnprocessableError(`no returns stored for ${missing.join(', ')}: PUT /v1/assets/{asset_id}/returns first (historical and worst_window scenarios need them)`);
    return { ids, values, total, series: ids.map((id) => loaded.get(id)!) };
  }
}

/** Names unique, `from` not after `to`: checked before anything is read (400 naming the field). */
function checkScenarios(scenarios: StressScenarioDto[]): void {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  scenarios.forEach((s, k) => {
    const first = seen.get(s.name);
    if (first !== undefined) problems.push(`scenarios[${k}].name repeats scenarios[${first}].name (${s.name}): names must be unique`);
    else seen.set(s.name, k);
    if (s.type === 'historical' && s.from! > s.to!) problems.push(`scenarios[${k}].to (${s.to}) must not be before from (${s.from})`);
  });
  if (problems.length) throw new ValidationError(problems);
}

function scenario(book: StressBook, s: StressScenarioDto, field: string): StressScenarioResultDto {
  const { returns, from, to } = scenarioReturns(book, s, field);
  const p = stressPnl(book.ids, book.values, returns);
  return {
    name: s.name,
    type: s.type,
    ...(from === undefined ? {} : { from, to }),
    ...(s.type === 'worst_window' ? { days: s.days } : {}),
    pnl: p.pnl,
    pnl_return: p.pnlReturn,
    assets: p.assets.map((a) => ({ asset_id: a.assetId, return: a.return, pnl: a.pnl })),
  };
}

/** Rᵢ of one scenario (docs/math.md "Stress scenarios"), with the dates it covers; 422 naming the scenario's field. */
function scenarioReturns(book: StressBook, s: StressScenarioDto, field: string): { returns: Float64Array; from?: string; to?: string } {
  switch (s.type) {
    case 'shock': {
      const unknown = Object.keys(s.shocks!).filter((id) => !book.ids.includes(id));
      if (unknown.length) {
        throw new UnprocessableError(unknown.slice(0, 20).map((id) => `${field}.shocks.${id}: the portfolio holds no asset ${id}`));
      }
      return { returns: shockReturns(book.ids, s.shocks!) };
    }
    case 'historical': {
      const histories = book.series!.map((h) => ({ dates: h.dates, returns: h.values }));
      try {
        return { returns: historicalScenarioReturns(histories, s.from!, s.to!), from: s.from, to: s.to };
      } catch (err) {
        const i = err instanceof InsufficientDataError ? /^asset_returns\[(\d+)\]$/.exec(err.field ?? '')?.[1] : undefined;
        if (i === undefined) throw err;
        throw new UnprocessableError(`${field} (${s.name}): ${book.ids[Number(i)]} has no stored return from ${s.from} to ${s.to}; every asset of the book needs one`);
      }
    }
    case 'worst_window': {
      const { dates, columns, portfolio } = alignedHistory(book);
      const k = s.days!;
      if (dates.length < k) {
        throw new UnprocessableError(`${field}.days: the assets of the book share ${dates.length} dates, fewer than the ${k}-day window asked for`);
      }
      const w = worstWindow(portfolio, k);
      const returns = Float64Array.from(columns, (col) => compoundedReturn(col, w.start, w.end + 1));
      return { returns, from: dates[w.start], to: dates[w.end] };
    }
  }
}

/** The aligned portfolio returns on every date all assets share (no lookback cut), weights as for stored VaR; once per request. */
function alignedHistory(book: StressBook): NonNullable<StressBook['aligned']> {
  if (!book.aligned) {
    const { dates, columns } = align(book.series!, Infinity);
    const weights = book.values.map((v) => ratioOf(v, book.total));
    book.aligned = { dates, columns, portfolio: portfolioReturns(weights, columns) };
  }
  return book.aligned;
}
