/**
 * OpenTelemetry tracing, started by main.ts before anything else is loaded (the instrumentations
 * patch http, fastify, pg and ioredis when those are first required).
 *
 * Off and free unless OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set:
 * the SDK is not even loaded then, and the @opentelemetry/api calls elsewhere are no-ops. The
 * standard variables apply (OTEL_EXPORTER_OTLP_PROTOCOL http/protobuf | http/json | grpc,
 * OTEL_SERVICE_NAME, OTEL_TRACES_SAMPLER, OTEL_BSP_*, OTEL_SDK_DISABLED …). Traces only: metrics
 * stay on /metrics for Prometheus, logs on stdout.
 */
import { ProxyTracerProvider, trace } from '@opentelemetry/api';
import type { NodeSDK } from '@opentelemetry/sdk-node';

let sdk: NodeSDK | undefined;

export function tracingConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  return Boolean(endpoint) && env.OTEL_SDK_DISABLED?.toLowerCase() !== 'true' && env.OTEL_TRACES_EXPORTER !== 'none';
}

/** Starts the SDK once when configured; true when it runs. */
export function startTracing(env: NodeJS.ProcessEnv = process.env): boolean {
  if (sdk) return true;
  if (!tracingConfigured(env)) return false;
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only when tracing is on */
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  const { IORedisInstrumentation } = require('@opentelemetry/instrumentation-ioredis') as typeof import('@opentelemetry/instrumentation-ioredis');
  const { FastifyOtelInstrumentation } = require('@fastify/otel') as typeof import('@fastify/otel');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const unprobed = (url: string | undefined) => url === '/metrics' || (url ?? '').startsWith('/health');
  sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME ? undefined : 'risk-service',
    instrumentations: [
      // Prometheus scrapes and health probes would be most of the traces: not traced.
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => unprobed(req.url) }),
      // Request and handler spans; not one span per lifecycle hook (eight per request, noise).
      new FastifyOtelInstrumentation({ registerOnInitialization: true, instrumentHooks: false, ignorePaths: (opts) => unprobed(opts.url) }),
      // Database and cache calls are traced inside a request, NATS handler or publish only (the
      // outbox relay polls every 200 ms and would otherwise make a trace of each poll).
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return true;
}

/** Exports the spans still buffered (called when the application shuts down). */
export async function flushTracing(): Promise<void> {
  if (!sdk) return;
  const provider = (trace.getTracerProvider() as ProxyTracerProvider).getDelegate() as { forceFlush?: () => Promise<void> };
  await provider.forceFlush?.();
}

startTracing();
