import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { AckPolicy, ConsumerMessages, DeliverPolicy, JsMsg } from 'nats';
import type { Counter } from 'prom-client';
import { resolveCorrelationId, CORRELATION_HEADER } from '../common/correlation-id';
import { bounded } from '../common/bounded';
import { DomainError, NotFoundError } from '../common/errors';
import { parseMoney } from '../common/money';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../common/hostile-input';
import { NatsConnectionService } from '../events/nats-connection.service';
import { AppConfig } from '../config/app-config';
import { HANDLER, RISK_STREAM } from '../events/subjects';
import { ExclusiveLease } from '../persistence/repositories';
import { RiskMathError } from '../math/errors';
import { METRIC } from '../observability/metrics';
import { ID_PATTERN } from '../common/ids';
import { CheckedNav, checkNav, DrawdownMonitorService } from './drawdown-monitor.service';

/** Why a NAV message was terminated: the `reason` label of risk_nav_rejected_total. */
export type NavRejection = 'bad_json' | 'invalid_portfolio_id' | 'invalid_value' | 'invalid_message' | 'unknown_portfolio' | 'retries_exhausted';

/** A message that can never succeed, whatever the number of deliveries. */
class PermanentFailure extends Error {
  constructor(readonly reason: NavRejection, message: string) {
    super(message);
  }
}

const MAX_BACKOFF_MS = 30_000;
/** Redelivery delay after the n-th failed delivery: 0.5 s, 1 s, 2 s … capped at 30 s. */
export const navRetryDelayMs = (deliveries: number) => Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.max(0, deliveries - 1));

/** At most this many messages are taken in one batch. */
export const NAV_BATCH_MAX = 256;
/** A batch waits at most this long after its first message for more (the NAV path's added latency, at most). */
export const NAV_BATCH_LINGER_MS = 5;
/** Portfolios of one batch applied at a time (each in its own transaction, on its own pooled connection). */
export const NAV_GROUP_CONCURRENCY = 4;
/** A replica standing by tries to take the consumer lease this often. */
export const NAV_LEASE_RETRY_MS = 2000;

interface Pending {
  m: JsMsg;
  portfolioId: string;
  nav: CheckedNav;
}

/**
 * Consumes `risk.nav.updated` { portfolio_id, value, at } through a durable JetStream pull consumer
 * shared by every replica: a message is acknowledged only after the state is stored, so updates
 * published while the service was down are processed when it returns.
 *
 * Batches: the messages at hand (at most NAV_BATCH_MAX, waiting at most NAV_BATCH_LINGER_MS after the
 * first) are checked one by one, grouped by portfolio in stream order, and each portfolio's group is
 * applied in ONE transaction (DrawdownMonitorService.applyBatch), NAV_GROUP_CONCURRENCY portfolios at
 * a time; a group's messages are acknowledged after its commit. The next batch is taken when every
 * group of this one is settled, so one replica applies each portfolio's updates in stream order.
 *
 * Exactly-once state: an update is applied only when its `at` is newer than the stored state's
 * (current_at, compared under the row lock); a message without `at` takes the time JetStream stored
 * it, the same at every delivery. A group that failed, or that committed but whose acks were lost
 * (a crash between commit and ack), comes back and its updates are then not newer: ignored and
 * acknowledged, never applied twice. Groups of other portfolios are independent transactions: one
 * failing neither loses nor repeats another's.
 *
 * Several replicas on the same durable: JetStream would hand each replica different messages, and two
 * replicas applying at once could apply one portfolio's updates out of stream order (their
 * transactions are serialised by the portfolio's row lock, and the `at` rule keeps the state
 * consistent, but it would then ignore the older update as a late one instead of applying it). So one
 * replica consumes at a time: it holds ExclusiveLease `nav-consumer:<durable>` (a PostgreSQL advisory
 * lock on a session of its own), the others stand by. A replica that takes over while messages are
 * still unacknowledged (the previous holder died with a batch in hand) waits one ack_wait before
 * pulling: JetStream then redelivers those first, so they are applied before anything newer. See
 * README "NAV updates: batches, exactly-once state, replicas".
 *
 * A message that can never succeed (not JSON, an invalid portfolio id, value or time, an unknown
 * portfolio, any other 4xx) is terminated at once, on its own, logged with its stream sequence and
 * counted in risk_nav_rejected_total{reason}; the rest of its batch goes on. A group whose
 * transaction fails for a permanent reason is applied again one message at a time, so only the
 * offending message is terminated. Any other failure (the database unavailable …) naks the group's
 * messages with exponential backoff, at most NATS_NAV_MAX_DELIVER deliveries (max_deliver on the consumer).
 */
