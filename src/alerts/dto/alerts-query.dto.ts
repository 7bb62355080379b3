import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { ID_MESSAGE, ID_PATTERN } from '../../common/ids';
import { ALERT_STATUSES, AlertStatus } from '../../persistence/models';

export class AlertsQueryDto {
  @ApiPropertyOptional({ example: 'desk-7', description: 'Only the alerts of this portfolio' })
  @IsOptional() @IsString() @Matches(ID_PATTERN, { message: `portfolio_id ${ID_MESSAGE}` })
  portfolio_id?: string;

  @ApiPropertyOptional({ enum: ALERT_STATUSES, description: 'Only alerts in this state' })
  @IsOptional() @IsIn(ALERT_STATUSES)
  status?: AlertStatus;
}
