import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { NatsContext } from '@nestjs/microservices';
import { CLS_ID, ClsService } from 'nestjs-cls';
import { Observable } from 'rxjs';
import { CORRELATION_HEADER, resolveCorrelationId } from './correlation-id';

/**
 * NATS handlers run in a CLS context carrying the correlation ID of the message's
 * `x-correlation-id` header (or a new UUID), so logs and resulting events carry it too.
 */
@Injectable()
export class RpcCorrelationInterceptor implements NestInterceptor {
  constructor(private readonly cls: ClsService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const ctx = context.switchToRpc().getContext<NatsContext>();
    const headers = typeof ctx?.getHeaders === 'function' ? ctx.getHeaders() : undefined;
    const id = resolveCorrelationId(headers?.get?.(CORRELATION_HEADER) || undefined);
    return new Observable((subscriber) =>
      this.cls.run(() => {
        this.cls.set(CLS_ID, id);
        return next.handle().subscribe(subscriber);
      }),
    );
  }
}
