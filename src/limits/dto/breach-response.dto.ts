import { ApiProperty } from '@nestjs/swagger';
import { BREACH_SEVERITIES } from '../../common/severity';

/** GET /v1/portfolios/:id/breaches: one row per detection, never updated. */
export class BreachResponseDto {
  @ApiProperty({ example: '0c7e5a4b-3d2f-4a1b-8c9d-6e5f4a3b2c1d' }) id!: string;
  @ApiProperty({ example: 'desk-7' }) portfolio_id!: string;
  @ApiProperty({ example: 'VAR', enum: ['VAR', 'DRAWDOWN', 'POSITION_SIZE'] }) breach_type!: string;
  @ApiProperty({ example: 'high', enum: BREACH_SEVERITIES }) severity!: string;
  @ApiProperty({ example: 5, description: 'The limit the figure was compared with, percent of value (a VaR limit scaled to the result\'s horizon)' }) limit_percent!: number;
  @ApiProperty({ example: 5.42, description: 'The measured figure, percent of value' }) measured_percent!: number;
  @ApiProperty({ example: 1.084, description: 'measured_percent / limit_percent, a fraction' }) utilization!: number;
  @ApiProperty({ example: '2026-11-25T08:00:00.000Z' }) detected_at!: string;
  @ApiProperty({ example: '9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a', nullable: true, type: String, description: 'The stored VaR result that breached (VAR breaches)' })
  var_result_id!: string | null;
}
