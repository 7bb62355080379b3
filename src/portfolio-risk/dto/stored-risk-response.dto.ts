import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LEVELS } from '../../common/severity';
import { VolatilityDto } from '../../calculation/dto/analytics-response.dto';
import { MonteCarloInfoDto } from '../../calculation/dto/risk-response.dto';

/** One asset's Euler allocation: of the VaR in a VaR result, of the CVaR in a CVaR result. */
export class ContributionDto {
  @ApiProperty({ example: 'SMI' }) asset_id!: string;
  @ApiProperty({ example: 0.6, description: 'Market-value share of the book' }) weight!: number;
  @ApiPropertyOptional({ example: -0.011482, description: 'VaR results: the component in return terms; the components sum to var_return' }) component_var_return?: number;
  @ApiPropertyOptional({ example: '-11482.31', description: 'VaR results: component_var_return × portfolio_value, 2 places' }) component_var?: string;
  @ApiPropertyOptional({ example: -0.016304, description: 'CVaR results: the component in return terms; the components sum to cvar_return' }) component_cvar_return?: number;
  @ApiPropertyOptional({ example: '-16304.12', description: 'CVaR results: component_cvar_return × portfolio_value, 2 places' }) component_cvar?: string;
}

/**
 * The VaR of the result against max_var_percent of the limit version in force. A CVaR result
 * carries the same comparison of its VaR, for information: breaches are raised on VaR results.
 */
export class LimitCheckDto {
  @ApiProperty({ example: 5, nullable: true, type: Number, description: 'The limit in force, percent of value over its horizon_days; null: no VaR limit' }) max_var_percent!: number | null;
  @ApiProperty({ example: 1, description: 'The horizon max_var_percent is meant over, days (the limit\'s, not the result\'s)' }) horizon_days!: number;
  @ApiProperty({ example: 5, nullable: true, type: Number, description: 'max_var_percent × √(result horizon_days / limit horizon_days): what var_percent is compared with (equal to max_var_percent when the horizons match); null: no VaR limit' }) scaled_max_var_percent!: number | null;
  @ApiProperty({ example: 1.71, description: '|var_return| in percent of value (a CVaR result compares its VaR too: limits are VaR limits)' }) var_percent!: number;
  @ApiProperty({ example: 0.342, nullable: true, type: Number, description: 'var_percent / scaled_max_var_percent, a fraction' }) utilization!: number | null;
  @ApiProperty({ example: 'ok', enum: LEVELS, description: 'The one status scale: ok, warning (an alert, no breach), high or critical (a breach)' }) status!: string;
  @ApiPropertyOptional({ example: 95, description: 'Confidence (percent) the limit is meant at' }) confidence_level?: number;
  @ApiPropertyOptional({ example: false, description: 'true when the configured default limits applied' }) is_default?: boolean;
}

/** A stored VaR or CVaR result of a portfolio (POST …/var, POST …/cvar, GET …/var-history). */
export class StoredRiskResponseDto {
  @ApiProperty({ example: '9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a' }) id!: string;
  @ApiProperty({ example: 'desk-7' }) portfolio_id!: string;
  @ApiProperty({ example: 'var', enum: ['var', 'cvar'] }) kind!: string;
  @ApiProperty({ example: 'historical' }) method!: string;
  @ApiProperty({ example: 99, description: 'Percent' }) confidence_level!: number;
  @ApiProperty({ example: 1 }) horizon_days!: number;
  @ApiProperty({ example: 'none', enum: ['none', 'sqrt_time', 'mean_variance', 'simulated'] }) scaling!: string;
  @ApiProperty({ example: -0.0171, nullable: true, type: Number, description: 'The VaR in return terms (negative = loss); both kinds (null only for a CVaR stored before both were kept)' }) var_return!: number | null;
  @ApiProperty({ example: '-17100.00', nullable: true, type: String, description: 'var_return × portfolio_value' }) var!: string | null;
  @ApiPropertyOptional({ example: -0.0243, description: 'CVaR results: expected shortfall in return terms (≤ var_return)' }) cvar_return?: number;
  @ApiPropertyOptional({ example: '-24300.00', description: 'CVaR results: cvar_return × portfolio_value' }) cvar?: string;
  @ApiProperty({ example: '1000000.00', description: 'Σ market_value of the book' }) portfolio_value!: string;
  @ApiProperty({ example: 252, description: 'Aligned dates used' }) observations!: number;
  @ApiProperty({ example: '1997-08-22', nullable: true, type: String, description: 'First aligned date used' }) from!: string | null;
  @ApiProperty({ example: '1998-08-21', nullable: true, type: String, description: 'Last aligned date used' }) to!: string | null;
  @ApiProperty({
    type: [ContributionDto],
    nullable: true,
    description: 'Euler allocations, one per asset; null for filtered_historical (its VaR is not homogeneous in the weights through σ_t, so it has no Euler allocation)',
  })
  contributions!: ContributionDto[] | null;
  @ApiPropertyOptional({ type: VolatilityDto, description: 'ewma and filtered_historical: the EWMA decay used and σ_{n+1} of the portfolio return (one period, not scaled to the horizon); also in the history' })
  volatility?: VolatilityDto;
  @ApiProperty({ type: LimitCheckDto, nullable: true }) limit!: LimitCheckDto | null;
  @ApiPropertyOptional({ type: MonteCarloInfoDto, description: 'monte_carlo: in the answer to the calculation (not in the history)' }) monte_carlo?: MonteCarloInfoDto;
  @ApiProperty({ example: 'trade-42', nullable: true, type: String }) correlation_id!: string | null;
  @ApiProperty({ example: null, nullable: true, type: String, format: 'uuid', description: 'The risk run that stored it (POST /v1/risk-runs); null for a single calculation' }) run_id!: string | null;
  @ApiProperty({ example: '2026-11-25T08:00:00.000Z' }) calculated_at!: string;
}
