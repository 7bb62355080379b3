import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import { Public } from '../auth/public.decorator';

/** GET /metrics in Prometheus text format (no key unless METRICS_REQUIRE_API_KEY). */
@ApiExcludeController()
@Controller()
export class MetricsController extends PrometheusController {
  @Get()
  @Public((config) => !config.metricsRequireApiKey)
  override async index(@Res({ passthrough: true }) response: unknown) {
    return super.index(response);
  }
}
