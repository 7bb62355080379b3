import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiProperty, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { ApiErrors } from '../common/api-errors.decorator';
import { Role } from '../persistence/models';
import { API_KEY_SCHEME } from '../observability/swagger';
import { ApiKeysService } from './api-keys.service';
import { Roles, ROLES } from './roles.decorator';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'analyst-jane' }) @IsString() @MinLength(1) @MaxLength(100) name!: string;
  @ApiProperty({ enum: ROLES, example: 'analyst' }) @IsIn(ROLES) role!: Role;
}

class ApiKeyResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES }) role!: string;
  @ApiProperty({ example: 'rk_AbC', description: 'First characters, to recognise a key' }) key_prefix!: string;
  @ApiProperty({ required: false, description: 'The key itself: shown once, at creation only' }) key?: string;
  @ApiProperty() created_at!: string;
  @ApiProperty({ nullable: true, type: String }) revoked_at!: string | null;
}

@ApiTags('api keys')
@ApiSecurity(API_KEY_SCHEME)
@Controller('v1/api-keys')
@Roles('admin')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @ApiOperation({ summary: 'Create an API key (admin)', description: 'The key is in the answer once; only its hash is stored.' })
  @ApiBody({ type: CreateApiKeyDto, examples: { analyst: { summary: 'An analyst', value: { name: 'analyst-jane', role: 'analyst' } } } })
  @ApiOkResponse({ type: ApiKeyResponseDto })
  @ApiErrors(400, 401, 403)
  async create(@Body() body: CreateApiKeyDto) {
    const k = await this.keys.create(body.name, body.role);
    return { id: k.id, name: k.name, role: k.role, key_prefix: k.keyPrefix, key: k.key, created_at: k.createdAt.toISOString(), revoked_at: null };
  }

  @Get()
  @ApiOperation({ summary: 'List API keys (admin)' })
  @ApiOkResponse({ type: [ApiKeyResponseDto] })
  @ApiErrors(401, 403)
  async list() {
    return (await this.keys.list()).map((k) => ({ id: k.id, name: k.name, role: k.role, key_prefix: k.keyPrefix, created_at: k.createdAt.toISOString(), revoked_at: k.revokedAt?.toISOString() ?? null }));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key (admin)' })
  @ApiErrors(400, 401, 403, 404)
  async revoke(@Param('id', new ParseUUIDPipe()) id: string) {
    await this.keys.revoke(id);
  }
}
