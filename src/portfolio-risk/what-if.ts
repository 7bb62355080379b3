import Big from 'big.js';
import { InvalidStateError } from '../common/errors';
import { formatMoney, ratioOf, scaleMoney } from '../common/money';
import { marginalVar, portfolioRisk, PortfolioRiskResult, portfolioVarReturn, RiskOptions, Series } from '../math';

export interface WhatIfInput {
  /** Every asset of the current or the new book, in one order. */
  assetIds: readonly string[];
  /** vᵢ now (0 for an asset the book does not hold yet); money. */
  marketValues: readonly Big[];
  /** Δᵢ, the proposed change of each market value (0 for an asset not traded); money. */
  changes: readonly Big[];
  /**
   * Aligned returns, one series per asset in the order of assetIds, on the dates both books are
   * measured on (the "same dates" of docs/math.md "What-if"): every asset has a return on each.
   */
  assetReturns: readonly Series[];
  /** Method, confidence, horizon, and the method's own options (lambda, Monte Carlo). */
  options: RiskOptions;
}

export interface WhatIfVar {
  /** VaR in return terms over the horizon (a loss is negative). */
  varReturn: number;
  /** varReturn × the book's value, 2 places half-even. */
  var: string;
}

export interface WhatIfResult {
  before: WhatIfVar;
  after: WhatIfVar;
  /** after.var − before.var (money). */
  incrementalVar: string;
  /** ∂VaR/∂wᵢ of the current book: its Euler componentᵢ / wᵢ; null for wᵢ = 0 and for filtered_historical. */
  marginal: Array<{ assetId: string; marginalVarReturn: number | null }>;
}

/** Weights wᵢ = vᵢ / Σv of a book whose net value is positive, and that value (Σv when not given). */
function book(values: readonly Big[], label: string, total = values.reduce((acc, v) => acc.plus(v), new Big(0))): { weights: number[]; total: Big } {
  if (total.lte(0)) throw new InvalidStateError(`the ${label} book has a net market value of ${formatMoney(total)}: weights need a positive value`);
  return { weights: values.map((v) => ratioOf(v, total)), total };
}

/**
 * What-if of proposed trades (docs/math.md "What-if and marginal VaR"): the stored-portfolio VaR of
 * the current book (`before`) and of the book after the changes Δᵢ (`after`), by the same method,
 * confidence, horizon and dates; `incrementalVar` = after.var − before.var in money; the marginal
 * VaR of each asset in the current book. Weights are the market-value shares (read from big.js,
 * as for a stored VaR); money stays in big.js. A Monte Carlo what-if simulates both books with the
 * same seed (the one given, else the one drawn for `before`), so the difference is not noise.
 *
 * @throws InvalidStateError (422) when either book's net market value is not positive; the
 *   maths' errors (400 / 422) for bad options or too few dates
 */
export function whatIf(input: WhatIfInput): WhatIfResult {
  const { assetIds, marketValues, changes, assetReturns, options } = input;
  if (marketValues.length !== assetIds.length || changes.length !== assetIds.length || assetReturns.length !== assetIds.length) {
    throw new Error(`whatIf needs one market value, change and return series per asset (${assetIds.length})`);
  }
  const books = whatIfBooks(marketValues, changes);
  const before = portfolioRisk({ ...options, weights: books.now.weights, assetReturns });
  const after = portfolioVarReturn({ ...options, seed: before.monteCarlo?.seed ?? options.seed, weights: books.next.weights, assetReturns });
  return whatIfFrom(assetIds, books, before, { varReturn: after });
}

/**
 * The current book (vᵢ) and the book after the changes (vᵢ + Δᵢ): weights and values; 422 when a
 * net value is not positive. `now`, when given, is the current book already computed (a cache).
 */
export function whatIfBooks(marketValues: readonly Big[], changes: readonly Big[], now?: WhatIfBooks['now']): WhatIfBooks {
  const current = now ?? currentBook(marketValues);
  // Decimal addition is exact: an untraded position keeps its value, and Σ(vᵢ + Δᵢ) = Σvᵢ + ΣΔᵢ.
  let traded = new Big(0);
  const next = marketValues.map((v, i) => {
    if (changes[i].eq(0)) return v;
    traded = traded.plus(changes[i]);
    return v.plus(changes[i]);
  });
  return { now: current, next: book(next, 'new', current.total.plus(traded)) };
}

/** The weights and net value of the current book (422 when the value is not positive). */
export function currentBook(marketValues: readonly Big[]): WhatIfBooks['now'] {
  return book(marketValues, 'current');
}

export interface WhatIfBooks {
  now: { weights: number[]; total: Big };
  next: { weights: number[]; total: Big };
}

/**
 * The what-if answer from the risk of both books (`before` of books.now, `after` of books.next,
 * computed by the caller with the same options: inline by `whatIf`, or on the worker pool).
 */
export function whatIfFrom(assetIds: readonly string[], books: WhatIfBooks, before: Pick<PortfolioRiskResult, 'varReturn' | 'varComponents'>, after: Pick<PortfolioRiskResult, 'varReturn'>): WhatIfResult {
  const money = (varReturn: number, total: Big): WhatIfVar => ({ varReturn, var: formatMoney(scaleMoney(varReturn, total)) });
  const b = money(before.varReturn, books.now.total);
  const a = money(after.varReturn, books.next.total);
  const marginal = before.varComponents === null ? assetIds.map(() => null) : marginalVar(books.now.weights, before.varComponents);
  return {
    before: b,
    after: a,
    incrementalVar: formatMoney(new Big(a.var).minus(b.var)),
    marginal: assetIds.map((assetId, i) => ({ assetId, marginalVarReturn: marginal[i] })),
  };
}
