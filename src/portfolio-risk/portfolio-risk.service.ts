import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { rejectMonteCarloOnlyFields, rejectVolatilityOnlyFields } from '../calculation/dto/risk-request.dto';
import { PortfolioCalculator } from '../calculation/portfolio-calculator.service';
import { currentCorrelationId } from '../common/correlation-id';
import { NotFoundError } from '../common/errors';
import { formatMoney, scaleMoney } from '../common/money';
import { newEvent } from '../events/events.factory';
import { OutboxService } from '../events/outbox.service';
import { RiskEvent, SUBJECT } from '../events/subjects';
import { METRIC } from '../observability/metrics';
import { LimitCheck, VarResult } from '../persistence/models';
import { PortfolioRepository, TransactionRunner, Tx, VarResultRepository } from '../persistence/repositories';
import { EffectiveLimits, LimitAssessment, LimitsService } from '../limits/limits.service';
import { PortfolioRiskRequestDto } from './dto/portfolio-risk-request.dto';
import { LimitCheckDto, StoredRiskResponseDto } from './dto/stored-risk-response.dto';
import { PortfolioReturnsResponseDto } from './dto/portfolio-returns-response.dto';

/**
 * POST /v1/portfolios/:id/var and /cvar: compute, then in ONE transaction store the result,
 * the breach, the alert and the outbox events that announce them. Both kinds carry the VaR of
 * the calculation (a CVaR result its CVaR too), and `limit` compares that VaR with max_var_percent
 * of the limit version in force (limits are VaR limits); a CVaR result carries the comparison for
 * information and raises no breach, so the same calculation is never counted twice.
 * The breach, the alert and risk.limit.breach come from LimitsService.recordEvaluation, the
 * flow drawdown uses too. NATS risk.portfolio.var calls the same use case.
 */
@Injectable()
export class PortfolioRiskService {
  constructor(
    private readonly calculator: PortfolioCalculator,
    private readonly limits: LimitsService,
    private readonly outbox: OutboxService,
    private readonly results: VarResultRepository,
    private readonly portfolios: PortfolioRepository,
    private readonly tx: TransactionRunner,
    @InjectMetric(METRIC.portfolioVar) private readonly varGauge: Gauge,
  ) {}

  async calculate(portfolioId: string, dto: PortfolioRiskRequestDto, kind: 'VAR' | 'CVAR'): Promise<StoredRiskResponseDto> {
    const computed = await this.compute(portfolioId, dto, kind);
    if (!(await this.recordQuiet(computed))) await this.tx.run((t) => this.record(computed, t));
    return toResponse(computed.result, computed.monteCarlo);
  }

  /** The calculation, outside any transaction; `runId` marks a result of a risk run (stored once per portfolio and run). */
  async compute(portfolioId: string, dto: PortfolioRiskRequestDto, kind: 'VAR' | 'CVAR', runId: string | null = null): Promise<ComputedRisk> {
    const method = dto.method ?? 'historical';
    rejectMonteCarloOnlyFields(method, dto);
    rejectVolatilityOnlyFields(method, dto);
    const confidence = dto.confidence ?? 95;
    const c = await this.calculator.compute(portfolioId, {
      method,
      confidence,
      horizonDays: dto.horizon_days ?? 1,
      lookbackDays: dto.lookback_days ?? 252,
      simulations: dto.simulations,
      seed: dto.seed,
      distribution: dto.distribution,
      lambda: dto.lambda,
    });
    const now = new Date();
    const isVar = kind === 'VAR';
    const { varReturn, cvarReturn } = c.result;
    const measuredPercent = Math.abs(varReturn) * 100;
    const result: VarResult = {
      id: randomUUID(),
      portfolioId,
      kind,
      method,
      confidenceLevel: confidence,
      horizonDays: dto.horizon_days ?? 1,
      scaling: c.result.scaling,
      varReturn,
      var: formatMoney(scaleMoney(varReturn, c.portfolioValue)),
      cvarReturn: isVar ? null : cvarReturn,
      cvar: isVar ? null : formatMoney(scaleMoney(cvarReturn, c.portfolioValue)),
      portfolioValue: formatMoney(c.portfolioValue),
      observations: c.dates.length,
      fromDate: c.dates[0] ?? null,
      toDate: c.dates[c.dates.length - 1] ?? null,
      contributions: isVar ? c.varContributions : c.cvarContributions,
      lambda: c.result.volatility?.lambda ?? null,
      sigmaForecast: c.result.volatility?.sigmaForecast ?? null,
      limitCheck: null,
      correlationId: currentCorrelationId() ?? null,
      calculatedAt: now,
      runId,
    };
    return { result, measuredPercent, limits: c.limits, monteCarlo: c.result.monteCarlo };
  }

