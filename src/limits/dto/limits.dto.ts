import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';

const num = { allowNaN: false, allowInfinity: false };

export class PutLimitsDto {
  @ApiPropertyOptional({ example: 5, description: 'Largest |VaR| as a percent of portfolio value' })
  @IsOptional() @IsNumber(num) @Min(0.0001) @Max(100)
  max_var_percent?: number;

  @ApiPropertyOptional({ example: 20, description: 'Largest drawdown from the NAV peak, percent' })
  @IsOptional() @IsNumber(num) @Min(0.0001) @Max(100)
  max_drawdown_percent?: number;

  @ApiPropertyOptional({ example: 10, description: 'Largest single position, percent of equity' })
  @IsOptional() @IsNumber(num) @Min(0.0001) @Max(1000)
  max_position_size_percent?: number;

  @ApiPropertyOptional({ example: 95, description: 'Confidence as a **percentage** (50 < c < 100) the VaR limit is meant at; default from config. Answered as confidence_level.' })
  @IsOptional() @IsNumber(num, { message: 'confidence must be a number (a percentage, e.g. 95)' })
  @Min(50.0001, { message: 'confidence must be a percentage over 50, e.g. 95 (0.95 is a fraction: write 95)' })
  @Max(99.9999, { message: 'confidence must be a percentage under 100, e.g. 99' })
  confidence?: number;

  @ApiPropertyOptional({ example: 1, default: 1, minimum: 1, maximum: 250, description: 'The horizon max_var_percent is meant over, days: a VaR over h days is compared with max_var_percent × √(h / horizon_days) (limit.scaled_max_var_percent). Default: the value in force, else 1.' })
  @IsOptional() @IsInt({ message: 'horizon_days must be an integer number of days' }) @Min(1) @Max(250)
  horizon_days?: number;

  @ApiPropertyOptional({ example: '2026-11-25T00:00:00Z', description: 'When the version takes force; default now. A future date schedules it.' })
  @IsOptional() @IsDateString({ strict: true })
  effective_date?: string;
}

export class LimitsResponseDto {
  @ApiProperty({ example: '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d', nullable: true, type: String, description: 'null for the configured defaults' }) id!: string | null;
  @ApiProperty({ example: 'desk-7' }) portfolio_id!: string;
  @ApiProperty({ example: 5, nullable: true, type: Number }) max_var_percent!: number | null;
  @ApiProperty({ example: 20, nullable: true, type: Number }) max_drawdown_percent!: number | null;
  @ApiProperty({ example: 10, nullable: true, type: Number }) max_position_size_percent!: number | null;
  @ApiProperty({ example: 95, description: 'Confidence (percent) the VaR limit is meant at (sent as confidence)' }) confidence_level!: number;
  @ApiProperty({ example: 1, description: 'The horizon max_var_percent is meant over, days' }) horizon_days!: number;
  @ApiProperty({ example: '2026-11-25T00:00:00.000Z', nullable: true, type: String }) effective_date!: string | null;
  @ApiProperty({ example: false, description: 'true when no version is set and the configured defaults apply' }) is_default!: boolean;
  @ApiPropertyOptional({ example: '2026-11-24T17:02:11.000Z', description: 'Stored versions only' }) created_at?: string;
  @ApiPropertyOptional({ example: 'risk-desk-head', nullable: true, type: String, description: 'Stored versions only: the API key that added it' }) created_by?: string | null;
}
