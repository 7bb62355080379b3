import { Injectable } from '@nestjs/common';
import Big from 'big.js';
import { ValidationError } from '../common/errors';
import { formatMoney, parseMoney, scaleMoney } from '../common/money';
import { AppConfig } from '../config/app-config';
import { RiskResult } from '../math';
import { CalculationMetrics } from '../observability/calculation-metrics.service';
import {
  BacktestRequestDto,
  DrawdownRequestDto,
  PositionSizeRequestDto,
  rejectMonteCarloOnlyFields,
  rejectVolatilityOnlyFields,
  RiskRequestDto,
} from './dto/risk-request.dto';
import { BacktestResponseDto, DrawdownResponseDto, PositionSizeResponseDto, RiskResponseDto } from './dto/risk-response.dto';
import { CalculationPool } from './calculation-pool.service';
import { PositionSizingService } from './position-sizing.service';

/** Stateless calculations: the analyst's what-if on a pasted series. */
@Injectable()
export class CalculationService {
  constructor(
    private readonly config: AppConfig,
    private readonly metrics: CalculationMetrics,
    private readonly sizing: PositionSizingService,
    private readonly pool: CalculationPool,
  ) {}

  async risk(dto: RiskRequestDto, wantCvar: boolean): Promise<RiskResponseDto> {
    const method = dto.method ?? 'historical';
    rejectMonteCarloOnlyFields(method, dto);
    rejectVolatilityOnlyFields(method, dto);
    const portfolioValue = parseMoney(dto.portfolio_value ?? '1', 'portfolio_value', { positive: true });
    const riskLimit = dto.risk_limit === undefined ? undefined : parseMoney(dto.risk_limit, 'risk_limit', { positive: true });
    const result = await this.metrics.measureAsync(method, dto.asset_class, () =>
      this.pool.risk({
        returns: dto.returns,
        confidence: dto.confidence ?? 95,
        method,
        horizonDays: dto.horizon_days ?? 1,
        simulations: dto.simulations,
        seed: dto.seed,
        distribution: dto.distribution,
        lambda: dto.lambda,
        wantCvar,
      }),
    );
    return this.toResponse(dto, result, portfolioValue, riskLimit, wantCvar);
  }

  async drawdown(dto: DrawdownRequestDto): Promise<DrawdownResponseDto> {
    if ((dto.values === undefined) === (dto.returns === undefined)) {
      throw new ValidationError('give exactly one of values (an equity curve) or returns');
    }
    const points = dto.values ? dto.values.length : dto.returns!.length + 1;
    if (dto.dates && dto.dates.length !== points) {
      const why = dto.values ? 'one per value' : 'returns.length + 1: the curve starts at V_0 = 1 before the first return';
      throw new ValidationError(`dates must have one date per curve point (${points}, ${why}), got ${dto.dates.length}`);
    }
    const { s, episodes, depths } = await this.metrics.measureAsync('drawdown', undefined, () =>
      this.pool.drawdown({ ...(dto.values ? { values: dto.values } : { returns: dto.returns! }), top: dto.top, underwater: dto.underwater }),
    );
    const dated = (i: number | null) => (i === null ? null : dto.dates![i]);
    return {
      max_drawdown: s.maxDrawdown,
      peak_index: s.peakIndex,
      trough_index: s.troughIndex,
      recovery_index: s.recoveryIndex,
      current_drawdown: s.currentDrawdown,
      current_drawdown_periods: s.currentDrawdownPeriods,
      longest_drawdown_periods: s.longestDrawdownPeriods,
      count: s.count,
      ...(s.ulcerIndex === undefined ? {} : { ulcer_index: s.ulcerIndex }),
      ...(dto.dates ? { peak_date: dated(s.peakIndex)!, trough_date: dated(s.troughIndex)!, recovery_date: dated(s.recoveryIndex) } : {}),
      ...(episodes
        ? {
            drawdowns: episodes.map((e) => ({
              peak_index: e.peakIndex,
              trough_index: e.troughIndex,
              recovery_index: e.recoveryIndex,
              depth: e.depth,
              length: e.length,
              recovery_periods: e.recoveryPeriods,
              ...(dto.dates ? { peak_date: dated(e.peakIndex)!, trough_date: dated(e.troughIndex)!, recovery_date: dated(e.recoveryIndex) } : {}),
            })),
          }
        : {}),
      ...(depths ? { underwater: Array.from(depths) } : {}),
    };
  }

