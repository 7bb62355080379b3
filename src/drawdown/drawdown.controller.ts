import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { PORTFOLIO_ID_PARAM } from '../common/api-params';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { API_KEY_SCHEME } from '../observability/swagger';
import { DrawdownMonitorService } from './drawdown-monitor.service';
import { DrawdownStateResponseDto, NavUpdateResponseDto } from './dto/drawdown-state-response.dto';
import { NavDto } from './dto/nav.dto';

@ApiTags('drawdown monitor')
@ApiSecurity(API_KEY_SCHEME)
@ApiParam(PORTFOLIO_ID_PARAM)
@Controller('v1/portfolios/:id')
export class DrawdownController {
  constructor(private readonly monitor: DrawdownMonitorService) {}

  @Post('nav')
  @HttpCode(200)
  @Roles('risk_manager')
  @ApiOperation({ summary: 'NAV update for the live drawdown monitor', description: 'Also accepted on NATS subject risk.nav.updated { portfolio_id, value, at } (durable JetStream consumer).' })
  @ApiBody({ type: NavDto, examples: { nav: { summary: 'End-of-day NAV', value: { value: '1012345.67', at: '2026-11-25T16:30:00Z' } } } })
  @ApiOkResponse({ type: NavUpdateResponseDto })
  @ApiErrors(400, 401, 403, 404)
  nav(@Param('id', ParseIdPipe) id: string, @Body() body: NavDto): Promise<NavUpdateResponseDto> {
    return this.monitor.update(id, body);
  }

  @Get('drawdown')
  @ApiOperation({ summary: 'Live drawdown: peak, current and max drawdown, status against max_drawdown_percent', description: '404 for an unknown portfolio, or one that has had no NAV update yet.' })
  @ApiOkResponse({ type: DrawdownStateResponseDto })
  @ApiErrors(400, 401, 404)
  get(@Param('id', ParseIdPipe) id: string): Promise<DrawdownStateResponseDto> {
    return this.monitor.get(id);
  }
}
