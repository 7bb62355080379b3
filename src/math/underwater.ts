import { walkEquityCurve, walkReturnsCurve } from './drawdown';
import { Series } from './types';

/**
 * The underwater series (docs/math.md "Drawdown"): [DD_0 … DD_n] with DD_t = 1 − V_t / max_{s≤t} V_s,
 * positive depths (0.22 = 22 % below the running peak), DD_0 = 0. The same walk as drawdownStats,
 * so max(underwater) is its max_drawdown to the bit.
 *
 * @param values equity curve V_0..V_n: at least 1 value, each finite and > 0 (not mutated)
 * @returns a new array of n + 1 depths
 */
export function underwater(values: Series): Float64Array {
  const dd = new Float64Array(values.length);
  walkEquityCurve(values, (t, d) => (dd[t] = d));
  return dd;
}

/**
 * The underwater series of the curve V_0 = 1, V_t = V_{t−1}(1 + r_t) built from simple returns
 * (docs/math.md "Drawdown"): n + 1 depths, index t after the t-th return; the same walk as
 * drawdownFromReturns (no overflow on long series).
 *
 * @param returns at least 1 simple return, each finite and > −1 (not mutated)
 */
export function underwaterFromReturns(returns: Series): Float64Array {
  const dd = new Float64Array(returns.length + 1);
  walkReturnsCurve(returns, (t, d) => (dd[t] = d));
  return dd;
}
