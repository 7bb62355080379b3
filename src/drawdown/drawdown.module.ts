import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { LimitsModule } from '../limits/limits.module';
import { DrawdownController } from './drawdown.controller';
import { DrawdownMonitorService } from './drawdown-monitor.service';
import { NavConsumerService } from './nav-consumer.service';

@Module({
  imports: [LimitsModule, EventsModule],
  controllers: [DrawdownController],
  providers: [DrawdownMonitorService, NavConsumerService],
  exports: [DrawdownMonitorService],
})
export class DrawdownModule {}
