import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { DrawdownController } from './drawdown.controller';
import { DrawdownMonitorService } from './drawdown-monitor.service';
import { NavConsumerService } from './nav-consumer.service';

@Module({
  imports: [AlertsModule],
  controllers: [DrawdownController],
  providers: [DrawdownMonitorService, NavConsumerService],
  exports: [DrawdownMonitorService],
})
export class DrawdownModule {}