  /**
   * The common case of `record` in ONE statement (VarResultRepository.insertIfUnchanged: no
   * transaction round trips): a result assessed against the limits read with the book, when that
   * assessment raises nothing and resolves nothing — a CVaR result, or a VaR at ok with no VaR alert
   * open — and that limit version is still the one in force. The statement writes the same result
   * and risk.var.calculated row as `record` would, under the same row lock, and runs the same
   * after-commit work. false (nothing written): `record` must run (a warning or breach, an alert to
   * resolve, the limits or alerts changed since the book was read, the portfolio gone).
   */
  private async recordQuiet(computed: ComputedRisk): Promise<boolean> {
    const { result, measuredPercent, limits } = computed;
    const isVar = result.kind === 'VAR';
    const assessment = this.limits.assessAgainst(limits, result.portfolioId, 'VAR', measuredPercent, result.calculatedAt, result.horizonDays);
    if (isVar && assessment.level !== 'ok') return false;
    const limitCheck = limitCheckOf(assessment);
    const stored = await this.results.insertIfUnchanged({ ...result, limitCheck }, this.outbox.rows([calculatedEvent(result, limitCheck)]), {
      limitId: limits.id,
      noOpenAlert: isVar ? 'VAR' : null,
    });
    if (!stored) return false;
    result.limitCheck = limitCheck;
    this.outbox.committed();
    if (isVar) this.setGauge(result);
    return true;
  }

  /**
   * Stores a computed result in the caller's transaction `t`, with its limit check, the breach and
   * alert it raises and the events announcing them (the limit in force is read inside `t`).
   */
  async record(computed: ComputedRisk, t: Tx): Promise<void> {
    const { result, measuredPercent } = computed;
    const { portfolioId, kind, calculatedAt: now } = result;
    const isVar = kind === 'VAR';
    // The portfolio row locked and the limit in force read in one statement, inside the transaction that records the result.
    const assessment = await this.limits.lockAndAssess(portfolioId, 'VAR', measuredPercent, now, t, result.horizonDays);
    if (!assessment) throw new NotFoundError(`portfolio ${portfolioId} not found`);
    const limitCheck = limitCheckOf(assessment);
    result.limitCheck = limitCheck;
    await this.results.insert(result, t);
    await this.outbox.enqueue([calculatedEvent(result, limitCheck)], t);
    // Breaches are raised on VaR results; a CVaR result carries the comparison for information only.
    if (isVar) {
      await this.limits.recordEvaluation(assessment, { subject: `VaR ${measuredPercent.toFixed(2)} % of value`, varResultId: result.id }, t);
      t.afterCommit(() => this.setGauge(result));
    }
  }

  private setGauge(r: VarResult): void {
    // a computed result always has its VaR (null only on CVaR rows stored before the figures were split)
    this.varGauge.set({ portfolio_id: r.portfolioId, confidence_level: String(r.confidenceLevel), horizon_days: String(r.horizonDays) }, r.varReturn as number);
  }

  /** GET …/returns: the portfolio return series the stored calculations use, newest `lookbackDays` dates. */
  async returns(portfolioId: string, lookbackDays: number): Promise<PortfolioReturnsResponseDto> {
    const s = await this.calculator.returnSeries(portfolioId, lookbackDays);
    return {
      portfolio_id: portfolioId,
      lookback_days: lookbackDays,
      observations: s.dates.length,
      from: s.dates[0] ?? null,
      to: s.dates[s.dates.length - 1] ?? null,
      weights: s.assetIds.map((asset_id, i) => ({ asset_id, weight: s.weights[i] })),
      dates: s.dates,
      returns: Array.from(s.returns),
    };
  }

  async history(portfolioId: string, since: Date | undefined, limit: number): Promise<StoredRiskResponseDto[]> {
    if (!(await this.portfolios.findById(portfolioId))) throw new NotFoundError(`portfolio ${portfolioId} not found`);
    return (await this.results.history(portfolioId, { since, limit })).map((r) => toResponse(r));
  }
}

