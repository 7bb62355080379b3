import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DrawdownEpisodeDto, VolatilityDto } from './analytics-response.dto';

export class StatisticsDto {
  @ApiProperty({ example: 1859 }) count!: number;
  @ApiProperty({ example: 0.000861, description: 'Arithmetic mean of the returns' }) mean!: number;
  @ApiProperty({ example: 0.009232, description: 'Sample standard deviation (n − 1)' }) std_dev!: number;
  @ApiProperty({ example: -0.5329, description: 'm3 / m2^1.5, central moments over n (scipy default)' }) skewness!: number;
  @ApiProperty({ example: 5.2034, description: 'm4 / m2² − 3 (scipy default)' }) excess_kurtosis!: number;
  @ApiProperty({ example: -0.0804 }) min!: number;
  @ApiProperty({ example: 0.0509 }) max!: number;
}

export class MonteCarloInfoDto {
  @ApiProperty({ example: 10000 }) simulations!: number;
  @ApiProperty({ example: 42, description: 'The seed used: send it back to reproduce the figure bit for bit.' }) seed!: number;
  @ApiProperty({ example: 'normal', enum: ['normal', 'bootstrap'] }) distribution!: string;
  @ApiProperty({ example: 0.0002, description: 'Monte Carlo standard error of var_return: √(α(1−α)/N) / f(Q), f the normal density fitted to the simulated sample.' })
  standard_error!: number;
}

export class RiskResponseDto {
  @ApiPropertyOptional({ example: 'desk-7' }) portfolio_id?: string;
  @ApiPropertyOptional({ example: 'EQUITY' }) asset_class?: string;
  @ApiProperty({ example: 'historical' }) method!: string;
  @ApiProperty({ example: 95, description: 'Percent' }) confidence_level!: number;
  @ApiProperty({ example: 1 }) horizon_days!: number;
  @ApiProperty({ example: 'none', enum: ['none', 'sqrt_time', 'mean_variance', 'simulated'] }) scaling!: string;
  @ApiProperty({ example: -0.013884, description: 'VaR in return terms (negative = loss)' }) var_return!: number;
  @ApiProperty({ example: '-13884.42', description: 'var_return × portfolio_value, 2 places, half-even' }) var!: string;
  @ApiPropertyOptional({ example: -0.021232, description: '/v1/cvar only: expected shortfall in return terms' }) cvar_return?: number;
  @ApiPropertyOptional({ example: '-21232.14', description: '/v1/cvar only' }) cvar?: string;
  @ApiProperty({ example: '1000000.00' }) portfolio_value!: string;
  @ApiProperty({ type: StatisticsDto }) statistics!: StatisticsDto;
  @ApiPropertyOptional({ type: MonteCarloInfoDto }) monte_carlo?: MonteCarloInfoDto;
  @ApiPropertyOptional({ type: VolatilityDto, description: 'ewma and filtered_historical only' }) volatility?: VolatilityDto;
  @ApiPropertyOptional({ example: '50000.00' }) risk_limit?: string;
  @ApiPropertyOptional({ example: false, description: '|var| > risk_limit' }) risk_limit_breached?: boolean;
  @ApiProperty({ example: '2026-11-25T08:00:00.000Z' }) calculated_at!: string;
  @ApiProperty({ example: '2026-11-25T08:15:00.000Z', description: 'calculated_at + RESULT_TTL_SECONDS (default 15 min)' }) expires_at!: string;
}

