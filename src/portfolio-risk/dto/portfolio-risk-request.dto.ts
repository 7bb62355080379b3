import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDateString, IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { MC_DISTRIBUTIONS, VAR_METHODS, VarMethod } from '../../calculation/dto/risk-request.dto';
import { ID_MESSAGE, ID_PATTERN } from '../../common/ids';

export class PortfolioRiskRequestDto {
  @ApiPropertyOptional({
    enum: VAR_METHODS,
    default: 'historical',
    description:
      'Applied to the portfolio return r_p. ewma: z·σ_{n+1} of the zero-mean RiskMetrics EWMA volatility, contributions by the Euler rule on the EWMA ' +
      'covariance; filtered_historical: σ_{n+1} × the type-7 quantile of the EWMA-standardised r_p (needs ⌈100/(100−c)⌉ aligned dates), no contributions (null).',
  })
  @IsOptional() @IsIn(VAR_METHODS)
  method?: VarMethod;
  @ApiPropertyOptional({
    example: 0.94,
    default: 0.94,
    description: 'ewma and filtered_historical only (400 with another method): EWMA decay λ, 0 < λ < 1. σ²_1 is the mean square of the first min(30, n) aligned portfolio returns.',
  })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'lambda must be a number greater than 0 and less than 1 (e.g. 0.94)' })
  lambda?: number;
  @ApiPropertyOptional({ example: 99, default: 95, description: 'Percent, 50 < c < 100' })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'confidence must be a number (a percentage, e.g. 95)' })
  confidence?: number;
  @ApiPropertyOptional({ example: 1, default: 1 }) @IsOptional() @IsInt({ message: 'horizon_days must be an integer number of periods' }) @Min(1) @Max(250) horizon_days?: number;
  @ApiPropertyOptional({ example: 252, default: 252, description: 'The newest N aligned dates are used' }) @IsOptional() @IsInt() @Min(2) @Max(100_000) lookback_days?: number;
  @ApiPropertyOptional({ example: 10000, description: 'monte_carlo only (at most 200,000 for a stored portfolio)' }) @IsOptional() @IsInt() @Min(1) @Max(200_000) simulations?: number;
  @ApiPropertyOptional({ example: 42, description: 'monte_carlo only' }) @IsOptional() @IsInt() @Min(0) @Max(4294967295) seed?: number;
  @ApiPropertyOptional({ enum: MC_DISTRIBUTIONS, description: 'monte_carlo only' }) @IsOptional() @IsIn(MC_DISTRIBUTIONS) distribution?: 'normal' | 'bootstrap';
}

export class HistoryQueryDto {
  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z' }) @IsOptional() @IsDateString({ strict: true }) since?: string;
  @ApiPropertyOptional({ example: 100, default: 100, maximum: 1000 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
}

/** NATS risk.portfolio.var: the REST body plus the portfolio id. */
export class PortfolioVarMessageDto extends PortfolioRiskRequestDto {
  @IsString() @Matches(ID_PATTERN, { message: `portfolio_id ${ID_MESSAGE}` })
  portfolio_id!: string;

  @IsOptional() @IsIn(['var', 'cvar'])
  kind?: 'var' | 'cvar';
}

/** GET /v1/portfolios/:id/returns. */
export class PortfolioReturnsQueryDto {
  @ApiPropertyOptional({ example: 252, default: 252, maximum: 100000, description: 'The newest N aligned dates, as lookback_days of POST …/var' })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'lookback_days must be an integer number of dates' }) @Min(1) @Max(100_000)
  lookback_days?: number;
}
