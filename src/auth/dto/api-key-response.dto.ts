import { ApiProperty } from '@nestjs/swagger';
import { ROLES } from '../roles.decorator';

/** An API key as listed: never the key itself (only its hash is stored). */
export class ApiKeyResponseDto {
  @ApiProperty({ example: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f' }) id!: string;
  @ApiProperty({ example: 'analyst-jane' }) name!: string;
  @ApiProperty({ enum: ROLES, example: 'analyst' }) role!: string;
  @ApiProperty({ example: 'rk_AbC', description: 'First characters, to recognise a key' }) key_prefix!: string;
  @ApiProperty({ example: '2026-11-25T08:00:00.000Z' }) created_at!: string;
  @ApiProperty({ example: null, nullable: true, type: String }) revoked_at!: string | null;
  @ApiProperty({ example: ['desk-7'], nullable: true, type: [String], description: 'The portfolios the key is limited to; null = every portfolio' }) portfolios!: string[] | null;
}

/** POST /v1/api-keys: the new key, shown this once. */
export class CreatedApiKeyResponseDto extends ApiKeyResponseDto {
  @ApiProperty({ example: 'rk_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde', description: 'The key itself: shown once, at creation only. Send it as x-api-key.' })
  key!: string;
}
