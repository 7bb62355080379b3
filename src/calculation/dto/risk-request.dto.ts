import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsIsoDateArray } from '../../common/date-array';
import { IsDecimalAmount } from '../../common/money';
import { ValidationError } from '../../common/errors';
import { VAR_METHODS, VarMethod } from '../../math/types';
import { NumericArray } from '../../common/numeric-array';

/** Every VaR method, accepted wherever a method is (stateless, stored, risk runs, NATS): docs/math.md. */
export { VAR_METHODS, type VarMethod } from '../../math/types';
export const MC_DISTRIBUTIONS = ['normal', 'bootstrap'] as const;
export const ASSET_CLASSES = ['EQUITY', 'FIXED_INCOME', 'FX', 'COMMODITY', 'CREDIT', 'CRYPTO', 'DERIVATIVES', 'MULTI_ASSET', 'OTHER'] as const;
const MONEY_EXAMPLE = '1000000';

/** simulations / seed / distribution sent with another method are refused rather than silently ignored. */
export function rejectMonteCarloOnlyFields(method: string, dto: { simulations?: unknown; seed?: unknown; distribution?: unknown }): void {
  if (method === 'monte_carlo') return;
  const stray = (['simulations', 'seed', 'distribution'] as const).filter((f) => dto[f] !== undefined);
  if (stray.length > 0) throw new ValidationError(stray.map((f) => `${f} applies to method monte_carlo only`));
}

/** `lambda` sent with a method without a volatility model is refused rather than silently ignored. */
export function rejectVolatilityOnlyFields(method: string, dto: { lambda?: unknown }): void {
  if (method !== 'ewma' && method !== 'filtered_historical' && dto.lambda !== undefined) {
    throw new ValidationError('lambda applies to methods ewma and filtered_historical only');
  }
}

/** Confidence as a percentage. 0 < c ≤ 1 gets its own message in the maths layer ("confidence is a percentage, e.g. 95"). */
export class ConfidenceField {
  @ApiPropertyOptional({ description: 'Confidence level as a **percentage**, 50 < c < 100 (0.95 is rejected: write 95).', example: 99, default: 95 })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'confidence must be a number (a percentage, e.g. 95)' })
  confidence?: number;
}

/** Body of POST /v1/var and /v1/cvar. */
export class RiskRequestDto extends ConfidenceField {
  @ApiProperty({
    description: 'Simple period returns as fractions (0.012 = +1.2 %), oldest first; each finite and > −1. At most 1,000,000 (more is 413).',
    type: [Number],
    example: [0.0012, -0.0231, 0.0045, -0.0102, 0.0087],
  })
  @NumericArray({ greaterThan: -1, hint: '(a simple return of −100 % or worse is not a return)' })
  returns!: Float64Array;

  @ApiPropertyOptional({
    enum: VAR_METHODS,
    default: 'historical',
    description:
      'historical: type-7 quantile; parametric: Gaussian μ + zσ; cornish_fisher: modified VaR; monte_carlo: simulated; ' +
      'ewma: z·σ_{n+1} of the zero-mean RiskMetrics EWMA volatility; filtered_historical: σ_{n+1} × the quantile of the EWMA-standardised returns.',
  })
  @IsOptional() @IsIn(VAR_METHODS)
  method?: VarMethod;