@Injectable()
export class NavConsumerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('NavConsumer');
  private messages?: ConsumerMessages;
  private stopped = false;
  private loop?: Promise<void>;
  private retryTimer?: { timer: NodeJS.Timeout; wake: () => void };

  constructor(
    private readonly nats: NatsConnectionService,
    private readonly monitor: DrawdownMonitorService,
    private readonly lease: ExclusiveLease,
    private readonly config: AppConfig,
    @InjectMetric(METRIC.navRejected) private readonly rejected: Counter<'reason'>,
  ) {}

  onApplicationBootstrap(): void {
    if (this.nats.enabled) {
      this.loop = this.run();
      this.nats.beforeClose(() => this.stop());
    }
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  /** Stops pulling, lets the batch in hand finish (bounded), and releases the consumer's timers. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) {
      clearTimeout(this.retryTimer.timer);
      this.retryTimer.wake();
    }
    await bounded(this.messages?.close(), 2000);
    await bounded(this.loop, 3000);
    // Also when the batch in hand outlived the bound: the lease's connection must go back before the pool closes.
    await this.lease.release();
  }

  private async run(): Promise<void> {
    let delay = 500;
    while (!this.stopped) {
      try {
        if (!(await this.takeLease())) break;
        const consumer = await this.openConsumer();
        // The replica that held the lease before may have died with messages in hand: they come back
        // after ack_wait, and must be applied before anything newer, so nothing is pulled before then.
        const { num_ack_pending: pending, config } = await consumer.info();
        if (pending > 0) {
          const wait = Math.round((config.ack_wait ?? 0) / 1e6);
          this.logger.log(`${pending} NAV messages taken by an earlier consumer are unacknowledged: waiting ${wait} ms (ack_wait) for their redelivery`);
          await this.pause(wait);
          if (this.stopped) break;
        }
        // Two batches buffered: the next one arrives while this one is applied.
        const messages = await consumer.consume({ max_messages: 2 * NAV_BATCH_MAX, expires: 5000 });
        this.messages = messages;
        // Stopped while consume() was on its way: release it now, or its heartbeat timers outlive the service.
        if (this.stopped) {
          await messages.close();
          break;
        }
        delay = 500;
        this.logger.log(`consuming ${HANDLER.navUpdated} as durable ${this.config.natsNavDurable} (max_deliver ${this.config.natsNavMaxDeliver}, batches of ≤ ${NAV_BATCH_MAX})`);
        const batches = new BatchReader(messages[Symbol.asyncIterator]());
        for (let batch = await batches.next(); batch; batch = await batches.next()) {
          if (!(await this.lease.held())) {
            // The lease's session ended (the database connection dropped): another replica may consume
            // now. This batch stays unacknowledged; whoever holds the lease next waits for its redelivery.
            this.logger.warn('lost the NAV consumer lease (database session ended): stopping, then taking it again');
            break;
          }
          await this.handleBatch(batch);
          if (this.stopped) break;
        }
        // Taken but not applied (stopping): back to the stream at once, ahead of newer messages.
        batches.release();
        await bounded(messages.close(), 2000);
      } catch (err) {
        if (this.stopped) break;
        this.logger.warn(`NAV consumer unavailable, retrying in ${delay} ms: ${(err as Error).message}`);
        await this.pause(delay);
        delay = Math.min(delay * 2, 10_000);
      }
    }
    await this.lease.release();
  }

  /**
   * One replica consumes NAV updates at a time (ExclusiveLease, per durable): JetStream would otherwise
   * hand each replica different messages, and two replicas could apply one portfolio's updates out of
   * stream order. The others stand by and take over when its database session ends. False: stopped.
   */
  private async takeLease(): Promise<boolean> {
    let standingBy = false;
    while (!this.stopped) {
      if (await this.lease.tryAcquire(`nav-consumer:${this.config.natsNavDurable}`)) return true;
      if (!standingBy) this.logger.log(`another replica consumes ${HANDLER.navUpdated} (durable ${this.config.natsNavDurable}): standing by`);
      standingBy = true;
      await this.pause(NAV_LEASE_RETRY_MS);
    }
    return false;
  }

  /** Waits `ms`, or less when stop() is called. */
  private pause(ms: number): Promise<void> {
    return new Promise<void>((wake) => (this.retryTimer = { timer: setTimeout(wake, ms), wake }));
  }

  /** Checks each message (a poison one is terminated here), then applies each portfolio's group. */
  async handleBatch(batch: readonly JsMsg[]): Promise<void> {
    const groups = new Map<string, Pending[]>();
    for (const m of batch) {
      const p = this.check(m);
      if (!p) continue;
      const group = groups.get(p.portfolioId);
      if (group) group.push(p);
      else groups.set(p.portfolioId, [p]);
    }
    const queue = [...groups.values()];
    const worker = async () => {
      for (let g = queue.shift(); g; g = queue.shift()) await this.applyGroup(g);
    };
    await Promise.all(Array.from({ length: Math.min(NAV_GROUP_CONCURRENCY, queue.length) }, worker));
  }

  /** The message's update, or undefined when it was terminated as poison. */
  private check(m: JsMsg): Pending | undefined {
    try {
      const nav = parseNav(m.data);
      const correlationId = resolveCorrelationId(m.headers?.get(CORRELATION_HEADER) || undefined);
      return { m, portfolioId: nav.portfolioId, nav: { ...checkNav(nav, new Date(Math.floor(m.info.timestampNanos / 1e6))), correlationId } };
    } catch (err) {
      const failure = classify(err) ?? new PermanentFailure('invalid_message', (err as Error).message);
      this.reject(m, failure.reason, failure.message);
      return undefined;
    }
  }

  /** One portfolio's messages (stream order) in one transaction, acknowledged after its commit. */
  private async applyGroup(group: Pending[]): Promise<void> {
    group.sort((a, b) => a.m.seq - b.m.seq); // redeliveries may arrive behind newer messages
    const portfolioId = group[0].portfolioId;
    try {
      const { applied } = await this.monitor.applyBatch(portfolioId, group.map((p) => p.nav));
      for (const p of group) p.m.ack();
      this.logger.debug(`NAV ${portfolioId}: ${group.length} messages, ${applied.filter(Boolean).length} applied`);
    } catch (err) {
      const failure = classify(err);
      if (!failure) {
        for (const p of group) this.retryLater(p.m, err);
      } else if (failure.reason === 'unknown_portfolio') {
        for (const p of group) this.reject(p.m, failure.reason, failure.message);
      } else {
        // Something in the group can never succeed: one message at a time, so only it is terminated.
        for (const p of group) await this.applyOne(p);
      }
    }
  }

  private async applyOne(p: Pending): Promise<void> {
    try {
      await this.monitor.applyBatch(p.portfolioId, [p.nav]);
      p.m.ack();
    } catch (err) {
      const failure = classify(err);
      if (failure) this.reject(p.m, failure.reason, failure.message);
      else this.retryLater(p.m, err);
    }
  }

  /** A transient failure: redelivered with backoff, or terminated once max_deliver is reached. */
  private retryLater(m: JsMsg, err: unknown): void {
    const deliveries = m.info.redeliveryCount;
    if (deliveries >= this.config.natsNavMaxDeliver) {
      return this.reject(m, 'retries_exhausted', `failed ${deliveries} times, last: ${(err as Error).message}`);
    }
    const wait = navRetryDelayMs(deliveries);
    this.logger.warn({ stream_seq: m.seq, deliveries }, `NAV update failed, redelivering in ${wait} ms: ${(err as Error).message}`);
    m.nak(wait);
  }

  private async openConsumer() {
    const js = await this.nats.jetstream();
    const jsm = await (await this.nats.get()).jetstreamManager();
    const durable = this.config.natsNavDurable;
    const maxDeliver = this.config.natsNavMaxDeliver;
    const existing = await jsm.consumers.info(RISK_STREAM, durable).catch(() => undefined);
    if (!existing) {
      await jsm.consumers
        .add(RISK_STREAM, {
          durable_name: durable,
          ...(this.config.natsNavInactiveSeconds ? { inactive_threshold: this.config.natsNavInactiveSeconds * 1e9 } : {}),
          filter_subject: HANDLER.navUpdated,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
          // Messages handed to a replica that stops before acking come back after ack_wait;
          // a redelivered update is harmless (the monitor ignores updates not newer than its state).
          ack_wait: 10_000_000_000,
          max_ack_pending: 1000,
          max_deliver: maxDeliver,
        })
        .catch((err: Error) => {
          if (!/already in use|exists/i.test(String(err?.message))) throw err; // another replica made it first
        });
    } else if (existing.config.max_deliver !== maxDeliver) {
      // A durable made by an earlier version (or another configuration): bring max_deliver in line.
      await jsm.consumers.update(RISK_STREAM, durable, { max_deliver: maxDeliver }).catch((e: Error) =>
        this.logger.warn(`could not set max_deliver ${maxDeliver} on durable ${durable}: ${e.message}`),
      );
    }
    return js.consumers.get(RISK_STREAM, durable);
  }

  private reject(m: JsMsg, reason: NavRejection, detail: string): void {
    m.term();
    this.rejected.inc({ reason });
    this.logger.warn({ stream_seq: m.seq, reason }, `terminated NAV message (stream seq ${m.seq}, ${reason}): ${detail}`);
  }
}

