import { ApiProperty } from '@nestjs/swagger';
import { LEVELS } from '../../common/severity';

/** GET /v1/portfolios/:id/drawdown: the live drawdown of a portfolio. */
export class DrawdownStateResponseDto {
  @ApiProperty({ example: 'desk-7' }) portfolio_id!: string;
  @ApiProperty({ example: '1100000.00', description: 'Highest NAV applied so far' }) peak_value!: string;
  @ApiProperty({ example: '2026-11-20T16:30:00.000Z' }) peak_at!: string;
  @ApiProperty({ example: '1012345.67', description: 'The last NAV applied' }) current_value!: string;
  @ApiProperty({ example: '2026-11-25T16:30:00.000Z', description: 'Time of the last NAV applied' }) current_at!: string;
  @ApiProperty({ example: 0.0797, description: '1 − current / peak, a positive fraction' }) current_drawdown!: number;
  @ApiProperty({ example: 0.1045, description: 'Deepest drawdown seen, a positive fraction' }) max_drawdown!: number;
  @ApiProperty({ example: 'warning', enum: LEVELS, description: 'The current drawdown against max_drawdown_percent of the limit in force' }) status!: string;
}

/** POST /v1/portfolios/:id/nav: the state after the update, and whether the update was applied. */
export class NavUpdateResponseDto extends DrawdownStateResponseDto {
  @ApiProperty({ example: true, description: 'false: the update was not newer than the last one applied (a duplicate or late), and changed nothing' })
  applied!: boolean;
}
