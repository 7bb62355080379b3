import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsNumber, IsOptional, Max, Min } from 'class-validator';

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

  @ApiPropertyOptional({ example: 95, description: 'Confidence (percent) the VaR limit is meant at; default from config' })
  @IsOptional() @IsNumber(num) @Min(50.0001) @Max(99.9999)
  confidence_level?: number;

  @ApiPropertyOptional({ example: '2026-11-25T00:00:00Z', description: 'When the version takes force; default now. A future date schedules it.' })
  @IsOptional() @IsDateString({ strict: true })
  effective_date?: string;
}

export class LimitsResponseDto {
  @ApiProperty({ nullable: true, type: String }) id!: string | null;
  @ApiProperty() portfolio_id!: string;
  @ApiProperty({ nullable: true, type: Number }) max_var_percent!: number | null;
  @ApiProperty({ nullable: true, type: Number }) max_drawdown_percent!: number | null;
  @ApiProperty({ nullable: true, type: Number }) max_position_size_percent!: number | null;
  @ApiProperty() confidence_level!: number;
  @ApiProperty({ nullable: true, type: String }) effective_date!: string | null;
  @ApiProperty({ description: 'true when no version is set and the configured defaults apply' }) is_default!: boolean;
  @ApiPropertyOptional() created_at?: string;
  @ApiPropertyOptional() created_by?: string | null;
}