export class DrawdownResponseDto {
  @ApiProperty({ example: 0.2291, description: 'Deepest fall from a running peak, positive fraction' }) max_drawdown!: number;
  @ApiProperty({ example: 675 }) peak_index!: number;
  @ApiProperty({ example: 965 }) trough_index!: number;
  @ApiProperty({ example: 1145, nullable: true, type: Number }) recovery_index!: number | null;
  @ApiProperty({ example: 0.0875 }) current_drawdown!: number;
  @ApiProperty({ example: 18 }) current_drawdown_periods!: number;
  @ApiProperty({ example: 469 }) longest_drawdown_periods!: number;
  @ApiProperty({ example: 1860, description: 'Points of the equity curve (n + 1 when given n returns)' }) count!: number;
  @ApiPropertyOptional({ example: 0.071, description: '√(mean DD_t²)' }) ulcer_index?: number;
  @ApiPropertyOptional({ example: '1994-01-31', description: 'With `dates`: the date of peak_index' }) peak_date?: string;
  @ApiPropertyOptional({ example: '1995-03-09', description: 'With `dates`: the date of trough_index' }) trough_date?: string;
  @ApiPropertyOptional({ example: '1995-11-15', nullable: true, type: String, description: 'With `dates`: the date of recovery_index (null when not recovered)' }) recovery_date?: string | null;
  @ApiPropertyOptional({ type: [DrawdownEpisodeDto], description: 'With `top`: the N deepest non-overlapping episodes, deepest first; the first is the max drawdown' })
  drawdowns?: DrawdownEpisodeDto[];
  @ApiPropertyOptional({ type: [Number], example: [0, 0, 0.0577, 0.0865, 0.0288, 0, 0.0374], description: 'With `underwater: true`: DD_t of every curve point' })
  underwater?: number[];
}

export class LrTestDto {
  @ApiProperty({ example: 10.98 }) lr!: number;
  @ApiProperty({ example: 0.00092 }) p_value!: number;
}

export class BacktestResponseDto {
  @ApiProperty({ example: 1609 }) observations!: number;
  @ApiProperty({ example: 31 }) exceptions!: number;
  @ApiProperty({ example: 16.09 }) expected_exceptions!: number;
  @ApiProperty({ type: LrTestDto, description: 'Kupiec proportion of failures, χ²(1)' }) kupiec!: LrTestDto;
  @ApiProperty({ type: LrTestDto, description: 'Christoffersen independence, χ²(1)' }) christoffersen!: LrTestDto;
  @ApiProperty({ type: LrTestDto, description: 'Conditional coverage = Kupiec + independence, χ²(2)' }) conditional_coverage!: LrTestDto;
  @ApiProperty({ example: 'green', nullable: true, enum: ['green', 'yellow', 'red'], description: 'Basel, last 250 observations; defined at 99 % only (null otherwise)' })
  traffic_light!: 'green' | 'yellow' | 'red' | null;
  @ApiProperty({ example: 3 }) exceptions_last_250!: number;
  @ApiProperty({ example: { n00: 1549, n01: 28, n10: 28, n11: 3 } }) transitions!: Record<string, number>;
  @ApiProperty({ example: 99 }) confidence_level!: number;
  @ApiProperty({ type: [Number], example: [285, 341, 402], description: '0-based indices into the request’s `returns` of the exceptions r_t < VaR_t' }) exception_indices!: number[];
  @ApiPropertyOptional({ type: [String], example: ['1992-02-18', '1992-05-11', '1992-08-06'], description: 'With `dates`: the date of each exception' }) exception_dates?: string[];
}

export class PositionSizeResponseDto {
  @ApiProperty({ example: 'fixed_fractional' }) method!: string;
  @ApiProperty({ example: 0.1, description: 'Position notional / equity after caps' }) fraction!: number;
  @ApiProperty({ example: '100000.00', description: 'fraction × equity (decimal)' }) notional!: string;
  @ApiPropertyOptional({ example: 2000, description: 'Whole units (fixed_fractional)' }) units?: number;
  @ApiProperty({ example: 'position_limit', nullable: true, enum: ['position_limit', 'leverage'] }) capped_by!: 'position_limit' | 'leverage' | null;
  @ApiProperty({ example: 0.25, description: 'Fraction before caps' }) uncapped_fraction!: number;
  @ApiPropertyOptional({ example: 10, description: 'The position cap applied (percent of equity), from the request or the portfolio limit' }) max_position_size_percent?: number;
  @ApiPropertyOptional({ example: 1 }) max_leverage?: number;
  @ApiPropertyOptional({ example: { risk_per_unit: 2, uncapped_units: 5000 }, description: 'Method inputs as used (e.g. estimated win_probability / win_loss_ratio, kelly f*, daily σ)' })
  details?: Record<string, number>;
}