/** The message's fields, checked before any database work; a failure here is permanent. */
function parseNav(data: Uint8Array): { portfolioId: string; value: unknown; at: unknown } {
  let body: unknown;
  try {
    // The hostile-input layer's depth bound before parsing; the fields' own checks below refuse NUL
    // and lone surrogates (an id or a value holding one is invalid_portfolio_id / invalid_value).
    if (nestsDeeperThan(data)) throw new Error(`the message is nested more than ${MAX_JSON_DEPTH} levels deep`);
    body = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
  } catch (err) {
    throw new PermanentFailure('bad_json', `not JSON: ${(err as Error).message}`);
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new PermanentFailure('invalid_message', 'the message must be a JSON object { portfolio_id, value, at }');
  const { portfolio_id: portfolioId, value, at } = body as Record<string, unknown>;
  if (typeof portfolioId !== 'string' || !ID_PATTERN.test(portfolioId)) {
    throw new PermanentFailure('invalid_portfolio_id', `portfolio_id must be a portfolio id (got ${JSON.stringify(portfolioId)?.slice(0, 80)})`);
  }
  try {
    parseMoney(value, 'value', { positive: true });
  } catch (err) {
    throw new PermanentFailure('invalid_value', err instanceof DomainError ? err.message : `value must be a positive decimal amount (got ${JSON.stringify(value)?.slice(0, 80)})`);
  }
  return { portfolioId, value, at };
}

/** A permanent failure, or undefined for one worth retrying (the database or broker unavailable, a conflict …). */
function classify(err: unknown): PermanentFailure | undefined {
  if (err instanceof PermanentFailure) return err;
  if (err instanceof NotFoundError) return new PermanentFailure('unknown_portfolio', err.message);
  if ((err instanceof DomainError && err.status < 500 && err.status !== 409) || err instanceof RiskMathError) {
    return new PermanentFailure('invalid_message', (err as Error).message);
  }
  return undefined;
}

/**
 * Cuts a consumer's message stream into batches: the messages already at hand, at most NAV_BATCH_MAX,
 * waiting at most NAV_BATCH_LINGER_MS after a batch's first message for more. A pull that the linger
 * cut short is carried into the next batch (an async iterator's pending next() cannot be withdrawn).
 */
class BatchReader {
  private carry?: Promise<IteratorResult<JsMsg>>;

  constructor(private readonly it: AsyncIterator<JsMsg>) {}

  /** The next batch, or undefined when the stream has ended. */
  async next(): Promise<JsMsg[] | undefined> {
    const first = await (this.carry ?? this.it.next());
    this.carry = undefined;
    if (first.done) return undefined;
    const batch = [first.value];
    let timer: NodeJS.Timeout | undefined;
    const lingered = new Promise<'linger'>((resolve) => (timer = setTimeout(() => resolve('linger'), NAV_BATCH_LINGER_MS)));
    try {
      while (batch.length < NAV_BATCH_MAX) {
        const pull = this.it.next();
        const r = await Promise.race([pull, lingered]);
        if (r === 'linger' || r.done) {
          this.carry = pull;
          break;
        }
        batch.push(r.value);
      }
    } finally {
      clearTimeout(timer);
    }
    return batch;
  }

  /** A message pulled for the next batch that will not be applied (stopping): nak it so it comes back at once. */
  release(): void {
    void this.carry?.then((r) => !r.done && r.value.nak()).catch(() => undefined);
    this.carry = undefined;
  }
}
