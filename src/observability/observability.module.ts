import { Global, Module } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { CalculationMetrics } from './calculation-metrics.service';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { metricProviders } from './metrics';
import { MetricsController } from './metrics.controller';
import { withPortfolioLabelPolicy } from './portfolio-labels';

const metrics = withPortfolioLabelPolicy(metricProviders);

@Global()
@Module({
  imports: [PrometheusModule.register({ controller: MetricsController, defaultMetrics: { enabled: true } })],
  controllers: [HealthController],
  providers: [HealthService, CalculationMetrics, ...metrics],
  exports: [HealthService, CalculationMetrics, ...metrics],
})
export class ObservabilityModule {}
