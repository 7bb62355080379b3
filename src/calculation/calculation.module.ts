import { Module } from '@nestjs/common';
import { LimitsModule } from '../limits/limits.module';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsService } from './analytics.service';
import { CalculationController } from './calculation.controller';
import { CalculationNatsController } from './calculation.nats.controller';
import { CalculationPool } from './calculation-pool.service';
import { CalculationService } from './calculation.service';
import { PortfolioBookCache } from './portfolio-book.cache';
import { PortfolioCalculator } from './portfolio-calculator.service';
import { PositionSizingService } from './position-sizing.service';

/** Stateless calculations and the portfolio calculator; the position cap of a stored portfolio comes from limits. */
@Module({
  imports: [LimitsModule],
  controllers: [CalculationController, AnalyticsController, CalculationNatsController],
  providers: [CalculationService, AnalyticsService, PositionSizingService, PortfolioCalculator, CalculationPool, PortfolioBookCache],
  exports: [CalculationService, PositionSizingService, PortfolioCalculator, PortfolioBookCache, CalculationPool],
})
export class CalculationModule {}
