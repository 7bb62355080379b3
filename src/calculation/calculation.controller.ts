import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors.decorator';
import { API_KEY_SCHEME } from '../observability/swagger';
import { BacktestRequestDto, DrawdownRequestDto, PositionSizeRequestDto, RiskRequestDto } from './dto/risk-request.dto';
import { BacktestResponseDto, DrawdownResponseDto, PositionSizeResponseDto, RiskResponseDto } from './dto/risk-response.dto';
import { EXAMPLES } from './calculation.examples';
import { CalculationService } from './calculation.service';

@ApiTags('calculations')
@ApiSecurity(API_KEY_SCHEME)
@Controller('v1')
export class CalculationController {
  constructor(private readonly calculations: CalculationService) {}

  @Post('var')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Value-at-Risk of a return series',
    description:
      'VaR at `confidence` % over `horizon_days`, in return terms (`var_return`, negative = loss) and money (`var`). ' +
      'historical: type-7 quantile (numpy linear), needs ⌈100/(100−c)⌉ returns (20 at 95 %, 100 at 99 %); ' +
      'parametric: μ + zσ (σ over n − 1); cornish_fisher: modified VaR with sample skewness and excess kurtosis; ' +
      'monte_carlo: quantile of N simulated (compounded) horizon returns, seeded; ' +
      'ewma: z·σ_{n+1} of the zero-mean RiskMetrics EWMA volatility (`lambda`, default 0.94); filtered_historical: σ_{n+1} × the ' +
      'type-7 quantile of the EWMA-standardised returns r_t/σ_t (needs ⌈100/(100−c)⌉ returns); both answer `volatility` and scale by √h.',
  })
  @ApiBody({ type: RiskRequestDto, examples: EXAMPLES.var })
  @ApiOkResponse({ type: RiskResponseDto })
  @ApiErrors(400, 401, 403, 413, 415, 422, 503)
  var(@Body() body: RiskRequestDto): Promise<RiskResponseDto> {
    return this.calculations.risk(body, false);
  }

  @Post('cvar')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Expected shortfall (CVaR) of a return series',
    description:
      'The VaR and the mean of the tail beyond it. historical: mean of the returns strictly below the type-7 quantile ' +
      '(the quantile itself when none is); parametric: μ − σφ(z)/α; cornish_fisher: modified ES (Boudt–Peterson–Croux); ' +
      'monte_carlo: mean of the simulated returns strictly below their quantile; ewma: −σ_{n+1}φ(z)/α; ' +
      'filtered_historical: σ_{n+1} × the mean of the standardised returns strictly below their quantile.',
  })
  @ApiBody({ type: RiskRequestDto, examples: EXAMPLES.cvar })
  @ApiOkResponse({ type: RiskResponseDto })
  @ApiErrors(400, 401, 403, 413, 415, 422, 503)
  cvar(@Body() body: RiskRequestDto): Promise<RiskResponseDto> {
    return this.calculations.risk(body, true);
  }

  @Post('drawdown')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Drawdown statistics of an equity curve or a return series',
    description:
      'Give exactly one of `values` (equity curve) or `returns` (curve V_0 = 1, V_t = V_{t−1}(1 + r_t), so count = n + 1). ' +
      'Depths are positive fractions; indices point into the curve. `top` adds the N deepest non-overlapping episodes ' +
      '(an episode runs from where the running maximum was set to its recovery, or to the end; deepest first, ties by the earlier peak); ' +
      '`underwater: true` adds DD_t for every point; `dates` (one per curve point) adds peak_date / trough_date / recovery_date.',
  })
  @ApiBody({ type: DrawdownRequestDto, examples: EXAMPLES.drawdown })
  @ApiOkResponse({ type: DrawdownResponseDto })
  @ApiErrors(400, 401, 403, 413, 415, 422, 503)
  drawdown(@Body() body: DrawdownRequestDto): Promise<DrawdownResponseDto> {
    return this.calculations.drawdown(body);
  }

  @Post('position-size')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Position size: fixed-fractional, Kelly or volatility target, capped by limits',
    description:
      'fixed_fractional: units = ⌊equity × risk_fraction / |entry − stop|⌋; kelly: f* = p − (1 − p)/b, used max(0, f*) × kelly_multiplier; ' +
      'volatility_target: weight = target_annual_vol / (σ_daily √periods_per_year). The result is then capped by ' +
      'max_position_size_percent (request, else the portfolio limit when portfolio_id is given) and max_leverage (default 1); ' +
      '`capped_by` says which bound applied.',
  })
  @ApiBody({ type: PositionSizeRequestDto, examples: EXAMPLES.positionSize })
  @ApiOkResponse({ type: PositionSizeResponseDto })
  @ApiErrors(400, 401, 403, 404, 413, 415, 422)
  positionSize(@Body() body: PositionSizeRequestDto): Promise<PositionSizeResponseDto> {
    return this.calculations.positionSize(body);
  }

  @Post('backtest')
  @HttpCode(200)
  @ApiOperation({
    summary: 'VaR backtest: Kupiec, Christoffersen, conditional coverage, Basel traffic light',
    description:
      'Either rolling forecasts (VaR_t from the `window` returns before t, t excluded, by `method`) or your own `var_forecasts` ' +
      '(one per return, return terms). An exception is r_t < VaR_t; `exception_indices` are 0-based indices into `returns` ' +
      '(with `dates`, one per return, also `exception_dates`). The traffic light uses the last 250 observations and is defined at 99 % only.',
  })
  @ApiBody({ type: BacktestRequestDto, examples: EXAMPLES.backtest })
  @ApiOkResponse({ type: BacktestResponseDto })
  @ApiErrors(400, 401, 403, 413, 415, 422, 503)
  backtest(@Body() body: BacktestRequestDto): Promise<BacktestResponseDto> {
    return this.calculations.backtest(body);
  }
}
