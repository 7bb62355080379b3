import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { ParseUuidPipe } from '../common/parse-id.pipe';
import { API_KEY_SCHEME } from '../observability/swagger';
import { AlertsService } from './alerts.service';
import { AlertNoteDto } from './dto/alert-note.dto';
import { AlertResponseDto } from './dto/alert-response.dto';
import { AlertsQueryDto } from './dto/alerts-query.dto';

const ALERT_ID = { name: 'id', description: 'Alert id (a UUID, from GET /v1/alerts or a risk.limit.breach event)', example: '5b0f7c1e-2d4a-4c3b-9e8f-1a2b3c4d5e6f' };

@ApiTags('limits and alerts')
@ApiSecurity(API_KEY_SCHEME)
@Controller('v1/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @ApiOperation({ summary: 'Alerts, newest first', description: 'One open (active or acknowledged) alert per portfolio and type; repeats raise `occurrences` and may escalate severity.' })
  @ApiOkResponse({ type: [AlertResponseDto] })
  @ApiErrors(400, 401)
  list(@Query() q: AlertsQueryDto): Promise<AlertResponseDto[]> {
    return this.alerts.list({ portfolioId: q.portfolio_id, status: q.status });
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @Roles('risk_manager')
  @ApiOperation({ summary: 'Acknowledge an alert (who and when are recorded)', description: 'An acknowledged alert stays open: a repeat counts on it, an escalation makes it active again (and it can be acknowledged again). 409 CONFLICT for an alert already acknowledged (the first acknowledgement stands) or resolved.' })
  @ApiParam(ALERT_ID)
  @ApiBody({ type: AlertNoteDto, examples: { note: { summary: 'With a note', value: { note: 'Desk head informed' } } } })
  @ApiOkResponse({ type: AlertResponseDto })
  @ApiErrors(400, 401, 403, 404, 409)
  acknowledge(@Param('id', ParseUuidPipe) id: string, @Body() body: AlertNoteDto): Promise<AlertResponseDto> {
    return this.alerts.acknowledge(id, body?.note);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @Roles('risk_manager')
  @ApiOperation({ summary: 'Resolve an alert', description: 'The next trigger opens a new alert. 409 for an alert already resolved.' })
  @ApiParam(ALERT_ID)
  @ApiBody({ type: AlertNoteDto, required: false, examples: { note: { summary: 'With a note', value: { note: 'Position reduced' } } } })
  @ApiOkResponse({ type: AlertResponseDto })
  @ApiErrors(400, 401, 403, 404, 409)
  resolve(@Param('id', ParseUuidPipe) id: string, @Body() body: AlertNoteDto): Promise<AlertResponseDto> {
    return this.alerts.resolve(id, body?.note);
  }
}