  positionSize(dto: PositionSizeRequestDto): Promise<PositionSizeResponseDto> {
    return this.sizing.size(dto);
  }

  async backtest(dto: BacktestRequestDto): Promise<BacktestResponseDto> {
    const usesForecasts = dto.var_forecasts !== undefined;
    if (usesForecasts && (dto.window !== undefined || dto.method !== undefined)) {
      throw new ValidationError('window and method apply to rolling forecasts only: leave them out when var_forecasts is given');
    }
    if (dto.dates && dto.dates.length !== dto.returns.length) {
      throw new ValidationError(`dates must have one date per return (${dto.returns.length}), got ${dto.dates.length}`);
    }
    if (usesForecasts && dto.var_forecasts!.length !== dto.returns.length) {
      throw new ValidationError(
        `var_forecasts must have one value per return (${dto.returns.length}), got ${dto.var_forecasts!.length}`,
      );
    }
    const confidence = dto.confidence ?? 99;
    const r = await this.metrics.measureAsync(`backtest_${usesForecasts ? 'forecasts' : (dto.method ?? 'historical')}`, undefined, () =>
      this.pool.backtest({
        returns: dto.returns,
        varForecasts: dto.var_forecasts,
        confidence,
        window: dto.window ?? 250,
        method: dto.method ?? 'historical',
      }),
    );
    return {
      observations: r.observations,
      exceptions: r.exceptions,
      expected_exceptions: r.expectedExceptions,
      kupiec: { lr: r.kupiec.lr, p_value: r.kupiec.pValue },
      christoffersen: { lr: r.christoffersen.lr, p_value: r.christoffersen.pValue },
      conditional_coverage: { lr: r.conditionalCoverage.lr, p_value: r.conditionalCoverage.pValue },
      traffic_light: r.trafficLight,
      exceptions_last_250: r.exceptionsLast250,
      transitions: { ...r.transitions },
      confidence_level: confidence,
      exception_indices: Array.from(r.exceptionIndices),
      ...(dto.dates ? { exception_dates: Array.from(r.exceptionIndices, (i) => dto.dates![i]) } : {}),
    };
  }

  private toResponse(dto: RiskRequestDto, r: RiskResult, value: Big, riskLimit: Big | undefined, wantCvar: boolean): RiskResponseDto {
    const now = new Date();
    const varMoney = scaleMoney(r.varReturn, value);
    const out: RiskResponseDto = {
      ...(dto.portfolio_id === undefined ? {} : { portfolio_id: dto.portfolio_id }),
      ...(dto.asset_class === undefined ? {} : { asset_class: dto.asset_class }),
      method: r.method,
      confidence_level: r.confidenceLevel,
      horizon_days: r.horizonDays,
      scaling: r.scaling,
      var_return: r.varReturn,
      var: formatMoney(varMoney),
      portfolio_value: formatMoney(value),
      statistics: {
        count: r.statistics.count,
        mean: r.statistics.mean,
        std_dev: r.statistics.stdDev,
        skewness: r.statistics.skewness,
        excess_kurtosis: r.statistics.excessKurtosis,
        min: r.statistics.min,
        max: r.statistics.max,
      },
      calculated_at: now.toISOString(),
      expires_at: new Date(now.getTime() + this.config.resultTtlSeconds * 1000).toISOString(),
    };
    if (wantCvar && r.cvarReturn !== undefined) {
      out.cvar_return = r.cvarReturn;
      out.cvar = formatMoney(scaleMoney(r.cvarReturn, value));
    }
    if (r.volatility) out.volatility = { lambda: r.volatility.lambda, sigma_forecast: r.volatility.sigmaForecast };
    if (r.monteCarlo) {
      out.monte_carlo = {
        simulations: r.monteCarlo.simulations,
        seed: r.monteCarlo.seed,
        distribution: r.monteCarlo.distribution,
        standard_error: r.monteCarlo.standardError,
      };
    }
    if (riskLimit) {
      out.risk_limit = formatMoney(riskLimit);
      out.risk_limit_breached = varMoney.abs().gt(riskLimit);
    }
    return out;
  }
}
