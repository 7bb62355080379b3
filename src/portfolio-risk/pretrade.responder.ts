import { ArgumentMetadata, BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { RpcParamtype } from '@nestjs/microservices/enums/rpc-paramtype.enum';
import { context } from '@opentelemetry/api';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { connect, headers as natsHeaders, Msg, NatsConnection, NatsError, Subscription } from 'nats';
import type { Histogram } from 'prom-client';
import { reportedErrorBody } from '../common/all-exceptions.filter';
import { AppValidationPipe } from '../common/app-validation.pipe';
import { bounded } from '../common/bounded';
import { CORRELATION_HEADER, resolveCorrelationId, runWithCorrelationId } from '../common/correlation-id';
import { AppConfig } from '../config/app-config';
import { natsAuthOptions } from '../events/nats-options';
import { decodePayload, isNestEnvelope } from '../events/nats-serdes';
import { HANDLER, QUEUE_GROUP } from '../events/subjects';
import { METRIC } from '../observability/metrics';
import { NatsRequestOutcome, startNatsRequest } from '../observability/nats-request';
import { PreTradeMessageDto } from './dto/what-if.dto';
import { WhatIfService } from './what-if.service';

const SUBJECT = HANDLER.preTradeCheck;
/** How the global pipe sees a NATS handler's @Payload() (the validation is the Nest handlers'). */
const PAYLOAD = { type: RpcParamtype.PAYLOAD, metatype: PreTradeMessageDto, data: undefined } as unknown as ArgumentMetadata;
const encoder = new TextEncoder();

/**
 * NATS risk.pretrade.check { portfolio_id, trades, method, confidence, horizon_days, lookback_days }:
 * the answer of POST /v1/portfolios/:id/what-if from the per-portfolio cache (the trading engine's
 * path, docs/api.md "Pre-trade check over NATS": p99 ≤ 1 ms).
 *
 * Served from a plain nats.js subscription in the handlers' queue group instead of a Nest
 * @MessagePattern: Nest's microservice pipeline (deserializer, pattern routing, rxjs, interceptor,
 * pipe, filter, serializer) cost about 0.3 ms of a 0.85 ms answer. Everything a Nest NATS handler
 * does is kept, from the same code: the payload is decoded under the hostile-input rules
 * (decodePayload), validated by the global pipe (AppValidationPipe, RPC payload), the handler runs
 * in a context carrying the `x-correlation-id` of the message (or a new UUID) and inside its SERVER
 * span, with one log line and risk_nats_request_duration_seconds{subject, status_code} per request
 * (startNatsRequest); an error answers `{ "error": { …the REST error body… } }` (reportedErrorBody,
 * as the exception filter), and every reply carries `x-correlation-id`. A Nest client's envelope
 * is answered in Nest's shape (`{ response | err, isDisposed, id }`), as Nest's transport did.
 * The connection authenticates as the Nest transport does (natsAuthOptions): the broker's
 * permissions are the boundary (README "Security").
 *
 * Lifecycle: subscribed at application bootstrap when NATS handlers are enabled (a start without
 * the broker fails, as Nest's transport does); at shutdown (before the other shutdown hooks: the
 * database, the worker pool and the cache are still there) the subscription is drained, the
 * requests in flight are answered, then the connection is drained. With a queue group, requests
 * published after the unsubscription go to the other replicas.
 */
@Injectable()
export class PreTradeResponder implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PreTradeResponder.name);
  private readonly pipe = new AppValidationPipe();
  private connection?: NatsConnection;
  private subscription?: Subscription;
  private inFlight = 0;
  private idle?: () => void;

  constructor(
    private readonly whatIfs: WhatIfService,
    private readonly config: AppConfig,
    @InjectMetric(METRIC.natsDuration) private readonly duration: Histogram<'subject' | 'status_code'>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.natsUrl || !this.config.natsHandlersEnabled) return;
    const nc = await connect({
      servers: [this.config.natsUrl],
      name: 'risk-service-pretrade',
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
      ...natsAuthOptions(this.config.natsCredentials),
    });
    this.connection = nc;
    this.subscription = nc.subscribe(SUBJECT, { queue: QUEUE_GROUP, callback: (err, msg) => this.receive(err, msg) });
    await nc.flush();
  }

  async beforeApplicationShutdown(): Promise<void> {
    const nc = this.connection;
    this.connection = undefined;
    if (!nc || nc.isClosed()) return;
    await bounded(this.subscription?.drain(), 1000);
    if (this.inFlight > 0) await bounded(new Promise<void>((resolve) => (this.idle = resolve)), 5000);
    await bounded(nc.drain(), 1000);
    if (!nc.isClosed()) await bounded(nc.close(), 1000);
  }

  private receive(err: NatsError | null, msg: Msg): void {
    if (err) {
      this.logger.error({ err }, `${SUBJECT} subscription: ${err.message}`);
      return;
    }
    // Published without a reply subject: nothing to answer (Nest took it for an event it had no handler for).
    if (!msg.reply) return;
    this.inFlight++;
    void this.answer(msg).finally(() => {
      if (--this.inFlight === 0) this.idle?.();
    });
  }

  private answer(msg: Msg): Promise<void> {
    const correlationId = resolveCorrelationId(msg.headers?.get(CORRELATION_HEADER) || undefined);
    return runWithCorrelationId(correlationId, () => this.handle(msg, correlationId));
  }

  private async handle(msg: Msg, correlationId: string): Promise<void> {
    const decoded = decodePayload(msg.data);
    // A Nest client's envelope with an id is a request (without one, Nest took it for an event: no answer).
    const envelope = isNestEnvelope(decoded) ? decoded : undefined;
    if (envelope && envelope.id === undefined) return;
    const request = startNatsRequest(SUBJECT, msg.headers, correlationId, this.duration);
    let reply: unknown;
    let outcome: NatsRequestOutcome;
    try {
      const result = await context.with(request.context, () => this.check(envelope ? envelope.data : decoded));
      outcome = { failed: false };
      reply = envelope ? { response: result, isDisposed: true, id: envelope.id } : result;
    } catch (err) {
      const body = reportedErrorBody(err, correlationId);
      outcome = { failed: true, err, body };
      const error = { error: body };
      reply = envelope ? { err: error, isDisposed: true, id: envelope.id } : error;
    }
    const endedAt = process.hrtime.bigint();
    const h = natsHeaders();
    h.set(CORRELATION_HEADER, correlationId);
    try {
      msg.respond(encoder.encode(JSON.stringify(reply)), { headers: h });
    } catch (err) {
      this.logger.warn({ err, correlation_id: correlationId }, `${SUBJECT}: the reply could not be sent`);
    }
    // Logged and measured after the answer is on its way (the duration ends before the reply, as Nest's did).
    request.finish(outcome, endedAt);
  }

  private async check(payload: unknown) {
    const message = (await this.pipe.transform(payload, PAYLOAD)) as PreTradeMessageDto;
    return this.whatIfs.preTrade(message);
  }
}
