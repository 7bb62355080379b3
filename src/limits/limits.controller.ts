import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { API_KEY_SCHEME } from '../observability/swagger';
import { LimitsResponseDto, PutLimitsDto } from './dto/limits.dto';
import { BreachesQueryDto } from './dto/breaches-query.dto';
import { LimitsService } from './limits.service';

@ApiTags('limits and breaches')
@ApiSecurity(API_KEY_SCHEME)
@Controller('v1/portfolios/:id')
export class LimitsController {
  constructor(private readonly limits: LimitsService) {}

  @Put('limits')
  @Roles('risk_manager')
  @ApiOperation({ summary: 'Add a limit version', description: 'History is never overwritten. Fields left out keep the value in force. effective_date defaults to now; a future date schedules the version.' })
  @ApiBody({ type: PutLimitsDto, examples: { limits: { summary: 'Typical desk limits', value: { max_var_percent: 5, max_drawdown_percent: 20, max_position_size_percent: 10, confidence_level: 95 } } } })
  @ApiOkResponse({ type: LimitsResponseDto })
  @ApiErrors(400, 401, 403, 404)
  put(@Param('id') id: string, @Body() body: PutLimitsDto) {
    return this.limits.put(id, body);
  }

  @Get('limits')
  @ApiOperation({ summary: 'The limit version in force (is_default when none is set)' })
  @ApiOkResponse({ type: LimitsResponseDto })
  @ApiErrors(401, 404)
  get(@Param('id') id: string) {
    return this.limits.get(id);
  }

  @Get('limits/history')
  @ApiOperation({ summary: 'Every limit version, newest effective first' })
  @ApiOkResponse({ type: [LimitsResponseDto] })
  @ApiErrors(401, 404)
  limitHistory(@Param('id') id: string) {
    return this.limits.history(id);
  }

  @Get('breaches')
  @ApiOperation({ summary: 'Limit breaches, newest first' })
  @ApiErrors(400, 401, 404)
  breaches(@Param('id') id: string, @Query() q: BreachesQueryDto) {
    return this.limits.breachList(id, q.since ? new Date(q.since) : undefined);
  }
}
