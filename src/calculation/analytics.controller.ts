import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors.decorator';
import { API_KEY_SCHEME } from '../observability/swagger';
import { ANALYTICS_EXAMPLES } from './analytics.examples';
import { AnalyticsService } from './analytics.service';
import { PerformanceRequestDto, RollingVarRequestDto } from './dto/analytics-request.dto';
import { PerformanceResponseDto, RollingVarResponseDto } from './dto/analytics-response.dto';

@ApiTags('calculations')
@ApiSecurity(API_KEY_SCHEME)
@Controller('v1')
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  @Post('performance')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Performance statistics of a return series (Sharpe, Sortino, Calmar …)',
    description:
      'empyrical / quantstats conventions (docs/math.md "Performance statistics"): P = periods_per_year, a_t = r_t − risk_free_rate/P, σ over n − 1. ' +
      'cumulative Π(1 + r) − 1; annualized (1 + cumulative)^(P/n) − 1; volatility σ√P; Sharpe mean(a)/σ(a)·√P; ' +
      'Sortino mean(a)·P / (√(mean(min(a, 0)²))·√P); Calmar annualized / max drawdown; win rate among non-zero returns. ' +
      'A ratio that is undefined (σ = 0, no negative excess return, no drawdown, no non-zero return) is null.',
  })
  @ApiBody({ type: PerformanceRequestDto, examples: ANALYTICS_EXAMPLES.performance })
  @ApiOkResponse({ type: PerformanceResponseDto })
  @ApiErrors(400, 401, 403, 413, 415, 422)
  performance(@Body() body: PerformanceRequestDto): PerformanceResponseDto {
    return this.analytics.performance(body);
  }

  @Post('var/rolling')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Rolling historical VaR over every window of a series',
    description:
      'Value j is the one-period historical VaR (type-7 quantile, return terms, negative = loss) of returns[j … j + window − 1], ' +
      'n − window + 1 values, each equal bit for bit to POST /v1/var with that window. Computed with a sliding order-statistics ' +
      'structure (O(log window) a step), not a re-selection per window. window defaults to 250, confidence to 95.',
  })
  @ApiBody({ type: RollingVarRequestDto, examples: ANALYTICS_EXAMPLES.rolling })
  @ApiOkResponse({ type: RollingVarResponseDto })
  @ApiErrors(400, 401, 403, 413, 415, 422)
  rollingVar(@Body() body: RollingVarRequestDto): RollingVarResponseDto {
    return this.analytics.rollingVar(body);
  }
}
