import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiProperty, ApiPropertyOptional, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { IsDateString, IsOptional } from 'class-validator';
import { Roles } from '../auth/roles.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { IsDecimalAmount } from '../common/money';
import { API_KEY_SCHEME } from '../observability/swagger';
import { DrawdownMonitorService } from './drawdown-monitor.service';

export class NavDto {
  @ApiProperty({ example: '1012345.67', description: 'Net asset value, positive decimal' }) @IsDecimalAmount() value!: string | number;
  @ApiPropertyOptional({ example: '2026-11-25T16:30:00Z', description: 'Time of the NAV (default now). Updates not newer than the last applied one are ignored.' })
  @IsOptional() @IsDateString({ strict: true }) at?: string;
}

@ApiTags('drawdown monitor')
@ApiSecurity(API_KEY_SCHEME)
@Controller('v1/portfolios/:id')
export class DrawdownController {
  constructor(private readonly monitor: DrawdownMonitorService) {}

  @Post('nav')
  @HttpCode(200)
  @Roles('risk_manager')
  @ApiOperation({ summary: 'NAV update for the live drawdown monitor', description: 'Also accepted on NATS subject risk.nav.updated { portfolio_id, value, at } (durable JetStream consumer).' })
  @ApiBody({ type: NavDto, examples: { nav: { summary: 'End-of-day NAV', value: { value: '1012345.67', at: '2026-11-25T16:30:00Z' } } } })
  @ApiErrors(400, 401, 403, 404)
  nav(@Param('id') id: string, @Body() body: NavDto) {
    return this.monitor.update(id, body);
  }

  @Get('drawdown')
  @ApiOperation({ summary: 'Live drawdown: peak, current and max drawdown, status against max_drawdown_percent' })
  @ApiErrors(401, 404)
  get(@Param('id') id: string) {
    return this.monitor.get(id);
  }
}