  @ApiPropertyOptional({
    description: 'ewma and filtered_historical only: EWMA decay λ, 0 < λ < 1 (RiskMetrics daily 0.94). σ²_1 is the mean square of the first min(30, n) returns; σ²_{t+1} = λσ²_t + (1 − λ)r_t².',
    example: 0.94,
    default: 0.94,
  })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'lambda must be a number greater than 0 and less than 1 (e.g. 0.94)' })
  lambda?: number;

  @ApiPropertyOptional({ description: 'Positive decimal (string preferred; a number is read through its shortest decimal text). Default "1", so var equals var_return.', example: MONEY_EXAMPLE, default: '1', oneOf: [{ type: 'string' }, { type: 'number' }] })
  @IsOptional() @IsDecimalAmount()
  portfolio_value?: string | number;

  @ApiPropertyOptional({ description: 'Horizon in periods, integer 1..250.', example: 1, default: 1, minimum: 1, maximum: 250 })
  @IsOptional() @IsInt({ message: 'horizon_days must be an integer number of periods' }) @Min(1) @Max(250)
  horizon_days?: number;

  @ApiPropertyOptional({ description: 'monte_carlo only: number of simulated paths, 1..1,000,000.', example: 10000, default: 10000 })
  @IsOptional() @IsInt() @Min(1) @Max(1_000_000)
  simulations?: number;

  @ApiPropertyOptional({ description: 'monte_carlo only: PRNG seed, integer 0..4294967295. The same seed and input give the same figure bit for bit; when absent one is drawn and returned.', example: 42 })
  @IsOptional() @IsInt() @Min(0) @Max(4294967295)
  seed?: number;

  @ApiPropertyOptional({ enum: MC_DISTRIBUTIONS, default: 'normal', description: 'monte_carlo only: normal (μ, σ fitted) or bootstrap (history resampled with replacement).' })
  @IsOptional() @IsIn(MC_DISTRIBUTIONS)
  distribution?: (typeof MC_DISTRIBUTIONS)[number];

  @ApiPropertyOptional({ description: 'Optional label echoed back.', example: 'desk-7', maxLength: 128 })
  @IsOptional() @IsString() @MaxLength(128)
  portfolio_id?: string;

  @ApiPropertyOptional({ enum: ASSET_CLASSES, description: 'Optional label (also a metrics label, hence a closed list).', example: 'EQUITY' })
  @IsOptional() @IsIn(ASSET_CLASSES)
  asset_class?: (typeof ASSET_CLASSES)[number];

  @ApiPropertyOptional({ description: 'Optional money amount: the answer says whether |var| exceeds it.', example: '50000' })
  @IsOptional() @IsDecimalAmount()
  risk_limit?: string | number;
}

export class DrawdownRequestDto {
  @ApiPropertyOptional({ description: 'Equity curve V_0..V_n, each finite and > 0. Exactly one of values / returns.', type: [Number], example: [100, 104, 98, 95, 101, 107, 103] })
  @NumericArray({ greaterThan: 0, optional: true })
  values?: Float64Array;

  @ApiPropertyOptional({ description: 'Simple returns; the curve is V_0 = 1, V_t = V_{t−1}(1 + r_t). Exactly one of values / returns.', type: [Number] })
  @NumericArray({ greaterThan: -1, optional: true, hint: '(a simple return of −100 % or worse is not a return)' })
  returns?: Float64Array;

  @ApiPropertyOptional({ description: 'Also answer `drawdowns`: the N deepest non-overlapping episodes, deepest first (ties: the earlier peak), N ≤ 20.', example: 5, minimum: 1, maximum: 20 })
  @IsOptional() @IsInt({ message: 'top must be an integer' }) @Min(1) @Max(20)
  top?: number;

  @ApiPropertyOptional({ description: 'Also answer `underwater`: the drawdown DD_t of every curve point [DD_0 … DD_n] (DD_0 = 0).', example: true, default: false })
  @IsOptional() @IsBoolean({ message: 'underwater must be true or false' })
  underwater?: boolean;

  @ApiPropertyOptional({
    description:
      'Optional YYYY-MM-DD date of each CURVE point (values.length dates, or returns.length + 1 with returns: V_0 = 1 stands before the first return); adds peak_date / trough_date / recovery_date next to each index.',
    type: [String],
    example: ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08', '2024-01-09'],
  })
  @IsOptional() @IsIsoDateArray()
  dates?: string[];
}

export const BACKTEST_METHODS = ['historical', 'parametric', 'cornish_fisher'] as const;

export class BacktestRequestDto {
  @ApiProperty({ description: 'Realised returns, oldest first.', type: [Number] })
  @NumericArray({ greaterThan: -1, hint: '(a simple return of −100 % or worse is not a return)' })
  returns!: Float64Array;

  @ApiPropertyOptional({ description: 'Your own VaR forecasts in return terms (negative = loss), one per return. When given, method and window are not used.', type: [Number] })
  @NumericArray({ optional: true })
  var_forecasts?: Float64Array;

  @ApiPropertyOptional({ description: 'Confidence as a percentage. The Basel traffic light is defined at 99 only.', example: 99, default: 99 })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'confidence must be a number (a percentage, e.g. 99)' })
  confidence?: number;

  @ApiPropertyOptional({ enum: BACKTEST_METHODS, default: 'historical', description: 'Rolling forecast method: VaR_t from the `window` returns before t (t excluded).' })
  @IsOptional() @IsIn(BACKTEST_METHODS)
  method?: (typeof BACKTEST_METHODS)[number];

  @ApiPropertyOptional({ description: 'Rolling window length (returns before each forecast), 2..100000.', example: 250, default: 250 })
  @IsOptional() @IsInt() @Min(2) @Max(100_000)
  window?: number;

  @ApiPropertyOptional({ description: 'Optional YYYY-MM-DD date of each return (as many as returns): the answer then adds `exception_dates`.', type: [String] })
  @IsOptional() @IsIsoDateArray()
  dates?: string[];
}

