import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { NatsContext } from '@nestjs/microservices';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { CLS_ID, ClsServiceManager } from 'nestjs-cls';
import type { Histogram } from 'prom-client';
import { map, Observable } from 'rxjs';
import { CorrelatedReply } from '../events/nats-serdes';
import { METRIC } from '../observability/metrics';
import { observeNatsRequest } from '../observability/nats-request';
import { CORRELATION_HEADER, resolveCorrelationId } from './correlation-id';

/**
 * NATS handlers run in a CLS context carrying the correlation ID of the message's
 * `x-correlation-id` header (or a new UUID), so logs, resulting events and the reply's
 * `x-correlation-id` header carry it too; each run is traced and logged (observeNatsRequest).
 */
@Injectable()
export class RpcCorrelationInterceptor implements NestInterceptor {
  private readonly cls = ClsServiceManager.getClsService();

  constructor(
    @InjectMetric(METRIC.natsDuration) private readonly natsDuration: Histogram<'subject' | 'status_code'>,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const ctx = context.switchToRpc().getContext<NatsContext>();
    const headers = typeof ctx?.getHeaders === 'function' ? ctx.getHeaders() : undefined;
    const id = resolveCorrelationId(headers?.get?.(CORRELATION_HEADER) || undefined);
    return new Observable((subscriber) =>
      this.cls.run(() => {
        this.cls.set(CLS_ID, id);
        const handled = () => next.handle().pipe(map((result) => new CorrelatedReply(result, id)));
        return observeNatsRequest(ctx?.getSubject?.() ?? context.getHandler().name, headers, id, handled, this.natsDuration).subscribe(subscriber);
      }),
    );
  }
}
