import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { PORTFOLIO_ID_PARAM } from '../common/api-params';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { API_KEY_SCHEME } from '../observability/swagger';
import { HistoryQueryDto, PortfolioReturnsQueryDto, PortfolioRiskRequestDto } from './dto/portfolio-risk-request.dto';
import { PortfolioReturnsResponseDto } from './dto/portfolio-returns-response.dto';
import { StoredRiskResponseDto } from './dto/stored-risk-response.dto';
import { PortfolioRiskService } from './portfolio-risk.service';

const RISK_EXAMPLES = {
  historical: { summary: 'Historical VaR 99 % over the last year', value: { method: 'historical', confidence: 99, horizon_days: 1, lookback_days: 252 } },
  cornish_fisher: { summary: 'Cornish–Fisher 97.5 %, 10 days', value: { method: 'cornish_fisher', confidence: 97.5, horizon_days: 10, lookback_days: 1000 } },
  monte_carlo: { summary: 'Monte Carlo 99 %, seeded', value: { method: 'monte_carlo', confidence: 99, simulations: 20000, seed: 42 } },
  ewma: { summary: 'EWMA (RiskMetrics) 99 %, λ = 0.94, over every aligned date', value: { method: 'ewma', confidence: 99, lambda: 0.94, lookback_days: 100000 } },
  filtered_historical: { summary: 'Filtered historical 95 %, λ = 0.97, 10 days (no contributions)', value: { method: 'filtered_historical', confidence: 95, lambda: 0.97, horizon_days: 10, lookback_days: 1000 } },
};

/** The stored-risk use case over REST: VaR / CVaR of a stored portfolio, stored and limit-checked; its history. */
@ApiTags('portfolio risk')
@ApiSecurity(API_KEY_SCHEME)
@ApiParam(PORTFOLIO_ID_PARAM)
@Controller('v1/portfolios/:id')
export class PortfolioRiskController {
  constructor(private readonly risk: PortfolioRiskService) {}

  @Post('var')
  @HttpCode(200)
  @Roles('analyst')
  @ApiOperation({
    summary: 'VaR of a stored portfolio, with Euler contributions; stored and checked against the limits',
    description:
      'Weights are market-value shares; the portfolio return is Σ wᵢ rᵢ,t over the dates on which every held asset has a return, ' +
      'the newest `lookback_days` of them. `contributions` are Euler allocations (their var_return sum to var_return; money to within a ' +
      'cent per asset); for ewma on the EWMA covariance (cᵢ = wᵢ z (Σ_λ w)ᵢ / σ_p), and null for filtered_historical, whose VaR has no ' +
      'Euler allocation. ewma and filtered_historical take `lambda` (default 0.94) and answer `volatility` { lambda, sigma_forecast }. The result is stored (see var-history), compared with max_var_percent of the limit in force scaled to the ' +
      'horizon (`limit.scaled_max_var_percent` = max_var_percent × √(horizon_days / the limit\'s horizon_days)); status ok, warning ' +
      '(an alert, no breach), high or critical (a breach: a breach row, the alert raised or escalated, and one risk.limit.breach event ' +
      'when it opens or escalates), all in the transaction that stores the result. ' +
      '404 unknown portfolio; 422 empty book, ' +
      'missing returns or too few aligned dates; 422 INVALID_INPUT for a non-positive book.',
  })
  @ApiBody({ type: PortfolioRiskRequestDto, examples: RISK_EXAMPLES })
  @ApiOkResponse({ type: StoredRiskResponseDto })
  @ApiErrors(400, 401, 403, 404, 422)
  var(@Param('id', ParseIdPipe) id: string, @Body() body: PortfolioRiskRequestDto): Promise<StoredRiskResponseDto> {
    return this.risk.calculate(id, body, 'VAR');
  }

  @Post('cvar')
  @HttpCode(200)
  @Roles('analyst')
  @ApiOperation({
    summary: 'Expected shortfall of a stored portfolio, with Euler contributions; stored',
    description:
      'As /var, for CVaR: the result carries cvar_return / cvar and the VaR of the same calculation (var_return / var); contributions ' +
      'are component_cvar_return / component_cvar (they sum to cvar_return). `limit` compares the VaR with the VaR limit, for ' +
      'information: breaches and alerts are raised on /var results only.',
  })
  @ApiBody({ type: PortfolioRiskRequestDto, examples: RISK_EXAMPLES })
  @ApiOkResponse({ type: StoredRiskResponseDto })
  @ApiErrors(400, 401, 403, 404, 422)
  cvar(@Param('id', ParseIdPipe) id: string, @Body() body: PortfolioRiskRequestDto): Promise<StoredRiskResponseDto> {
    return this.risk.calculate(id, body, 'CVAR');
  }

  @Get('var-history')
  @ApiOperation({ summary: 'Stored VaR / CVaR results, newest first', description: '`limit` default 100, at most 1,000; `since` an ISO time.' })
  @ApiOkResponse({ type: [StoredRiskResponseDto] })
  @ApiErrors(400, 401, 404)
  history(@Param('id', ParseIdPipe) id: string, @Query() q: HistoryQueryDto): Promise<StoredRiskResponseDto[]> {
    return this.risk.history(id, q.since ? new Date(q.since) : undefined, q.limit ?? 100);
  }

  @Get('returns')
  @ApiOperation({
    summary: 'The portfolio return series that stored VaR / CVaR are computed from',
    description:
      'r_p,t = Σ wᵢ rᵢ,t with wᵢ the market-value shares of the book now, over the dates on which every held asset has a return, ' +
      'the newest `lookback_days` of them (default 252): the series POST …/var and …/cvar with the same lookback_days use, computed by ' +
      'the same code. Read-only; feed it to POST /v1/drawdown, /v1/performance or /v1/cvar, or chart it (the report page does). ' +
      'Fewer dates than asked (none at all: empty arrays, from/to null) is not an error. 404 unknown portfolio; 422 empty book or ' +
      'missing returns; 422 INVALID_INPUT for a non-positive book.',
  })
  @ApiOkResponse({ type: PortfolioReturnsResponseDto })
  @ApiErrors(400, 401, 404, 422)
  returns(@Param('id', ParseIdPipe) id: string, @Query() q: PortfolioReturnsQueryDto): Promise<PortfolioReturnsResponseDto> {
    return this.risk.returns(id, q.lookback_days ?? 252);
  }
}
