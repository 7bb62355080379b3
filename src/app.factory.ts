import type { IncomingMessage } from 'node:http';
import { ConsoleLogger, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { AppModule } from './app.module';
import { PlainJsonDeserializer, PlainJsonSerializer } from './events/nats-serdes';
import { QUEUE_GROUP } from './events/subjects';
import { natsAuthOptions } from './events/nats-options';
import { AppValidationPipe } from './common/app-validation.pipe';
import { AppConfig } from './config/app-config';
import { setupSwagger } from './observability/swagger';
import { registerHttpMetrics } from './observability/http-metrics';
import { registerContentParsers } from './common/content-parsers';
import { CORRELATION_HEADER, runWithCorrelationId } from './common/correlation-id';
import { correlationIdOf, registerRequestLog } from './observability/logging';
import { registerGracefulShutdown } from './common/graceful-shutdown';
import { registerRateLimit } from './common/rate-limit';
import { frameworkErrorOptions, registerClosingAnswer } from './common/framework-errors';
import { registerApiKeyHook } from './auth/api-key.hook';
import { registerHostileInputGuards } from './common/hostile-input.http';

/**
 * Builds the application exactly as production runs it (used by main.ts and by the
 * e2e suites): Fastify, pino, global validation, Swagger, HTTP metrics, shutdown hooks.
 */
export async function createApp(): Promise<NestFastifyApplication> {
  // Read once up front so that a bad variable fails before anything starts.
  const { loadConfig } = await import('./config/app-config');
  const early = loadConfig();
  const adapter = new FastifyAdapter({
    bodyLimit: early.bodyLimitBytes,
    // The request id is the correlation id (x-correlation-id when well-formed, else a UUID).
    genReqId: (req: IncomingMessage) => correlationIdOf(req),
    requestIdHeader: false,
    // No Nest middleware (the request log and context are Fastify hooks): no @fastify/middie layer.
    skipMiddie: true,
    ...frameworkErrorOptions(),
  });
  registerClosingAnswer(adapter.getInstance());
  // The request's async context (correlation id, then the key's name and portfolio scope), opened
  // by the first hook: Fastify carries it through the body parser, hooks and handler. A Fastify
  // hook rather than nestjs-cls's ClsModule, whose middleware and global no-op guard and interceptor
  // cost each request an interceptor chain (issue 11).
  adapter.getInstance().addHook('onRequest', (request, reply, done) => {
    reply.header(CORRELATION_HEADER, request.id);
    runWithCorrelationId(request.id, done);
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, {
    bufferLogs: true,
    // Until pino takes over (and when start-up fails) Nest's own lines are JSON too, never
    // coloured text; a failure is thrown to main.ts, not answered with process.abort().
    logger: new ConsoleLogger({ json: true, colors: false }),
    abortOnError: false,
  });
  const config = app.get(AppConfig);
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(new AppValidationPipe());
  registerApiKeyHook(app); // before Swagger: its routes are marked public as they are registered
  registerHostileInputGuards(app, config.bodyLimitBytes);
  registerContentParsers(app);
  registerRateLimit(app);
  registerGracefulShutdown(app);
  registerHttpMetrics(app);
  registerRequestLog(app);
  setupSwagger(app, config);
  if (config.natsUrl && config.natsHandlersEnabled) {
    app.connectMicroservice<MicroserviceOptions>(
      {
        transport: Transport.NATS,
        options: {
          servers: [config.natsUrl],
          queue: QUEUE_GROUP,
          name: 'risk-service-handlers',
          maxReconnectAttempts: -1,
          reconnectTimeWait: 1000,
          serializer: new PlainJsonSerializer(),
          deserializer: new PlainJsonDeserializer(),
          // At shutdown: unsubscribe, give handlers in flight this long to answer, then close.
          gracefulShutdown: true,
          gracePeriod: 500,
          ...natsAuthOptions(config.natsCredentials),
        },
      },
      { inheritAppConfig: true },
    );
  }
  // Signals are handled by main.ts (exitOnSignals): Nest's own hooks would re-raise SIGTERM (exit 143).
  return app;
}

export type App = INestApplication;
