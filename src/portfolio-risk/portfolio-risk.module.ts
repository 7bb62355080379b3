import { Module } from '@nestjs/common';
import { CalculationModule } from '../calculation/calculation.module';
import { EventsModule } from '../events/events.module';
import { LimitsModule } from '../limits/limits.module';
import { PortfolioRiskController } from './portfolio-risk.controller';
import { PortfolioRiskNatsController } from './portfolio-risk.nats.controller';
import { PortfolioRiskService } from './portfolio-risk.service';

/** Stored VaR / CVaR of a portfolio: compute (calculation), check and record (limits), announce (events). */
@Module({
  imports: [CalculationModule, LimitsModule, EventsModule],
  controllers: [PortfolioRiskController, PortfolioRiskNatsController],
  providers: [PortfolioRiskService],
  exports: [PortfolioRiskService],
})
export class PortfolioRiskModule {}
