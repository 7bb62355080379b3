import { Module } from '@nestjs/common';
import { CalculationController } from './calculation.controller';
import { CalculationService } from './calculation.service';
import { PositionSizingService } from './position-sizing.service';

@Module({
  controllers: [CalculationController],
  providers: [CalculationService, PositionSizingService],
  exports: [CalculationService, PositionSizingService],
})
export class CalculationModule {}
