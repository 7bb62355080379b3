import { Injectable } from '@nestjs/common';
import { ValidationError } from '../common/errors';
import { performanceStatistics, rollingHistoricalVar } from '../math';
import { CalculationMetrics } from '../observability/calculation-metrics.service';
import { PerformanceRequestDto, RollingVarRequestDto } from './dto/analytics-request.dto';
import { PerformanceResponseDto, RollingVarResponseDto } from './dto/analytics-response.dto';

/** Stateless statistics of a pasted series for the analyst: performance and rolling VaR. */
@Injectable()
export class AnalyticsService {
  constructor(private readonly metrics: CalculationMetrics) {}

  performance(dto: PerformanceRequestDto): PerformanceResponseDto {
    const periodsPerYear = dto.periods_per_year ?? 252;
    const riskFreeRate = dto.risk_free_rate ?? 0;
    const s = this.metrics.measure('performance', undefined, () => performanceStatistics(dto.returns, { periodsPerYear, riskFreeRate }));
    return {
      count: s.count,
      cumulative_return: s.cumulativeReturn,
      annualized_return: s.annualizedReturn,
      annualized_volatility: s.annualizedVolatility,
      sharpe: s.sharpe,
      sortino: s.sortino,
      calmar: s.calmar,
      max_drawdown: s.maxDrawdown,
      best_period: s.bestPeriod,
      worst_period: s.worstPeriod,
      win_rate: s.winRate,
      periods_per_year: periodsPerYear,
      risk_free_rate: riskFreeRate,
    };
  }

  rollingVar(dto: RollingVarRequestDto): RollingVarResponseDto {
    const window = dto.window ?? 250;
    const confidence = dto.confidence ?? 95;
    if (dto.dates && dto.dates.length !== dto.returns.length) {
      throw new ValidationError(`dates must have one date per return (${dto.returns.length}), got ${dto.dates.length}`);
    }
    const values = this.metrics.measure('rolling_historical', undefined, () => rollingHistoricalVar(dto.returns, window, confidence));
    return {
      window,
      confidence_level: confidence,
      method: 'historical',
      var_returns: Array.from(values),
      ...(dto.dates ? { dates: dto.dates.slice(window - 1) } : {}),
    };
  }
}
