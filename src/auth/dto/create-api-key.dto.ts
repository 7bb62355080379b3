import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { Role } from '../../persistence/models';
import { ROLES } from '../roles.decorator';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'analyst-jane', description: 'Who the key is for (shown in the audit log and acknowledgements)' })
  @IsString() @MinLength(1) @MaxLength(100)
  name!: string;

  @ApiProperty({ enum: ROLES, example: 'analyst', description: 'viewer < analyst < risk_manager < admin' })
  @IsIn(ROLES)
  role!: Role;
}
