import { Global, Module } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { CalculationMetrics } from './calculation-metrics.service';
import { CalculationRejections } from './calculation-rejections';
import { DependencyMetrics } from './dependency-metrics.service';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { metricProviders } from './metrics';
import { MetricsController } from './metrics.controller';
import { TracingLifecycle } from './tracing-lifecycle';
import { withPortfolioLabelPolicy } from './portfolio-labels';

const metrics = withPortfolioLabelPolicy(metricProviders);

@Global()
@Module({
  imports: [PrometheusModule.register({ controller: MetricsController, defaultMetrics: { enabled: true } })],
  controllers: [HealthController],
  providers: [HealthService, CalculationMetrics, CalculationRejections, TracingLifecycle, DependencyMetrics, ...metrics],
  exports: [HealthService, CalculationMetrics, CalculationRejections, ...metrics],
})
export class ObservabilityModule {}
