import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors.decorator';
import { ParseUuidPipe } from '../common/parse-id.pipe';
import { API_KEY_SCHEME } from '../observability/swagger';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyResponseDto, CreatedApiKeyResponseDto } from './dto/api-key-response.dto';
import { CreateApiKeyDto } from './dto/create-api-key.dto';
import { Roles } from './roles.decorator';

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
  @ApiCreatedResponse({ type: CreatedApiKeyResponseDto, description: 'Created; `key` is shown this once' })
  @ApiErrors(400, 401, 403)
  create(@Body() body: CreateApiKeyDto): Promise<CreatedApiKeyResponseDto> {
    return this.keys.create(body.name, body.role, body.portfolios ?? null);
  }

  @Get()
  @ApiOperation({ summary: 'List API keys (admin)', description: 'Revoked keys included (revoked_at set); never the keys themselves.' })
  @ApiOkResponse({ type: [ApiKeyResponseDto] })
  @ApiErrors(401, 403)
  list(): Promise<ApiKeyResponseDto[]> {
    return this.keys.list();
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key (admin)', description: 'A revoked key may keep working for up to 10 s (lookup cache).' })
  @ApiParam({ name: 'id', description: 'API key id (a UUID, from POST or GET /v1/api-keys)', example: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f' })
  @ApiNoContentResponse({ description: 'Revoked; no body' })
  @ApiErrors(400, 401, 403, 404)
  revoke(@Param('id', ParseUuidPipe) id: string): Promise<void> {
    return this.keys.revoke(id);
  }
}
