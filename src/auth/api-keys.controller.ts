import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { ApiErrors } from '../common/api-errors.decorator';
import { ApiKey, Role } from '../persistence/models';
import { API_KEY_SCHEME } from '../observability/swagger';
import { ApiKeysService } from './api-keys.service';
import { Roles, ROLES } from './roles.decorator';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'analyst-jane' }) @IsString() @MinLength(1) @MaxLength(100) name!: string;
  @ApiProperty({ enum: ROLES, example: 'analyst' }) @IsIn(ROLES) role!: Role;
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

class ApiKeyResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES }) role!: string;
  @ApiProperty({ example: 'rk_AbC', description: 'First characters, to recognise a key' }) key_prefix!: string;
  @ApiProperty({ required: false, description: 'The key itself: shown once, at creation only' }) key?: string;
  @ApiProperty() created_at!: string;
  @ApiProperty({ nullable: true, type: String }) revoked_at!: string | null;
  @ApiProperty({ nullable: true, type: [String], description: 'null = every portfolio' }) portfolios!: string[] | null;
}

function toResponse(k: ApiKey, key?: string): ApiKeyResponseDto {
  return {
    id: k.id,
    name: k.name,
    role: k.role,
    key_prefix: k.keyPrefix,
    ...(key === undefined ? {} : { key }),
    created_at: k.createdAt.toISOString(),
    revoked_at: k.revokedAt?.toISOString() ?? null,
    portfolios: k.portfolios,
  };
}

@ApiTags('api keys')
@ApiSecurity(API_KEY_SCHEME)
@Controller('v1/api-keys')
@Roles('admin')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @ApiOperation({ summary: 'Create an API key (admin)', description: 'The key is in the answer once; only its hash is stored.' })
  @ApiBody({
    type: CreateApiKeyDto,
    examples: {
      analyst: { summary: 'An analyst', value: { name: 'analyst-jane', role: 'analyst' } },
      scoped: { summary: 'A desk’s risk manager, limited to its portfolios', value: { name: 'desk-7-rm', role: 'risk_manager', portfolios: ['desk-7', 'desk-7-hedge'] } },
    },
  })
  @ApiOkResponse({ type: ApiKeyResponseDto })
  @ApiErrors(400, 401, 403)
  async create(@Body() body: CreateApiKeyDto) {
    const k = await this.keys.create(body.name, body.role, body.portfolios ?? null);
    return toResponse(k, k.key);
  }

  @Get()
  @ApiOperation({ summary: 'List API keys (admin)' })
  @ApiOkResponse({ type: [ApiKeyResponseDto] })
  @ApiErrors(401, 403)
  async list() {
    return (await this.keys.list()).map((k) => toResponse(k));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key (admin)' })
  @ApiErrors(400, 401, 403, 404)
  async revoke(@Param('id', new ParseUUIDPipe()) id: string) {
    await this.keys.revoke(id);
  }
}
