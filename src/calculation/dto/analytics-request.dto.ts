import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { IsIsoDateArray } from '../../common/date-array';
import { NumericArray } from '../../common/numeric-array';
import { ConfidenceField } from './risk-request.dto';

/** Body of POST /v1/performance (docs/api.md "Analyst conventions and additions"). */
export class PerformanceRequestDto {
  @ApiProperty({
    description: 'Simple period returns as fractions (0.012 = +1.2 %), oldest first; at least 2, each finite and > −1.',
    type: [Number],
    example: [0.0062, -0.0059, 0.0033, 0.0015, -0.0089, 0.0068, 0.0123, -0.0036],
  })
  @NumericArray({ greaterThan: -1, hint: '(a simple return of −100 % or worse is not a return)' })
  returns!: Float64Array;

  @ApiPropertyOptional({ description: 'P, periods per year for annualising (252 daily, 52 weekly, 12 monthly), integer 1..100,000.', example: 252, default: 252 })
  @IsOptional() @IsInt({ message: 'periods_per_year must be an integer' }) @Min(1) @Max(100_000)
  periods_per_year?: number;

  @ApiPropertyOptional({ description: 'rf, the risk-free rate per YEAR as a fraction (0.02 = 2 %), > −1; Sharpe and Sortino use a_t = r_t − rf/P.', example: 0.02, default: 0 })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'risk_free_rate must be a number (a yearly rate as a fraction, e.g. 0.02)' })
  risk_free_rate?: number;
}

/** Body of POST /v1/var/rolling (docs/api.md "Beyond the original design"). */
export class RollingVarRequestDto extends ConfidenceField {
  @ApiProperty({ description: 'Simple returns as fractions, oldest first; each finite and > −1; at least `window` of them.', type: [Number] })
  @NumericArray({ greaterThan: -1, hint: '(a simple return of −100 % or worse is not a return)' })
  returns!: Float64Array;

  @ApiPropertyOptional({
    description: 'w, the returns in each window: value j is the historical VaR of returns[j … j + w − 1]. At least ⌈100/(100 − c)⌉ (100 at 99 %), else 422.',
    example: 250,
    default: 250,
  })
  @IsOptional() @IsInt({ message: 'window must be an integer number of returns' }) @Min(2) @Max(1_000_000)
  window?: number;

  @ApiPropertyOptional({ description: 'Optional YYYY-MM-DD date of each return (as many as returns): the answer then dates each value by the last day of its window.', type: [String], example: ['2024-01-02', '2024-01-03'] })
  @IsOptional() @IsIsoDateArray()
  dates?: string[];
}
