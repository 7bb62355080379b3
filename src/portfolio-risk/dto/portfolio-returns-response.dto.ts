import { ApiProperty } from '@nestjs/swagger';

export class PortfolioWeightDto {
  @ApiProperty({ example: 'SMI' }) asset_id!: string;
  @ApiProperty({ example: 0.6, description: 'Market-value share of the book (a fraction)' }) weight!: number;
}

/** The portfolio return series stored VaR and CVaR are computed from (GET /v1/portfolios/:id/returns). */
export class PortfolioReturnsResponseDto {
  @ApiProperty({ example: 'demo-eu' }) portfolio_id!: string;
  @ApiProperty({ example: 252, description: 'The lookback_days asked for' }) lookback_days!: number;
  @ApiProperty({ example: 252, description: 'Aligned dates answered (≤ lookback_days)' }) observations!: number;
  @ApiProperty({ example: '1997-08-18', nullable: true, type: String, description: 'First date, null when the assets share none' }) from!: string | null;
  @ApiProperty({ example: '1998-08-14', nullable: true, type: String, description: 'Last date' }) to!: string | null;
  @ApiProperty({ type: [PortfolioWeightDto] }) weights!: PortfolioWeightDto[];
  @ApiProperty({ type: [String], example: ['1998-08-13', '1998-08-14'], description: 'The aligned dates, oldest first' }) dates!: string[];
  @ApiProperty({ type: [Number], example: [-0.0113, 0.0042], description: 'r_p,t = Σ wᵢ rᵢ,t on each date (fractions), one per date' }) returns!: number[];
}
