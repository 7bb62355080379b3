import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { headers as natsHeaders, JSONCodec } from 'nats';
import type { Gauge } from 'prom-client';
import { bounded } from '../common/bounded';
import { runWithCorrelationId } from '../common/correlation-id';
import { AppConfig } from '../config/app-config';
import { METRIC } from '../observability/metrics';
import { publishSpan } from '../observability/trace-context';
import { OutboxEvent } from '../persistence/models';
import { OutboxRepository } from '../persistence/repositories';
import { NatsConnectionService } from './nats-connection.service';
import { OutboxService } from './outbox.service';

const BATCH = 200;
const LEASE_MS = 30_000;
const codec = JSONCodec();
/** Sent events are kept this long (to look at what was just published; the RISK stream keeps them), then deleted. */
export const SENT_RETENTION_MS = 60 * 60 * 1000;
/** Housekeeping after this many events sent by this relay, or HOUSEKEEPING_MS after the last pass when any were. */
export const HOUSEKEEPING_EVERY = 5000;
const HOUSEKEEPING_MS = 60_000;
/** Rows per DELETE, and DELETEs per pass (a backlog is worked off over several passes, in short statements). */
export const DELETE_BATCH = 1000;
export const DELETE_BATCHES_PER_PASS = 100;

/**
 * Publishes outbox events to JetStream with Nats-Msg-Id = event id, x-correlation-id and the W3C
 * traceparent of the request that wrote them (span "<subject> publish"), waits for
 * the publish ack, then marks them sent. While the broker is down it retries with exponential
 * backoff (capped at OUTBOX_MAX_BACKOFF_MS): events wait in the database, never lost. Without
 * NATS_URL it logs each event and marks it delivered. Several replicas share the work through
 * leases (SKIP LOCKED); JetStream's duplicate window drops a re-publish after a lost ack.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private flushed?: Promise<void>;
  private housekeeping?: Promise<void>;
  private sentSinceHousekeeping = 0;
  private lastHousekeeping = Date.now();

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly nats: NatsConnectionService,
    private readonly config: AppConfig,
    outboxService: OutboxService,
    @InjectMetric(METRIC.outboxPending) private readonly pending: Gauge,
  ) {
    outboxService.onCommitted(() => this.kick());
    nats.beforeClose(() => this.flush());
  }

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  onApplicationShutdown(): Promise<void> {
    return this.flush();
  }

  /**
   * Shutdown (once, after the HTTP server has answered its last request): stops the timer, waits
   * for the cycle under way, then publishes what is due one last time (bounded). Events left over
   * stay in the outbox for the next start or another replica.
   */
  flush(): Promise<void> {
    this.flushed ??= (async () => {
      this.stopped = true;
      if (this.timer) clearTimeout(this.timer);
      await bounded(this.running, 3000);
      await bounded(
        this.drain().catch((err: Error) => this.logger.warn(`final outbox flush failed: ${err.message}`)),
        3000,
      );
      // Housekeeping under way stops at its next step; the final publish did not wait for it.
      await bounded(this.housekeeping, 1000);
    })();
    return this.flushed;
  }

  /** Runs a cycle as soon as possible (after a commit). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  /** One pass over due events; resolves when it is done (tests and shutdown use it). */
  async drain(): Promise<number> {
    let total = 0;
    let pending: number | null = null; // as counted by the last markSent
    for (;;) {
      const batch = await this.outbox.claimDue(BATCH, LEASE_MS);
      if (batch.length === 0) break;
      const delivered = await this.deliver(batch);
      total += delivered.sent;
      this.sentSinceHousekeeping += delivered.sent;
      pending = delivered.pending;
      if (batch.length < BATCH) break;
    }
    this.pending.set(pending ?? (await this.outbox.countPending()));
    this.maybeHousekeep();
    return total;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.cycle().finally(() => {
        this.running = undefined;
        const next = this.again ? 0 : this.config.outboxPollMs;
        this.again = false;
        this.schedule(next);
      });
    }, ms);
  }

  private async cycle(): Promise<void> {
    try {
      await this.drain();
    } catch (err) {
      this.logger.warn(`relay cycle failed: ${(err as Error).message}`);
    }
  }

  /**
   * The outbox is a queue table: each event marked sent leaves a dead row version and index entry
   * behind until a VACUUM, and sent rows would pile up. After HOUSEKEEPING_EVERY events sent, or a
   * minute after the last pass when any were, in the background of the relay: `housekeep`.
   */
  private maybeHousekeep(): void {
    if (this.housekeeping || this.stopped || this.sentSinceHousekeeping === 0) return;
    if (this.sentSinceHousekeeping < HOUSEKEEPING_EVERY && Date.now() - this.lastHousekeeping < HOUSEKEEPING_MS) return;
    this.sentSinceHousekeeping = 0;
    this.lastHousekeeping = Date.now();
    this.housekeeping = this.housekeep()
      .then(
        () => undefined,
        (err: Error) => this.logger.warn(`outbox housekeeping failed: ${err.message}`),
      )
      .finally(() => (this.housekeeping = undefined));
  }

  /**
   * Deletes the events sent more than SENT_RETENTION_MS ago, DELETE_BATCH rows per statement and
   * at most DELETE_BATCHES_PER_PASS statements (a backlog goes over several passes, so that no
   * statement holds the database long: on PGlite each one holds the event loop), then VACUUMs
   * the table where the database does not by itself (PGlite; PostgreSQL with autovacuum off, as
   * on the CI's): there, the table's own thresholds of 1,000 rows apply. Stops between steps once
   * the relay stops. Answers how many were deleted.
   */
  async housekeep(): Promise<number> {
    let deleted = 0;
    for (let i = 0; i < DELETE_BATCHES_PER_PASS && !this.stopped; i++) {
      const n = await this.outbox.deleteSent(SENT_RETENTION_MS, DELETE_BATCH);
      deleted += n;
      if (n < DELETE_BATCH) break;
      await new Promise((r) => setImmediate(r)); // requests go first between statements
    }
    if (!this.stopped && !(await this.outbox.autovacuumRuns())) await this.outbox.vacuum();
    return deleted;
  }

  /** Publishes in order; stops at the first failure so later events wait behind it. Answers how many were sent, and how many events are pending after it. */
  private async deliver(batch: OutboxEvent[]): Promise<{ sent: number; pending: number }> {
    const sent: string[] = [];
    try {
      for (const e of batch) {
        if (this.nats.enabled) {
          await this.publish(e);
        } else {
          runWithCorrelationId(e.correlationId ?? e.id, () => this.logger.log({ event: e.payload, subject: e.subject }, `event ${e.subject} (NATS not configured)`));
        }
        sent.push(e.id);
      }
    } catch (err) {
      const failed = batch[sent.length];
      const delay = Math.min(this.config.outboxMaxBackoffMs, this.config.outboxPollMs * 2 ** Math.min(failed.attempts, 16));
      this.logger.warn(`publish of ${failed.subject} ${failed.id} failed (attempt ${failed.attempts + 1}, retry in ${delay} ms): ${(err as Error).message}`);
      await this.outbox.markFailed(failed.id, (err as Error).message, new Date(Date.now() + delay));
      // The rest of the batch waits for the same retry time (their lease is released now).
      for (const e of batch.slice(sent.length + 1)) await this.outbox.markFailed(e.id, 'waiting behind a failed publish', new Date(Date.now() + delay));
    }
    const pending = await this.outbox.markSent(sent);
    return { sent: sent.length, pending };
  }

  private async publish(e: OutboxEvent): Promise<void> {
    const js = await withTimeout(this.nats.jetstream(), 5000);
    const h = natsHeaders();
    for (const [k, v] of Object.entries(e.headers)) h.set(k, v);
    // A PRODUCER span in the trace of the request that wrote the event; its traceparent goes on the message.
    await publishSpan(e.subject, e.id, e.traceparent, h, () => js.publish(e.subject, codec.encode(e.payload), { msgID: e.id, headers: h, timeout: 5000 }));
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`NATS not reachable within ${ms} ms`)), ms);
    p.then((v) => (clearTimeout(t), resolve(v)), (e) => (clearTimeout(t), reject(e)));
  });
}
