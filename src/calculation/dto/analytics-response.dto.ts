import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** `volatility` of an ewma or filtered_historical answer. */
export class VolatilityDto {
  @ApiProperty({ example: 0.94, description: 'EWMA decay λ used' }) lambda!: number;
  @ApiProperty({ example: 0.016058, description: 'σ_{n+1}: the one-period EWMA volatility forecast (zero mean), a fraction; not scaled to the horizon' })
  sigma_forecast!: number;
}

/** One drawdown episode of POST /v1/drawdown with `top`. */
export class DrawdownEpisodeDto {
  @ApiProperty({ example: 675, description: 'Index where the running maximum was set (or met again) before the fall' }) peak_index!: number;
  @ApiProperty({ example: 965, description: 'First index reaching the episode’s depth' }) trough_index!: number;
  @ApiProperty({ example: 1145, nullable: true, type: Number, description: 'First index back at or above the peak value; null while still below' }) recovery_index!: number | null;
  @ApiProperty({ example: 0.2291, description: 'Largest drawdown of the episode, a positive fraction' }) depth!: number;
  @ApiProperty({ example: 290, description: 'trough_index − peak_index (periods)' }) length!: number;
  @ApiProperty({ example: 180, nullable: true, type: Number, description: 'recovery_index − trough_index; null when not recovered' }) recovery_periods!: number | null;
  @ApiPropertyOptional({ example: '1994-01-31', description: 'With `dates`' }) peak_date?: string;
  @ApiPropertyOptional({ example: '1995-03-09', description: 'With `dates`' }) trough_date?: string;
  @ApiPropertyOptional({ example: '1995-11-15', nullable: true, type: String, description: 'With `dates`; null when not recovered' }) recovery_date?: string | null;
}

export class PerformanceResponseDto {
  @ApiProperty({ example: 1859 }) count!: number;
  @ApiProperty({ example: 3.5744, description: 'Π(1 + r_t) − 1' }) cumulative_return!: number;
  @ApiProperty({ example: 0.2289, description: '(1 + cumulative)^(P/n) − 1' }) annualized_return!: number;
  @ApiProperty({ example: 0.1466, description: 'σ(r)·√P, σ over n − 1' }) annualized_volatility!: number;
  @ApiProperty({ example: 1.4803, nullable: true, type: Number, description: 'mean(a)/σ(a)·√P, a_t = r_t − rf/P; null when σ(a) = 0' }) sharpe!: number | null;
  @ApiProperty({ example: 2.1453, nullable: true, type: Number, description: 'mean(a)·P / (√(mean(min(a_t, 0)²))·√P); null when no a_t < 0' }) sortino!: number | null;
  @ApiProperty({ example: 0.9992, nullable: true, type: Number, description: 'annualized_return / max_drawdown; null when the curve never falls' }) calmar!: number | null;
  @ApiProperty({ example: 0.2291, description: 'Of the curve V_0 = 1, V_t = V_{t−1}(1 + r_t), a positive fraction' }) max_drawdown!: number;
  @ApiProperty({ example: 0.0509 }) best_period!: number;
  @ApiProperty({ example: -0.0804 }) worst_period!: number;
  @ApiProperty({ example: 0.566, nullable: true, type: Number, description: 'Share of r_t > 0 among r_t ≠ 0; null when every return is 0' }) win_rate!: number | null;
  @ApiProperty({ example: 252 }) periods_per_year!: number;
  @ApiProperty({ example: 0 }) risk_free_rate!: number;
}

export class RollingVarResponseDto {
  @ApiProperty({ example: 250 }) window!: number;
  @ApiProperty({ example: 99, description: 'Percent' }) confidence_level!: number;
  @ApiProperty({ example: 'historical', description: 'Type-7 quantile of each window (each value equals POST /v1/var with that window, bit for bit)' }) method!: string;
  @ApiProperty({ type: [Number], example: [-0.0252, -0.0252, -0.0249], description: 'n − window + 1 one-period VaRs in return terms (negative = loss), oldest window first' })
  var_returns!: number[];
  @ApiPropertyOptional({ type: [String], example: ['1992-06-12', '1992-06-15', '1992-06-16'], description: 'With `dates`: the last date of each window' })
  dates?: string[];
}
