import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AckPolicy, Consumer, DeliverPolicy, JsMsg, JSONCodec, nanos } from 'nats';
import { bounded } from '../common/bounded';
import { CORRELATION_HEADER, resolveCorrelationId, runWithCorrelationId } from '../common/correlation-id';
import { AppConfig } from '../config/app-config';
import { NatsConnectionService } from '../events/nats-connection.service';
import { RISK_RUN_TASK_SUBJECT, RISK_RUNS_STREAM } from '../events/subjects';
import { RiskRunTaskMessage } from './dto/risk-run-request.dto';
import { RiskRunsService } from './risk-runs.service';

const codec = JSONCodec();
/** A task whose failure looked transient this many times counts as failed (a poison message must not circle forever). */
const MAX_DELIVERIES = 10;
/** Wait before a transient failure is retried (nak delay). */
const RETRY_DELAY_MS = 1000;
/** How long one pull waits for a task on an empty queue. */
const PULL_EXPIRES_MS = 5000;

/**
 * Takes risk-run tasks from the RISK_RUNS work queue through one durable pull consumer shared by
 * every replica (RISK_RUNS_DURABLE): `RISK_RUN_CONCURRENCY` loops per replica, each pulling ONE
 * task at a time, so a replica never holds more tasks than it works on. A task is acknowledged
 * after its result is stored and counted; while it runs, `working()` pushes its deadline back
 * every half ack wait. A replica that dies stops doing so: its tasks come back to the others
 * RISK_RUN_ACK_WAIT_MS later, and a task it had stored but not acknowledged is found settled and
 * stores nothing (RiskRunsService.runTask).
 */
@Injectable()
export class RiskRunConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RiskRunConsumer');
  private stopped = false;
  /** Tasks being worked on: shutdown lets them finish (bounded); idle pulls are not waited for. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly nats: NatsConnectionService,
    private readonly runs: RiskRunsService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.nats.enabled) void this.run();
  }

  /** Stops taking tasks and lets the ones in hand finish (a task cut short is redelivered anyway). */
  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await bounded(Promise.all(this.inFlight), 5000);
  }

  private async run(): Promise<void> {
    let delay = 500;
    while (!this.stopped) {
      try {
        const consumer = await this.consumer();
        delay = 500;
        this.logger.log(`taking ${RISK_RUN_TASK_SUBJECT} as durable ${this.config.riskRuns.durable} (${this.config.riskRuns.concurrency} at a time)`);
        await Promise.all(Array.from({ length: this.config.riskRuns.concurrency }, () => this.work(consumer)));
      } catch (err) {
        if (this.stopped) break;
        this.logger.warn(`risk-run consumer unavailable, retrying in ${delay} ms: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 10_000);
      }
    }
  }

  /** The durable consumer, created on first use; its ack wait and pending cap follow the configuration. */
  private async consumer(): Promise<Consumer> {
    const js = await this.nats.jetstream(); // creates the RISK_RUNS stream when absent
    const jsm = await (await this.nats.get()).jetstreamManager();
    const { durable, ackWaitMs } = this.config.riskRuns;
    const tuning = { ack_wait: nanos(ackWaitMs), max_ack_pending: 10_000, max_deliver: -1 };
    try {
      await jsm.consumers.add(RISK_RUNS_STREAM, { durable_name: durable, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, ...tuning });
    } catch (err) {
      if (!/already in use|exists/i.test(String((err as Error)?.message))) throw err;
      await jsm.consumers.update(RISK_RUNS_STREAM, durable, tuning);
    }
    return js.consumers.get(RISK_RUNS_STREAM, durable);
  }

  /** One pull loop: a task at a time. Returns (to be restarted) when the consumer fails. */
  private async work(consumer: Consumer): Promise<void> {
    while (!this.stopped) {
      const m = await consumer.next({ expires: PULL_EXPIRES_MS });
      if (!m) continue;
      if (this.stopped) {
        m.nak(); // taken while stopping: straight back to the other replicas
        return;
      }
      const task = this.handle(m);
      this.inFlight.add(task);
      await task.finally(() => this.inFlight.delete(task));
    }
  }

  private async handle(m: JsMsg): Promise<void> {
    let task: RiskRunTaskMessage;
    try {
      task = codec.decode(m.data) as RiskRunTaskMessage;
      if (typeof task?.run_id !== 'string' || typeof task?.portfolio_id !== 'string') throw new Error('run_id and portfolio_id are required');
    } catch (err) {
      this.logger.warn(`dropped a malformed risk-run task (seq ${m.seq}): ${(err as Error).message}`);
      m.term();
      return;
    }
    const corr = resolveCorrelationId(m.headers?.get(CORRELATION_HEADER) || undefined);
    await runWithCorrelationId(corr, async () => {
      const delivery = m.info.deliveryCount;
      this.logger.debug({ run_id: task.run_id, portfolio_id: task.portfolio_id, delivery }, 'risk run task taken');
      const heartbeat = setInterval(() => m.working(), Math.max(500, this.config.riskRuns.ackWaitMs / 2));
      try {
        const result = await this.runs.runTask(task);
        m.ack();
        this.logger.debug({ run_id: task.run_id, portfolio_id: task.portfolio_id, delivery, result }, 'risk run task acked');
      } catch (err) {
        const message = (err as Error).message;
        if (delivery >= MAX_DELIVERIES) {
          this.logger.error({ ...task, delivery }, `risk run task failed ${delivery} times, counted as failed: ${message}`);
          await this.runs.fail(task.run_id, task.portfolio_id, message).then(() => m.ack(), () => m.nak(RETRY_DELAY_MS));
        } else {
          this.logger.warn({ ...task, delivery }, `risk run task failed, retrying: ${message}`);
          m.nak(RETRY_DELAY_MS);
        }
      } finally {
        clearInterval(heartbeat);
      }
    });
  }
}
