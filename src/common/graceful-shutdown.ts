import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** How long a SIGTERM / SIGINT may take before the process gives up waiting and exits (api.md: 10 s). */
const SHUTDOWN_DEADLINE_MS = 9_500;
const closers = new WeakMap<object, () => void>();
/**
 * Between the signal and closing the listener: requests already sent by clients are read (and
 * answered with Connection: close) instead of being cut off with their connection.
 */
const READ_IN_FLIGHT_MS = 500;
/** ... and after that, until no new request has been read for this long (bounded by READ_IN_FLIGHT_MAX_MS). */
const QUIET_MS = 150;
const READ_IN_FLIGHT_MAX_MS = 3_000;
const lastRequestAt = new WeakMap<object, number>();

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
  fastify.addHook('onRequest', (_request, _reply, done) => {
    lastRequestAt.set(app, performance.now());
    done();
  });
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
    readInFlight(app).then(() => app.close()).then(
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

/**
 * Lets the requests that clients already sent be read before the listener closes (closing destroys
 * the connections that look idle, including one whose request is still unread in its socket): at
 * least READ_IN_FLIGHT_MS, then until QUIET_MS pass with no new request, at most READ_IN_FLIGHT_MAX_MS.
 * Each wait ends with a setImmediate hop, so that sockets found readable in that loop turn are read
 * before the check (timers run before I/O in a turn of the event loop).
 */
async function readInFlight(app: object): Promise<void> {
  const start = performance.now();
  const hop = () => new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, READ_IN_FLIGHT_MS));
  await hop();
  while (performance.now() - start < READ_IN_FLIGHT_MAX_MS && performance.now() - (lastRequestAt.get(app) ?? 0) < QUIET_MS) {
    await new Promise((r) => setTimeout(r, QUIET_MS / 3));
    await hop();
  }
}
