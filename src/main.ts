// First: OpenTelemetry must patch http, fastify, pg and ioredis before they load (off unless configured).
import './observability/tracing';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { AppConfig, ConfigValidationError } from './config/app-config';
import { exitOnSignals } from './common/graceful-shutdown';

async function bootstrap() {
  const app = await createApp();
  const config = app.get(AppConfig);
  await app.startAllMicroservices();
  await app.listen(config.port, config.host);
  const logger = new Logger('Shutdown');
  exitOnSignals(app, (msg) => logger.log(msg));
  new Logger('Bootstrap').log(`risk service listening on http://${config.host}:${config.port} (Swagger UI at /docs)`);
}

bootstrap().catch((err: unknown) => {
  // A configuration error is the operator's to fix: say which variable, without a stack.
  const message = err instanceof ConfigValidationError ? err.message : (err as Error)?.stack ?? String(err);
  process.stderr.write(`${JSON.stringify({ level: 'fatal', msg: 'failed to start', error: message })}\n`);
  process.exit(1);
});
