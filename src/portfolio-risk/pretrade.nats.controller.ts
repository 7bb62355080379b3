import { Controller, UseInterceptors } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import { RpcCorrelationInterceptor } from '../common/rpc-correlation.interceptor';
import { HANDLER } from '../events/subjects';
import { PreTradeMessageDto, WhatIfResponseDto } from './dto/what-if.dto';
import { WhatIfService } from './what-if.service';

/**
 * NATS risk.pretrade.check { portfolio_id, trades, method, confidence, horizon_days, lookback_days }:
 * the answer of POST /v1/portfolios/:id/what-if, from the per-portfolio cache (the trading
 * engine's path: no database round trip while the book, limits and series are unchanged).
 */
@ApiExcludeController()
@Controller()
@UseInterceptors(RpcCorrelationInterceptor)
export class PreTradeNatsController {
  constructor(private readonly whatIfs: WhatIfService) {}

  @MessagePattern(HANDLER.preTradeCheck)
  check(@Payload() body: PreTradeMessageDto): Promise<WhatIfResponseDto> {
    return this.whatIfs.preTrade(body);
  }
}