export const SIZING_METHODS = ['fixed_fractional', 'kelly', 'volatility_target'] as const;
export type SizingMethod = (typeof SIZING_METHODS)[number];

export class PositionSizeRequestDto {
  @ApiProperty({ enum: SIZING_METHODS, example: 'fixed_fractional' })
  @IsIn(SIZING_METHODS)
  method!: SizingMethod;

  @ApiProperty({ description: 'Account equity, positive decimal.', example: '1000000' })
  @IsDecimalAmount()
  equity!: string | number;

  @ApiPropertyOptional({ description: "Stored portfolio whose max_position_size_percent limit caps the result.", example: 'desk-7' })
  @IsOptional() @IsString() @MaxLength(128) @Matches(/^[A-Za-z0-9._:-]+$/, { message: 'portfolio_id may contain letters, digits and . _ : - only' })
  portfolio_id?: string;

  @ApiPropertyOptional({ description: 'Cap on the position as a percentage of equity (overrides the portfolio limit), 0 < p ≤ 1000.', example: 10 })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(Number.MIN_VALUE, { message: 'max_position_size_percent must be greater than 0' }) @Max(1000)
  max_position_size_percent?: number;

  @ApiPropertyOptional({ description: 'Cap on notional / equity. Default 1.', example: 1, default: 1 })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(Number.MIN_VALUE, { message: 'max_leverage must be greater than 0' }) @Max(100)
  max_leverage?: number;

  @ApiPropertyOptional({ description: 'fixed_fractional: share of equity risked between entry and stop, 0 < f ≤ 1.', example: 0.01 })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(Number.MIN_VALUE, { message: 'risk_fraction must be greater than 0' }) @Max(1)
  risk_fraction?: number;

  @ApiPropertyOptional({ description: 'fixed_fractional: entry price, positive decimal.', example: '50.00' })
  @IsOptional() @IsDecimalAmount()
  entry_price?: string | number;

  @ApiPropertyOptional({ description: 'fixed_fractional: stop price, positive decimal ≠ entry_price.', example: '48.00' })
  @IsOptional() @IsDecimalAmount()
  stop_price?: string | number;

  @ApiPropertyOptional({ description: 'kelly: probability of a winning trade, 0 ≤ p ≤ 1.', example: 0.55 })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1)
  win_probability?: number;

  @ApiPropertyOptional({ description: 'kelly: average win / average loss, > 0.', example: 1.5 })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(Number.MIN_VALUE, { message: 'win_loss_ratio must be greater than 0' })
  win_loss_ratio?: number;

  @ApiPropertyOptional({ description: 'kelly: past trade P&L fractions from which win_probability and win_loss_ratio are estimated (instead of giving them).', type: [Number] })
  @NumericArray({ optional: true, greaterThan: -1, hint: '(a trade cannot lose more than 100 %)' })
  trade_returns?: Float64Array;

  @ApiPropertyOptional({ description: 'kelly: share of the Kelly fraction used, 0 < m ≤ 1. Default 0.5 (half Kelly).', example: 0.5, default: 0.5 })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(Number.MIN_VALUE, { message: 'kelly_multiplier must be greater than 0' }) @Max(1)
  kelly_multiplier?: number;

  @ApiPropertyOptional({ description: 'volatility_target: target annualised volatility as a fraction (0.10 = 10 %), 0 < v ≤ 10.', example: 0.1 })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(Number.MIN_VALUE, { message: 'target_annual_vol must be greater than 0' }) @Max(10)
  target_annual_vol?: number;

  @ApiPropertyOptional({ description: 'volatility_target: returns (≥ 2) from which the daily σ (n − 1) is estimated …', type: [Number] })
  @NumericArray({ optional: true, greaterThan: -1, hint: '(a simple return of −100 % or worse is not a return)' })
  returns?: Float64Array;

  @ApiPropertyOptional({ description: '… or the daily volatility itself, 0 < σ ≤ 10.', example: 0.012 })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(Number.MIN_VALUE, { message: 'daily_volatility must be greater than 0' }) @Max(10)
  daily_volatility?: number;

  @ApiPropertyOptional({ description: 'volatility_target: periods per year for annualising. Default 252.', example: 252, default: 252 })
  @IsOptional() @IsInt() @Min(1) @Max(100_000)
  periods_per_year?: number;
}
