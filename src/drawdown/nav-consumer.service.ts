import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { AckPolicy, ConsumerMessages, DeliverPolicy, JsMsg } from 'nats';
import type { Counter } from 'prom-client';
import { runWithCorrelationId, resolveCorrelationId, CORRELATION_HEADER } from '../common/correlation-id';
import { bounded } from '../common/bounded';
import { DomainError, NotFoundError } from '../common/errors';
import { parseMoney } from '../common/money';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../common/hostile-input';
import { NatsConnectionService } from '../events/nats-connection.service';
import { AppConfig } from '../config/app-config';
import { HANDLER, RISK_STREAM } from '../events/subjects';
import { RiskMathError } from '../math/errors';
import { METRIC } from '../observability/metrics';
import { ID_PATTERN } from '../common/ids';
import { DrawdownMonitorService } from './drawdown-monitor.service';

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

/**
 * Consumes `risk.nav.updated` { portfolio_id, value, at } through a durable JetStream consumer
 * shared by every replica: a message is acknowledged only after the state is stored, so updates
 * published while the service was down are processed when it returns.
 * A message that can never succeed (not JSON, an invalid portfolio id or value, an unknown
 * portfolio, any other 4xx) is terminated at once, logged with its stream sequence and counted in
 * risk_nav_rejected_total{reason}. Any other failure (the database unavailable …) is redelivered
 * with exponential backoff, at most NATS_NAV_MAX_DELIVER deliveries (max_deliver on the consumer).
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

  /** Stops pulling, lets the message in hand finish (bounded), and releases the consumer's timers. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) {
      clearTimeout(this.retryTimer.timer);
      this.retryTimer.wake();
    }
    await bounded(this.messages?.close(), 2000);
    await bounded(this.loop, 3000);
  }

  private async run(): Promise<void> {
    let delay = 500;
    while (!this.stopped) {
      try {
        const consumer = await this.openConsumer();
        const messages = await consumer.consume({ max_messages: 100, expires: 5000 });
        this.messages = messages;
        // Stopped while consume() was on its way: release it now, or its heartbeat timers outlive the service.
        if (this.stopped) {
          await messages.close();
          break;
        }
        delay = 500;
        this.logger.log(`consuming ${HANDLER.navUpdated} as durable ${this.config.natsNavDurable} (max_deliver ${this.config.natsNavMaxDeliver})`);
        for await (const m of messages) await this.handle(m);
      } catch (err) {
        if (this.stopped) break;
        this.logger.warn(`NAV consumer unavailable, retrying in ${delay} ms: ${(err as Error).message}`);
        await new Promise<void>((wake) => (this.retryTimer = { timer: setTimeout(wake, delay), wake }));
        delay = Math.min(delay * 2, 10_000);
      }
    }
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

  private handle(m: JsMsg): Promise<void> {
    const corr = resolveCorrelationId(m.headers?.get(CORRELATION_HEADER) || undefined);
    return runWithCorrelationId(corr, async () => {
      try {
        const nav = parseNav(m.data);
        const r = await this.monitor.update(nav.portfolioId, { value: nav.value, at: nav.at });
        m.ack();
        this.logger.debug(`NAV ${nav.portfolioId} ${String(nav.at)} applied=${r.applied}`);
      } catch (err) {
        const failure = classify(err);
        const deliveries = m.info.redeliveryCount;
        if (failure) return this.reject(m, failure.reason, failure.message);
        if (deliveries >= this.config.natsNavMaxDeliver) {
          return this.reject(m, 'retries_exhausted', `failed ${deliveries} times, last: ${(err as Error).message}`);
        }
        const wait = navRetryDelayMs(deliveries);
        this.logger.warn({ stream_seq: m.seq, deliveries }, `NAV update failed, redelivering in ${wait} ms: ${(err as Error).message}`);
        m.nak(wait);
      }
    });
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
