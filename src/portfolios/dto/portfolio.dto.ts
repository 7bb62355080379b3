import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { ID_MESSAGE, ID_PATTERN } from '../../common/ids';
import { INGEST_INPUTS, IngestInput } from '../returns-parser';

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

/** What one asset's upsert did. */
export class IngestCountsDto {
  @ApiProperty({ example: 250, description: 'Dates that had no return for the asset' }) inserted!: number;
  @ApiProperty({ example: 3, description: 'Dates whose return changed; unchanged rows count as neither.' }) updated!: number;
}

export class IngestResultDto extends IngestCountsDto {
  @ApiProperty({ example: 'SMI' }) asset_id!: string;
  @ApiProperty({ example: 253, description: 'Rows of the body (with ?input=prices: closes, one more than the returns they give)' }) received!: number;
}

/** PUT /v1/returns: `{ "<asset_id>": { "inserted", "updated" } }`, one entry per asset column. */
export type WideIngestResultDto = Record<string, IngestCountsDto>;

/** Query of both returns uploads. */
export class IngestQueryDto {
  @ApiPropertyOptional({ enum: INGEST_INPUTS, default: 'returns', description: '`prices`: the body holds closes (> 0), turned into simple returns P_t / P_{t−1} − 1 between consecutive closes of each asset; the first close of an asset yields no return.' })
  @IsOptional() @IsIn(INGEST_INPUTS, { message: 'input must be returns or prices' })
  input?: IngestInput;

  @ApiPropertyOptional({ type: Boolean, default: false, description: 'Accept returns beyond ±0.5 (±50 %). Without it such a batch is refused: return_pct is a fraction, 0.012 means 1.2 %.' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'allow_extreme must be true or false' })
  allow_extreme?: boolean;
}
