import { Global, Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { CalculationModule } from '../calculation/calculation.module';
import { PositionLimitSource } from '../calculation/position-sizing.service';
import { LimitsController } from './limits.controller';
import { LimitsService } from './limits.service';
import { PortfolioRiskNatsController } from './portfolio-risk.nats.controller';
import { PortfolioRiskService } from './portfolio-risk.service';

@Global()
@Module({
  imports: [CalculationModule, AlertsModule],
  controllers: [LimitsController, PortfolioRiskNatsController],
  providers: [LimitsService, PortfolioRiskService, { provide: PositionLimitSource, useExisting: LimitsService }],
  exports: [LimitsService, PortfolioRiskService, PositionLimitSource],
})
export class LimitsModule {}
