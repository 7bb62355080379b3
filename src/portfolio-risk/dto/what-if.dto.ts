import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Matches, ValidateNested } from 'class-validator';
import { ID_MESSAGE, ID_PATTERN } from '../../common/ids';
import { IsDecimalAmount } from '../../common/money';
import { LEVELS } from '../../common/severity';
import { PortfolioRiskRequestDto } from './portfolio-risk-request.dto';

/** At most this many trades in one what-if. */
export const MAX_TRADES = 1000;

/** A proposed change of one asset's market value. */
export class TradeDto {
  @ApiProperty({ example: 'CAC', description: 'A held asset, or a new one (it needs stored returns)' })
  @IsString() @Matches(ID_PATTERN, { message: `asset_id ${ID_MESSAGE}` })
  asset_id!: string;

  @ApiProperty({ example: '250000', type: String, description: 'Δ market value, money (decimal text; negative sells). Several trades of one asset add up.' })
  @IsDecimalAmount()
  market_value_change!: string | number;
}

/** POST /v1/portfolios/:id/what-if: the trades, and the stored-VaR options both books are measured with. */
export class WhatIfRequestDto extends PortfolioRiskRequestDto {
  @ApiProperty({ type: [TradeDto], description: `1 to ${MAX_TRADES} trades` })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_TRADES) @ValidateNested({ each: true }) @Type(() => TradeDto)
  trades!: TradeDto[];
}

/** NATS risk.pretrade.check: the what-if body plus the portfolio id. */
export class PreTradeMessageDto extends WhatIfRequestDto {
  @IsString() @Matches(ID_PATTERN, { message: `portfolio_id ${ID_MESSAGE}` })
  portfolio_id!: string;
}

export class WhatIfVarDto {
  @ApiProperty({ example: -0.013512, description: 'VaR in return terms over the horizon (a loss is negative)' }) var_return!: number;
  @ApiProperty({ example: '-13511.92', description: 'var_return × the book\'s value, 2 places half-even' }) var!: string;
}

export class MarginalVarDto {
  @ApiProperty({ example: 'CAC' }) asset_id!: string;
  @ApiProperty({ example: -0.014344, nullable: true, type: Number, description: '∂VaR/∂wᵢ of the current book (its Euler component / wᵢ); null for an asset the book does not hold and for filtered_historical' })
  marginal_var_return!: number | null;
}

/** The VaR limit the book after the trades would meet. */
export class WhatIfLimitDto {
  @ApiProperty({ example: 'ok', enum: LEVELS, description: 'The one status scale: ok, warning, high or critical (high and critical would be breaches)' }) status!: string;
  @ApiProperty({ example: 5, nullable: true, type: Number, description: 'The limit in force, percent of value over its horizon_days; null: no VaR limit' }) max_var_percent!: number | null;
  @ApiProperty({ example: 1, description: 'The horizon max_var_percent is meant over, days' }) horizon_days!: number;
  @ApiProperty({ example: 5, nullable: true, type: Number, description: 'max_var_percent × √(horizon_days of the request / of the limit): what var_percent is compared with' }) scaled_max_var_percent!: number | null;
  @ApiProperty({ example: 1.4035, description: '|after.var_return| in percent of the new book\'s value' }) var_percent!: number;
  @ApiProperty({ example: 0.2807, nullable: true, type: Number, description: 'var_percent / scaled_max_var_percent' }) utilization!: number | null;
  @ApiProperty({ example: false, description: 'true when the configured default limits applied' }) is_default!: boolean;
}

/** One position of the book after the trades against max_position_size_percent. */
export class PositionSizeCheckDto {
  @ApiProperty({ example: 'CAC' }) asset_id!: string;
  @ApiProperty({ example: 52, description: '|vᵢ + Δᵢ| in percent of the new book\'s net value' }) percent!: number;
  @ApiProperty({ example: 60, description: 'The limit in force (or the configured default)' }) max_position_size_percent!: number;
  @ApiProperty({ example: 'high', enum: LEVELS, description: 'percent against max_position_size_percent on the one status scale' }) status!: string;
}

/** The answer of a what-if and of risk.pretrade.check. */
export class WhatIfResponseDto {
  @ApiProperty({ example: 'desk-7' }) portfolio_id!: string;
  @ApiProperty({ example: 'historical' }) method!: string;
  @ApiProperty({ example: 95 }) confidence_level!: number;
  @ApiProperty({ example: 1 }) horizon_days!: number;
  @ApiProperty({ example: 1859, description: 'Aligned dates both books are measured on' }) observations!: number;
  @ApiProperty({ type: WhatIfVarDto, description: 'The current book' }) before!: WhatIfVarDto;
  @ApiProperty({ type: WhatIfVarDto, description: 'The book after the trades' }) after!: WhatIfVarDto;
  @ApiProperty({ example: '-4032.15', description: 'after.var − before.var, money' }) incremental_var!: string;
  @ApiProperty({ type: [MarginalVarDto] }) marginal!: MarginalVarDto[];
  @ApiProperty({ type: WhatIfLimitDto }) limit!: WhatIfLimitDto;
  @ApiProperty({ type: [PositionSizeCheckDto] }) position_size!: PositionSizeCheckDto[];
  @ApiProperty({ example: '1000000.00', description: 'Net value of the current book' }) portfolio_value_before!: string;
  @ApiProperty({ example: '1250000.00', description: 'Net value of the book after the trades' }) portfolio_value_after!: string;
}
