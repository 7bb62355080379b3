import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsOptional } from 'class-validator';
import { IsDecimalAmount } from '../../common/money';

/** POST /v1/portfolios/:id/nav (and the body of risk.nav.updated, plus portfolio_id). */
export class NavDto {
  @ApiProperty({ example: '1012345.67', description: 'Net asset value, positive decimal' })
  @IsDecimalAmount()
  value!: string | number;

  @ApiPropertyOptional({ example: '2026-11-25T16:30:00Z', description: 'Time of the NAV (default now). Updates not newer than the last applied one are ignored.' })
  @IsOptional() @IsDateString({ strict: true })
  at?: string;
}