type MonteCarloInfo = { simulations: number; seed: number; distribution: string; standardError: number };

/** A result computed by PortfolioRiskService.compute, to be stored by record. */
export interface ComputedRisk {
  result: VarResult;
  /** |value_return| in percent of value: what the limit is compared with. */
  measuredPercent: number;
  /** The limits in force when the book was read (record reads them again under the row lock). */
  limits: EffectiveLimits;
  monteCarlo?: MonteCarloInfo;
}

/** The `limit` block of a result: the VaR of the calculation against the limit in force. */
function limitCheckOf(a: LimitAssessment): LimitCheck {
  const { limits, evaluation } = a;
  return {
    max_var_percent: limits.maxVarPercent,
    horizon_days: limits.horizonDays,
    scaled_max_var_percent: a.limitPercent,
    var_percent: a.measuredPercent,
    utilization: evaluation?.utilization ?? null,
    status: evaluation?.status ?? 'ok',
    confidence_level: limits.confidenceLevel,
    is_default: limits.isDefault,
  };
}

/** risk.var.calculated for a result and its limit check. */
function calculatedEvent(result: VarResult, limitCheck: LimitCheck): RiskEvent {
  return newEvent(SUBJECT.varCalculated, result.portfolioId, {
    result_id: result.id,
    ...calculationOf(result),
    ...volatilityOf(result),
    portfolio_value: result.portfolioValue,
    observations: result.observations,
    limit: limitCheck,
    ...(result.runId ? { run_id: result.runId } : {}),
  }, result.calculatedAt);
}

/** What was calculated (the same fields, in the same order, in the answer and in risk.var.calculated). */
function calculationOf(r: VarResult): Pick<StoredRiskResponseDto, 'kind' | 'method' | 'confidence_level' | 'horizon_days' | 'scaling' | 'var_return' | 'var' | 'cvar_return' | 'cvar'> {
  return { kind: r.kind === 'VAR' ? 'var' : 'cvar', method: r.method, confidence_level: r.confidenceLevel, horizon_days: r.horizonDays, scaling: r.scaling, ...figuresOf(r) };
}

/** var_return and var of both kinds; cvar_return and cvar of a CVaR result. */
function figuresOf(r: VarResult): Pick<StoredRiskResponseDto, 'var_return' | 'var' | 'cvar_return' | 'cvar'> {
  return { var_return: r.varReturn, var: r.var, ...(r.kind === 'CVAR' ? { cvar_return: r.cvarReturn!, cvar: r.cvar! } : {}) };
}

/** ewma and filtered_historical: `volatility` { lambda, sigma_forecast }; nothing for the other methods. */
function volatilityOf(r: VarResult): Pick<StoredRiskResponseDto, 'volatility'> {
  return r.lambda === null || r.sigmaForecast === null ? {} : { volatility: { lambda: r.lambda, sigma_forecast: r.sigmaForecast } };
}

function toResponse(r: VarResult, monteCarlo?: MonteCarloInfo): StoredRiskResponseDto {
  return {
    id: r.id,
    portfolio_id: r.portfolioId,
    ...calculationOf(r),
    portfolio_value: r.portfolioValue,
    observations: r.observations,
    from: r.fromDate,
    to: r.toDate,
    contributions: r.contributions?.map((c) => ({ ...c })) ?? null,
    ...volatilityOf(r),
    limit: r.limitCheck ? limitToResponse(r.limitCheck) : null,
    ...(monteCarlo ? { monte_carlo: { simulations: monteCarlo.simulations, seed: monteCarlo.seed, distribution: monteCarlo.distribution, standard_error: monteCarlo.standardError } } : {}),
    correlation_id: r.correlationId,
    run_id: r.runId,
    calculated_at: r.calculatedAt.toISOString(),
  };
}

function limitToResponse(l: LimitCheck): LimitCheckDto {
  return {
    max_var_percent: l.max_var_percent,
    horizon_days: l.horizon_days,
    scaled_max_var_percent: l.scaled_max_var_percent,
    var_percent: l.var_percent,
    utilization: l.utilization,
    status: l.status,
    ...(l.confidence_level === undefined ? {} : { confidence_level: l.confidence_level }),
    ...(l.is_default === undefined ? {} : { is_default: l.is_default }),
  };
}
