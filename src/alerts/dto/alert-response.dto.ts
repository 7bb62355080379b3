import { ApiProperty } from '@nestjs/swagger';
import { SEVERITIES } from '../../common/severity';
import { ALERT_STATUSES } from '../../persistence/models';

export class AlertResponseDto {
  @ApiProperty({ example: '5b0f7c1e-2d4a-4c3b-9e8f-1a2b3c4d5e6f' }) id!: string;
  @ApiProperty({ example: 'desk-7' }) portfolio_id!: string;
  @ApiProperty({ example: 'VAR', enum: ['VAR', 'DRAWDOWN', 'POSITION_SIZE'] }) type!: string;
  @ApiProperty({ example: 'critical', enum: SEVERITIES, description: 'The highest severity seen while the alert is open' }) severity!: string;
  @ApiProperty({ example: 'VaR 6.31 % of value is 126 % of the 5 % limit' }) message!: string;
  @ApiProperty({ example: 5, description: 'The limit the figure was compared with, percent of value (a VaR limit scaled to the result\'s horizon)' }) threshold_percent!: number;
  @ApiProperty({ example: 6.31, description: 'The measured figure at the latest trigger, percent of value' }) current_percent!: number;
  @ApiProperty({ example: '2026-11-25T08:00:00.000Z' }) triggered_at!: string;
  @ApiProperty({ example: '2026-11-25T09:30:00.000Z' }) last_triggered_at!: string;
  @ApiProperty({ example: 'active', enum: ALERT_STATUSES }) status!: string;
  @ApiProperty({ example: 3, description: 'Triggers while open (a repeat raises it instead of opening a second alert)' }) occurrences!: number;
  @ApiProperty({ example: null, nullable: true, type: String }) acknowledged_by!: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) acknowledged_at!: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) acknowledge_note!: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) resolved_at!: string | null;
  @ApiProperty({ example: null, nullable: true, type: String, description: 'The key name, or "system (recovered)"' }) resolved_by!: string | null;
}
