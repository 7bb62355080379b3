import { Module } from '@nestjs/common';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsService } from './analytics.service';
import { CalculationController } from './calculation.controller';
import { CalculationNatsController } from './calculation.nats.controller';
import { CalculationService } from './calculation.service';
import { PortfolioCalculator } from './portfolio-calculator.service';
import { PositionSizingService } from './position-sizing.service';

@Module({
  controllers: [CalculationController, AnalyticsController, CalculationNatsController],
  providers: [CalculationService, AnalyticsService, PositionSizingService, PortfolioCalculator],
  exports: [CalculationService, PositionSizingService, PortfolioCalculator],
})
export class CalculationModule {}
