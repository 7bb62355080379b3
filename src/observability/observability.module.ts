import { Global, Module } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { CalculationMetrics } from './calculation-metrics.service';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { metricProviders } from './metrics';
import { MetricsController } from './metrics.controller';

@Global()
@Module({
  imports: [PrometheusModule.register({ controller: MetricsController, defaultMetrics: { enabled: true } })],
  controllers: [HealthController],
  providers: [HealthService, CalculationMetrics, ...metricProviders],
  exports: [HealthService, CalculationMetrics, ...metricProviders],
})
export class ObservabilityModule {}
