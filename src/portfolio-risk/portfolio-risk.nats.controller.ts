import { Controller, UseInterceptors } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import { RpcCorrelationInterceptor } from '../common/rpc-correlation.interceptor';
import { HANDLER } from '../events/subjects';
import { PortfolioVarMessageDto } from './dto/portfolio-risk-request.dto';
import { PortfolioRiskService } from './portfolio-risk.service';

/** NATS risk.portfolio.var { portfolio_id, method, confidence, horizon_days, lookback_days, lambda?, kind? } (every method, ewma and filtered_historical included): as POST /v1/portfolios/:id/var (or /cvar). */
@ApiExcludeController()
@Controller()
@UseInterceptors(RpcCorrelationInterceptor)
export class PortfolioRiskNatsController {
  constructor(private readonly risk: PortfolioRiskService) {}

  @MessagePattern(HANDLER.portfolioVar)
  portfolioVar(@Payload() body: PortfolioVarMessageDto) {
    const { portfolio_id, kind, ...rest } = body;
    return this.risk.calculate(portfolio_id, rest, kind === 'cvar' ? 'CVAR' : 'VAR');
  }
}
