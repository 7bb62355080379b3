import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { ParseUuidPipe } from '../common/parse-id.pipe';
import { API_KEY_SCHEME } from '../observability/swagger';
import { RiskRunRequestDto } from './dto/risk-run-request.dto';
import { RiskRunAcceptedDto, RiskRunDto } from './dto/risk-run-response.dto';
import { RiskRunsService } from './risk-runs.service';

const RUN_EXAMPLES = {
  every: { summary: 'Historical VaR 99 % of every portfolio', value: { portfolios: '*', method: 'historical', confidence: 99, horizon_days: 1, lookback_days: 252 } },
  listed: { summary: 'Cornish–Fisher 97.5 %, 10 days, two desks', value: { portfolios: ['desk-7', 'desk-8'], method: 'cornish_fisher', confidence: 97.5, horizon_days: 10, lookback_days: 1000 } },
  ewma: { summary: 'EWMA 99 %, λ = 0.97, of every portfolio', value: { portfolios: '*', method: 'ewma', lambda: 0.97, confidence: 99, lookback_days: 1000 } },
};

const RUN_ID = { name: 'id', description: 'Risk run id (a UUID, from POST /v1/risk-runs)', example: '0b8f1c2d-3e4a-4b5c-8d6e-7f8091a2b3c4' };

/** Risk runs over REST: start one (202), follow its progress. */
@ApiTags('risk runs')
@ApiSecurity(API_KEY_SCHEME)
@Controller('v1/risk-runs')
export class RiskRunsController {
  constructor(private readonly runs: RiskRunsService) {}

  @Post()
  @HttpCode(202)
  @Roles('analyst')
  @ApiOperation({
    summary: 'Start a risk run: the stored VaR of many portfolios, computed by any replica',
    description:
      'Each portfolio is one task: its VaR is computed as by POST /v1/portfolios/{id}/var, stored with `run_id` (once per portfolio ' +
      'and run, whatever happens to the replicas) and checked against its limits (breaches, alerts and events as usual). With NATS, ' +
      'the tasks go to the JetStream work queue RISK_RUNS and every replica takes some; without NATS the replica that accepted ' +
      'the run computes it. A portfolio that cannot be computed (no positions, too few returns) counts as `failed` and the run goes ' +
      'on. The answer comes at once; follow the run with GET /v1/risk-runs/{id}. The calculation fields are those of the stored VaR, ' +
      'checked before anything starts (400); an unknown portfolio in the list is 404 and nothing starts.',
  })
  @ApiBody({ type: RiskRunRequestDto, examples: RUN_EXAMPLES })
  @ApiAcceptedResponse({ type: RiskRunAcceptedDto, description: 'The run is accepted and its tasks are queued.' })
  @ApiErrors(400, 401, 403, 404)
  start(@Body() body: RiskRunRequestDto): Promise<RiskRunAcceptedDto> {
    return this.runs.start(body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Progress of a risk run', description: '`done` + `failed` portfolios of `total`; `finished_at` once every task is settled.' })
  @ApiParam(RUN_ID)
  @ApiOkResponse({ type: RiskRunDto })
  @ApiErrors(400, 401, 404)
  get(@Param('id', ParseUuidPipe) id: string): Promise<RiskRunDto> {
    return this.runs.get(id);
  }
}
