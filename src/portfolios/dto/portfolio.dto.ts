import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { ID_MESSAGE, ID_PATTERN } from '../../common/ids';

export class CreatePortfolioDto {
  @ApiProperty({ example: 'desk-7', description: 'Chosen by the client: 1–64 characters of [A-Za-z0-9._:-].' })
  @IsString() @Matches(ID_PATTERN, { message: `id ${ID_MESSAGE}` })
  id!: string;

  @ApiProperty({ example: 'European equities desk' })
  @IsString() @MinLength(1) @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ example: 'EUR', default: 'USD', description: 'ISO 4217 code' })
  @IsOptional() @Matches(/^[A-Z]{3}$/, { message: 'base_currency must be a 3-letter ISO 4217 code such as USD' })
  base_currency?: string;
}

/** One row of PUT …/positions (read by the service's own parser, which names every bad row). */
export class PositionDto {
  @ApiProperty({ example: 'SMI', description: '1–64 characters of [A-Za-z0-9._:-]' }) asset_id!: string;
  @ApiProperty({ example: '600000.00', description: 'Decimal; negative for a short position' }) market_value!: string;
}

export class PositionResponseDto {
  @ApiProperty({ example: 'SMI' }) asset_id!: string;
  @ApiProperty({ example: '600000.00', description: 'Decimal, 2 places; negative for a short position' }) market_value!: string;
}

export class PortfolioResponseDto {
  @ApiProperty({ example: 'desk-7' }) id!: string;
  @ApiProperty({ example: 'European equities desk' }) name!: string;
  @ApiProperty({ example: 'EUR' }) base_currency!: string;
  @ApiProperty({ type: [PositionResponseDto] }) positions!: PositionResponseDto[];
  @ApiProperty({ example: '1000000.00', description: 'Σ market_value' }) portfolio_value!: string;
  @ApiProperty({ example: '2026-11-24T09:00:00.000Z' }) created_at!: string;
  @ApiProperty({ example: '2026-11-25T07:45:12.000Z', description: 'Last change of the portfolio or its book' }) updated_at!: string;
}

export class IngestResultDto {
  @ApiProperty({ example: 'SMI' }) asset_id!: string;
  @ApiProperty({ example: 250 }) inserted!: number;
  @ApiProperty({ example: 3, description: 'Rows whose value changed; unchanged rows count as neither.' }) updated!: number;
  @ApiProperty({ example: 253 }) received!: number;
}
