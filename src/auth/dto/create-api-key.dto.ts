import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { Role } from '../../persistence/models';
import { ROLES } from '../roles.decorator';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'analyst-jane', description: 'Who the key is for (shown in the audit log and acknowledgements)' })
  @IsString() @MinLength(1) @MaxLength(100)
  name!: string;

  @ApiProperty({ enum: ROLES, example: 'analyst', description: 'viewer < analyst < risk_manager < admin' })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({
    type: [String],
    example: ['desk-7'],
    description:
      'Limits the key to these portfolios (absent = every portfolio). Any other portfolio, and its alerts, breaches and ' +
      'results, answers 404 to the key; lists are filtered; asset returns (shared by every portfolio) cannot be written ' +
      'with it. Not for admin keys. The portfolios need not exist yet.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1, { message: 'portfolios must name at least one portfolio (leave it out for every portfolio)' })
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(/^[A-Za-z0-9._:-]{1,64}$/, { each: true, message: 'each of portfolios must be 1 to 64 characters of letters, digits and . _ : -' })
  portfolios?: string[];
}
