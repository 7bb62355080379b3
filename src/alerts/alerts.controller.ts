import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiProperty, ApiPropertyOptional, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { Roles } from '../auth/roles.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { API_KEY_SCHEME } from '../observability/swagger';
import { AlertStatus } from '../persistence/models';
import { alertToResponse, AlertsService } from './alerts.service';

export class AlertsQueryDto {
  @ApiPropertyOptional({ example: 'desk-7' }) @IsOptional() @IsString() @MaxLength(64) portfolio_id?: string;
  @ApiPropertyOptional({ enum: ['active', 'acknowledged', 'resolved'] }) @IsOptional() @IsIn(['active', 'acknowledged', 'resolved']) status?: AlertStatus;
}

export class AlertNoteDto {
  @ApiProperty({ required: false, example: 'Desk head informed; hedge in progress' }) @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

@ApiTags('limits and alerts')
@ApiSecurity(API_KEY_SCHEME)
@Controller('v1/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @ApiOperation({ summary: 'Alerts, newest first', description: 'One open (active or acknowledged) alert per portfolio and type; repeats raise `occurrences` and may escalate severity.' })
  @ApiErrors(400, 401)
  async list(@Query() q: AlertsQueryDto) {
    return (await this.alerts.list({ portfolioId: q.portfolio_id, status: q.status })).map(alertToResponse);
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @Roles('risk_manager')
  @ApiOperation({ summary: 'Acknowledge an alert (who and when are recorded)' })
  @ApiBody({ type: AlertNoteDto, examples: { note: { summary: 'With a note', value: { note: 'Desk head informed' } } } })
  @ApiErrors(400, 401, 403, 404, 409)
  async acknowledge(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: AlertNoteDto) {
    return alertToResponse(await this.alerts.acknowledge(id, body?.note));
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @Roles('risk_manager')
  @ApiOperation({ summary: 'Resolve an alert' })
  @ApiBody({ type: AlertNoteDto, required: false, examples: { note: { summary: 'With a note', value: { note: 'Position reduced' } } } })
  @ApiErrors(400, 401, 403, 404, 409)
  async resolve(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: AlertNoteDto) {
    return alertToResponse(await this.alerts.resolve(id, body?.note));
  }
}
