import Big from 'big.js';
import { InvalidStateError } from '../common/errors';
import { formatMoney, scaleMoney } from '../common/money';
import { Series } from '../math';

/** Decimal places of the P&L return's division (big.js' default of 20 would cut a small ratio short). */
const RATIO = Big();
RATIO.DP = 40;

export interface StressAssetPnl {
  assetId: string;
  /** Rᵢ, the scenario return of the asset (float64). */
  return: number;
  /** vᵢRᵢ in money, 2 places half-even. */
  pnl: string;
}

export interface StressPnl {
  /** Σ vᵢRᵢ of the unrounded terms, then rounded to cents half-even. */
  pnl: string;
  /** The unrounded total / Σ vᵢ (float64). */
  pnlReturn: number;
  assets: StressAssetPnl[];
}

/**
 * The P&L of a stress scenario in money (docs/math.md "Stress scenarios"): per asset vᵢRᵢ rounded to
 * cents half-even; the total as the sum of the unrounded terms, then rounded (so it may differ from
 * the sum of the rounded lines by a cent per asset); `pnlReturn` = unrounded total / Σ vᵢ. Money
 * stays in big.js (each float Rᵢ enters through its shortest decimal text); the returns come from
 * src/math/stress.ts.
 *
 * @param assetIds the book's assets
 * @param marketValues vᵢ, one per asset (short positions negative); Σ vᵢ must be positive
 * @param returns Rᵢ, one per asset, finite
 * @throws InvalidStateError (422) when the book's net market value is not positive
 */
export function stressPnl(assetIds: readonly string[], marketValues: readonly Big[], returns: Series): StressPnl {
  if (marketValues.length !== assetIds.length || returns.length !== assetIds.length) {
    throw new Error(`stressPnl needs one market value and one return per asset (${assetIds.length}), got ${marketValues.length} and ${returns.length}`);
  }
  const value = marketValues.reduce((acc, v) => acc.plus(v), new Big(0));
  if (value.lte(0)) throw new InvalidStateError(`the book has a net market value of ${formatMoney(value)}: a stress P&L return needs a positive value`);
  let total = new Big(0);
  const assets = assetIds.map((assetId, i) => {
    const term = scaleMoney(returns[i], marketValues[i]);
    total = total.plus(term);
    return { assetId, return: returns[i], pnl: formatMoney(term) };
  });
  return { pnl: formatMoney(total), pnlReturn: Number(new RATIO(total).div(value)), assets };
}
