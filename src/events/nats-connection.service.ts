import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { connect, JetStreamClient, JetStreamManager, NatsConnection, nanos, RetentionPolicy, StorageType } from 'nats';
import { bounded } from '../common/bounded';
import { AppConfig } from '../config/app-config';
import { natsAuthOptions } from './nats-options';
import { DUPLICATE_WINDOW_MS, RISK_RUN_TASK_SUBJECT, RISK_RUNS_STREAM, RISK_STREAM, RISK_STREAM_SUBJECTS } from './subjects';

/**
 * The one NATS connection of the process for JetStream work (the outbox relay and the
 * NAV consumer). Reconnects forever: nats.js gives up after 10 attempts by default.
 * The first connection is made lazily and retried by its callers, so the service starts
 * (and accepts work into the outbox) while the broker is down.
 */
@Injectable()
export class NatsConnectionService implements OnApplicationShutdown {
  private readonly logger = new Logger(NatsConnectionService.name);
  private connection?: NatsConnection;
  private connecting?: Promise<NatsConnection>;
  private streamsReady = false;
  private closing = false;
  private shutdown?: Promise<void>;
  private readonly beforeCloseTasks: Array<() => Promise<void>> = [];

  constructor(private readonly config: AppConfig) {}

  /**
   * Work to finish before the connection goes at shutdown (the NAV consumer stops pulling, the
   * outbox relay publishes what is due): Nest runs the shutdown hooks of one module concurrently,
   * so the order is kept here.
   */
  beforeClose(task: () => Promise<void>): void {
    this.beforeCloseTasks.push(task);
  }

  get enabled(): boolean {
    return !!this.config.natsUrl;
  }

  /** Connected client, connecting first if needed. Rejects while the broker cannot be reached. */
  async get(): Promise<NatsConnection> {
    if (!this.config.natsUrl) throw new Error('NATS_URL is not configured');
    if (this.closing) throw new Error('the NATS connection is closed (shutting down)');
    if (this.connection && !this.connection.isClosed()) return this.connection;
    this.connecting ??= connect({
      servers: this.config.natsUrl,
      name: 'risk-service',
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
      timeout: 2000,
      ...natsAuthOptions(this.config.natsCredentials),
    })
      .then((nc) => {
        this.connection = nc;
        this.logger.log(`connected to NATS at ${nc.getServer()}`);
        void nc.closed().then(() => {
          if (this.connection === nc) this.connection = undefined;
        });
        return nc;
      })
      .finally(() => {
        this.connecting = undefined;
      });
    return this.connecting;
  }

  async jetstream(): Promise<JetStreamClient> {
    const nc = await this.get();
    if (!this.streamsReady) {
      await this.ensureStreams(await nc.jetstreamManager());
      this.streamsReady = true;
    }
    return nc.jetstream();
  }

  /** Creates the RISK and RISK_RUNS streams when absent; warns when an existing RISK would swallow requests. */
  private async ensureStreams(jsm: JetStreamManager): Promise<void> {
    await this.ensureRiskStream(jsm);
    await this.ensureRiskRunsStream(jsm);
  }

  /** Work queue of risk-run tasks: a message is removed once a consumer acks it. */
  private async ensureRiskRunsStream(jsm: JetStreamManager): Promise<void> {
    try {
      await jsm.streams.info(RISK_RUNS_STREAM);
    } catch (err) {
      if (!isStreamNotFound(err)) throw err;
      await jsm.streams.add({
        name: RISK_RUNS_STREAM,
        subjects: [RISK_RUN_TASK_SUBJECT],
        retention: RetentionPolicy.Workqueue,
        storage: StorageType.File,
        duplicate_window: nanos(DUPLICATE_WINDOW_MS),
      });
      this.logger.log(`created JetStream work-queue stream ${RISK_RUNS_STREAM} (${RISK_RUN_TASK_SUBJECT})`);
    }
  }

  private async ensureRiskStream(jsm: JetStreamManager): Promise<void> {
    try {
      const info = await jsm.streams.info(RISK_STREAM);
      const subjects = info.config.subjects ?? [];
      if (subjects.some((s) => s === 'risk.>' || s === '>' || s === 'risk.*.*')) {
        this.logger.warn(
          `stream ${RISK_STREAM} captures ${subjects.join(', ')}: JetStream will answer NATS requests on risk.*.calculate ` +
            `with its PubAck. Limit it to ${RISK_STREAM_SUBJECTS.join(', ')}.`,
        );
      }
      for (const s of RISK_STREAM_SUBJECTS) {
        if (!subjects.includes(s) && !subjects.includes('risk.>')) {
          await jsm.streams.update(RISK_STREAM, { ...info.config, subjects: [...subjects, s] });
          subjects.push(s);
        }
      }
    } catch (err) {
      if (!isStreamNotFound(err)) throw err;
      await jsm.streams.add({
        name: RISK_STREAM,
        subjects: RISK_STREAM_SUBJECTS,
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
        duplicate_window: nanos(DUPLICATE_WINDOW_MS),
      });
      this.logger.log(`created JetStream stream ${RISK_STREAM} (${RISK_STREAM_SUBJECTS.join(', ')})`);
    }
  }

  async ping(): Promise<void> {
    const nc = await this.get();
    await nc.flush();
  }

  /**
   * Shutdown: the registered tasks first (bounded), then a drain (pending publishes and acks are
   * flushed, subscriptions closed), bounded too: a close follows when the broker does not answer.
   */
  onApplicationShutdown(): Promise<void> {
    this.shutdown ??= this.close();
    return this.shutdown;
  }

  private async close(): Promise<void> {
    await bounded(Promise.all(this.beforeCloseTasks.map((task) => task())), 5000);
    this.closing = true;
    await bounded(this.connecting, 500);
    const nc = this.connection;
    this.connection = undefined;
    if (nc && !nc.isClosed()) {
      await bounded(nc.drain(), 2000);
      if (!nc.isClosed()) await bounded(nc.close(), 1000);
    }
  }
}

function isStreamNotFound(err: unknown): boolean {
  const e = err as { api_error?: { err_code?: number }; code?: string; message?: string };
  return e?.api_error?.err_code === 10059 || e?.code === '404' || /stream not found/i.test(e?.message ?? '');
}
