import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getToken } from '@willsoto/nestjs-prometheus';
import type { Histogram } from 'prom-client';
import { METRIC } from './metrics';

/** Observes every HTTP answer (routed or not) in http_request_duration_seconds. */
export function registerHttpMetrics(app: NestFastifyApplication): void {
  const histogram = app.get<Histogram<'method' | 'route' | 'status_code'>>(getToken(METRIC.httpDuration));
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions?.url ?? 'unmatched';
    histogram.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
