import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { PORTFOLIO_ID_PARAM } from '../common/api-params';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { API_KEY_SCHEME } from '../observability/swagger';
import { BreachResponseDto } from './dto/breach-response.dto';
import { BreachesQueryDto } from './dto/breaches-query.dto';
import { LimitsResponseDto, PutLimitsDto } from './dto/limits.dto';
import { LimitsService } from './limits.service';

@ApiTags('limits and breaches')
@ApiSecurity(API_KEY_SCHEME)
@ApiParam(PORTFOLIO_ID_PARAM)
@Controller('v1/portfolios/:id')
export class LimitsController {
  constructor(private readonly limits: LimitsService) {}

  @Put('limits')
  @Roles('risk_manager')
  @ApiOperation({ summary: 'Add a limit version', description: 'History is never overwritten. Fields left out keep the value in force. effective_date defaults to now; a future date schedules the version.' })
  @ApiBody({ type: PutLimitsDto, examples: { limits: { summary: 'Typical desk limits', value: { max_var_percent: 5, max_drawdown_percent: 20, max_position_size_percent: 10, confidence: 95, horizon_days: 1 } } } })
  @ApiOkResponse({ type: LimitsResponseDto })
  @ApiErrors(400, 401, 403, 404)
  put(@Param('id', ParseIdPipe) id: string, @Body() body: PutLimitsDto): Promise<LimitsResponseDto> {
    return this.limits.put(id, body);
  }

  @Get('limits')
  @ApiOperation({ summary: 'The limit version in force (is_default when none is set)' })
  @ApiOkResponse({ type: LimitsResponseDto })
  @ApiErrors(400, 401, 404)
  get(@Param('id', ParseIdPipe) id: string): Promise<LimitsResponseDto> {
    return this.limits.get(id);
  }

  @Get('limits/history')
  @ApiOperation({ summary: 'Every limit version, newest effective first' })
  @ApiOkResponse({ type: [LimitsResponseDto] })
  @ApiErrors(400, 401, 404)
  limitHistory(@Param('id', ParseIdPipe) id: string): Promise<LimitsResponseDto[]> {
    return this.limits.history(id);
  }

  @Get('breaches')
  @ApiOperation({ summary: 'Limit breaches, newest first', description: 'VaR and drawdown breaches (utilization ≥ 1), at most 1,000.' })
  @ApiOkResponse({ type: [BreachResponseDto] })
  @ApiErrors(400, 401, 404)
  breaches(@Param('id', ParseIdPipe) id: string, @Query() q: BreachesQueryDto): Promise<BreachResponseDto[]> {
    return this.limits.breachList(id, q.since ? new Date(q.since) : undefined);
  }
}
