import { Controller, UseInterceptors } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import { RpcCorrelationInterceptor } from '../common/rpc-correlation.interceptor';
import { HANDLER } from '../events/subjects';
import { PositionSizeRequestDto, RiskRequestDto } from './dto/risk-request.dto';
import { CalculationService } from './calculation.service';

/**
 * NATS request handlers (queue group risk-service): the same bodies and answers as the REST
 * endpoints, as plain JSON; errors as `{ "error": { …REST error body… } }`.
 */
@ApiExcludeController()
@Controller()
@UseInterceptors(RpcCorrelationInterceptor)
export class CalculationNatsController {
  constructor(private readonly calculations: CalculationService) {}

  @MessagePattern(HANDLER.varCalculate)
  var(@Payload() body: RiskRequestDto) {
    return this.calculations.risk(body, false);
  }

  @MessagePattern(HANDLER.cvarCalculate)
  cvar(@Payload() body: RiskRequestDto) {
    return this.calculations.risk(body, true);
  }

  @MessagePattern(HANDLER.positionSizeCalculate)
  positionSize(@Payload() body: PositionSizeRequestDto) {
    return this.calculations.positionSize(body);
  }
}
