import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AckPolicy, ConsumerMessages, DeliverPolicy } from 'nats';
import { runWithCorrelationId, resolveCorrelationId, CORRELATION_HEADER } from '../common/correlation-id';
import { bounded } from '../common/bounded';
import { DomainError } from '../common/errors';
import { parseUntrustedJson } from '../common/hostile-input';
import { NatsConnectionService } from '../events/nats-connection.service';
import { AppConfig } from '../config/app-config';
import { HANDLER, RISK_STREAM } from '../events/subjects';
import { DrawdownMonitorService } from './drawdown-monitor.service';

/**
 * Consumes `risk.nav.updated` { portfolio_id, value, at } through a durable JetStream consumer
 * shared by every replica: a message is acknowledged only after the state is stored, so updates
 * published while the service was down are processed when it returns. Bad messages (4xx) are
 * terminated and logged; other failures are redelivered after a second.
 */
@Injectable()
export class NavConsumerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('NavConsumer');
  private messages?: ConsumerMessages;
  private stopped = false;
  private loop?: Promise<void>;

  constructor(
    private readonly nats: NatsConnectionService,
    private readonly monitor: DrawdownMonitorService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.nats.enabled) this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await bounded(this.messages?.close(), 2000);
    await bounded(this.loop, 2000);
  }

  private async run(): Promise<void> {
    let delay = 500;
    while (!this.stopped) {
      try {
        const js = await this.nats.jetstream();
        const nc = await this.nats.get();
        const jsm = await nc.jetstreamManager();
        await jsm.consumers.add(RISK_STREAM, {
          durable_name: this.config.natsNavDurable,
          ...(this.config.natsNavInactiveSeconds ? { inactive_threshold: this.config.natsNavInactiveSeconds * 1e9 } : {}),
          filter_subject: HANDLER.navUpdated,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
          // Messages handed to a replica that stops before acking come back after ack_wait;
          // a redelivered update is harmless (the monitor ignores updates not newer than its state).
          ack_wait: 10_000_000_000,
          max_ack_pending: 1000,
        }).catch(async (err: Error) => {
          if (!/already in use|exists/i.test(String(err?.message))) throw err;
        });
        const consumer = await js.consumers.get(RISK_STREAM, this.config.natsNavDurable);
        this.messages = await consumer.consume({ max_messages: 100, expires: 5000 });
        delay = 500;
        this.logger.log(`consuming ${HANDLER.navUpdated} as durable ${this.config.natsNavDurable}`);
        for await (const m of this.messages) {
          const corr = resolveCorrelationId(m.headers?.get(CORRELATION_HEADER) || undefined);
          await runWithCorrelationId(corr, async () => {
            try {
              const body = parseUntrustedJson(m.data, 'payload') as { portfolio_id?: unknown; value?: unknown; at?: unknown } | null;
              if (!body || typeof body.portfolio_id !== 'string') throw new BadNav('portfolio_id is required');
              const r = await this.monitor.update(body.portfolio_id, { value: body.value, at: body.at });
              m.ack();
              this.logger.debug(`NAV ${body.portfolio_id} ${String(body.at)} applied=${r.applied}`);
            } catch (err) {
              if (err instanceof DomainError && (err as DomainError).status < 500 || err instanceof BadNav || err instanceof SyntaxError) {
                this.logger.warn(`dropped NAV update (seq ${m.seq}): ${(err as Error).message}`);
                m.term();
              } else {
                this.logger.error(`NAV update failed, redelivering (seq ${m.seq}): ${(err as Error).message}`);
                m.nak(1000);
              }
            }
          });
        }
      } catch (err) {
        if (this.stopped) break;
        this.logger.warn(`NAV consumer unavailable, retrying in ${delay} ms: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 10_000);
      }
    }
  }
}

class BadNav extends Error {}
