import { Module } from '@nestjs/common';
import { CalculationModule } from '../calculation/calculation.module';
import { EventsModule } from '../events/events.module';
import { LimitsModule } from '../limits/limits.module';
import { PortfolioRiskController } from './portfolio-risk.controller';
import { PortfolioRiskNatsController } from './portfolio-risk.nats.controller';
import { PortfolioRiskService } from './portfolio-risk.service';
import { RiskRunConsumer } from './risk-run.consumer';
import { RiskRunsController } from './risk-runs.controller';
import { RiskRunsService } from './risk-runs.service';
import { StressController } from './stress.controller';
import { StressService } from './stress.service';
import { PreTradeResponder } from './pretrade.responder';
import { WhatIfController } from './what-if.controller';
import { WhatIfService } from './what-if.service';

/**
 * Stored VaR / CVaR of a portfolio: compute (calculation), check and record (limits), announce
 * (events); risk runs, the same for many portfolios across the replicas (JetStream work queue);
 * stress scenarios (P&L of a book under shocks, a historical range, its worst window; not stored);
 * what-if and the pre-trade check (risk.pretrade.check, served by a raw NATS subscription: PreTradeResponder).
 */
@Module({
  imports: [CalculationModule, LimitsModule, EventsModule],
  controllers: [PortfolioRiskController, PortfolioRiskNatsController, RiskRunsController, StressController, WhatIfController],
  providers: [PortfolioRiskService, RiskRunsService, RiskRunConsumer, StressService, WhatIfService, PreTradeResponder],
  exports: [PortfolioRiskService],
})
export class PortfolioRiskModule {}
