import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** How long a SIGTERM / SIGINT may take before the process gives up waiting and exits (api.md: 10 s). */
const SHUTDOWN_DEADLINE_MS = 9_500;
const closers = new WeakMap<object, () => void>();
/**
 * Between the signal and closing the listener: requests already sent by clients are read (and
 * answered with Connection: close) instead of being cut off with their connection.
 */
const READ_IN_FLIGHT_MS = 500;

/**
 * api.md "Shutdown": from the moment the application starts closing, every response carries
 * `Connection: close`, so a keep-alive connection busy with a request closes after its answer;
 * idle ones are closed at once. Requests already read are answered normally (Fastify's bare 503
 * for them is off in the adapter).
 */
export function registerGracefulShutdown(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  let closing = false;
  const beginClosing = () => {
    if (closing) return;
    closing = true;
    // (idle keep-alive connections are closed by the HTTP server itself when it closes)
  };
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
  // app.close() without a signal (tests, embedding) gets the same behaviour.
  fastify.addHook('preClose', (done) => {
    beginClosing();
    done();
  });
  closers.set(app, beginClosing);
}

/**
 * SIGTERM / SIGINT: stop accepting and answer what is in flight (app.close(): HTTP server, NATS
 * handlers, then the shutdown hooks: NAV consumer, outbox flush, NATS drain, worker pool,
 * database), then exit 0. Past the deadline the process exits 1 with what is left.
 */
export function exitOnSignals(app: NestFastifyApplication, log: (msg: string) => void): void {
  let started = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (started) return;
    started = true;
    log(`${signal}: closing (in-flight requests are answered, then NATS is drained and the outbox flushed)`);
    closers.get(app)?.();
    const deadline = setTimeout(() => {
      log(`shutdown did not finish within ${SHUTDOWN_DEADLINE_MS} ms: exiting`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    new Promise((r) => setTimeout(r, READ_IN_FLIGHT_MS)).then(() => app.close()).then(
      () => {
        log('closed');
        process.exit(0);
      },
      (err: Error) => {
        log(`shutdown failed: ${err?.stack ?? err}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
