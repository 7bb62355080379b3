import { Module } from '@nestjs/common';
import { CalculationController } from './calculation.controller';
import { CalculationNatsController } from './calculation.nats.controller';
import { CalculationPool } from './calculation-pool.service';
import { CalculationService } from './calculation.service';
import { PortfolioCalculator } from './portfolio-calculator.service';
import { PositionSizingService } from './position-sizing.service';

@Module({
  controllers: [CalculationController, CalculationNatsController],
  providers: [CalculationService, PositionSizingService, PortfolioCalculator, CalculationPool],
  exports: [CalculationService, PositionSizingService, PortfolioCalculator],
})
export class CalculationModule {}
