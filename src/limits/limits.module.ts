import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { EventsModule } from '../events/events.module';
import { LimitHistoryCache } from './limit-history.cache';
import { LimitsController } from './limits.controller';
import { LimitsService } from './limits.service';

/** Versioned limits, their evaluation, and the breach flow shared by VaR and drawdown. */
@Module({
  imports: [AlertsModule, EventsModule],
  controllers: [LimitsController],
  providers: [LimitsService, LimitHistoryCache],
  exports: [LimitsService, LimitHistoryCache],
})
export class LimitsModule {}
