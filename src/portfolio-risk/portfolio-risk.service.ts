import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { rejectMonteCarloOnlyFields } from '../calculation/dto/risk-request.dto';
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
import { LimitsService } from '../limits/limits.service';
import { PortfolioRiskRequestDto } from './dto/portfolio-risk-request.dto';
import { LimitCheckDto, StoredRiskResponseDto } from './dto/stored-risk-response.dto';

/**
 * POST /v1/portfolios/:id/var and /cvar: compute, then in ONE transaction store the result,
 * the breach, the alert and the outbox events that announce them. A VaR result is checked
 * against max_var_percent of the limit version in force; a CVaR result carries the same
 * comparison for information but raises no breach (limits are VaR limits).
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
    await this.tx.run((t) => this.record(computed, t));
    return toResponse(computed.result, computed.monteCarlo);
  }

  /** The calculation, outside any transaction; `runId` marks a result of a risk run (stored once per portfolio and run). */
  async compute(portfolioId: string, dto: PortfolioRiskRequestDto, kind: 'VAR' | 'CVAR', runId: string | null = null): Promise<ComputedRisk> {
    const method = dto.method ?? 'historical';
    rejectMonteCarloOnlyFields(method, dto);
    const confidence = dto.confidence ?? 95;
    const c = await this.calculator.compute(portfolioId, {
      method,
      confidence,
      horizonDays: dto.horizon_days ?? 1,
      lookbackDays: dto.lookback_days ?? 252,
      simulations: dto.simulations,
      seed: dto.seed,
      distribution: dto.distribution,
    });
    const now = new Date();
    const valueReturn = kind === 'VAR' ? c.result.varReturn : c.result.cvarReturn;
    const measuredPercent = Math.abs(valueReturn) * 100;
    const result: VarResult = {
      id: randomUUID(),
      portfolioId,
      kind,
      method,
      confidenceLevel: confidence,
      horizonDays: dto.horizon_days ?? 1,
      scaling: c.result.scaling,
      valueReturn,
      value: formatMoney(scaleMoney(valueReturn, c.portfolioValue)),
      portfolioValue: formatMoney(c.portfolioValue),
      observations: c.dates.length,
      fromDate: c.dates[0] ?? null,
      toDate: c.dates[c.dates.length - 1] ?? null,
      contributions: kind === 'VAR' ? c.varContributions : c.cvarContributions,
      limitCheck: null,
      correlationId: currentCorrelationId() ?? null,
      calculatedAt: now,
      runId,
    };
    return { result, measuredPercent, monteCarlo: c.result.monteCarlo };
  }

  /**
   * Stores a computed result in the caller's transaction `t`, with its limit check, the breach and
   * alert it raises and the events announcing them (the limit in force is read inside `t`).
   */
  async record(computed: ComputedRisk, t: Tx): Promise<void> {
    const { result, measuredPercent } = computed;
    const { portfolioId, kind, method, valueReturn, calculatedAt: now } = result;
    const confidence = result.confidenceLevel;
    if (!(await this.portfolios.lock(portfolioId, t))) throw new NotFoundError(`portfolio ${portfolioId} not found`);
    // The limit in force is read inside the transaction that records the result.
    const assessment = await this.limits.assess(portfolioId, 'VAR', measuredPercent, now, t);
    const { limits, evaluation } = assessment;
    const limitCheck: LimitCheck = {
      max_var_percent: limits.maxVarPercent,
      var_percent: measuredPercent,
      utilization: evaluation?.utilization ?? null,
      status: evaluation?.status ?? 'ok',
      severity: evaluation?.severity ?? null,
      confidence_level: limits.confidenceLevel,
      is_default: limits.isDefault,
    };
    result.limitCheck = limitCheck;
    await this.results.insert(result, t);
    const events: RiskEvent[] = [
      newEvent(SUBJECT.varCalculated, portfolioId, {
        result_id: result.id,
        kind,
        method,
        confidence_level: confidence,
        horizon_days: result.horizonDays,
        value_return: valueReturn,
        value: result.value,
        portfolio_value: result.portfolioValue,
        observations: result.observations,
        limit: limitCheck,
        ...(result.runId ? { run_id: result.runId } : {}),
      }, now),
    ];
    await this.outbox.enqueue(events, t);
    // Breaches are raised on VaR results; a CVaR result carries the comparison for information only.
    if (kind === 'VAR') {
      await this.limits.recordEvaluation(assessment, { subject: `VaR ${measuredPercent.toFixed(2)} % of value`, varResultId: result.id }, t);
      t.afterCommit(() => this.varGauge.set({ portfolio_id: portfolioId, confidence_level: String(confidence) }, valueReturn));
    }
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
  monteCarlo?: MonteCarloInfo;
}

function toResponse(r: VarResult, monteCarlo?: MonteCarloInfo): StoredRiskResponseDto {
  const isVar = r.kind === 'VAR';
  return {
    id: r.id,
    portfolio_id: r.portfolioId,
    kind: isVar ? 'var' : 'cvar',
    method: r.method,
    confidence_level: r.confidenceLevel,
    horizon_days: r.horizonDays,
    scaling: r.scaling,
    ...(isVar ? { var_return: r.valueReturn, var: r.value } : { cvar_return: r.valueReturn, cvar: r.value }),
    portfolio_value: r.portfolioValue,
    observations: r.observations,
    from: r.fromDate,
    to: r.toDate,
    contributions: r.contributions.map((c) => ({ asset_id: c.asset_id, weight: c.weight, component_var_return: c.component_var_return, component_var: c.component_var })),
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
    var_percent: l.var_percent,
    utilization: l.utilization,
    status: l.status,
    ...(l.severity === undefined ? {} : { severity: l.severity }),
    ...(l.confidence_level === undefined ? {} : { confidence_level: l.confidence_level }),
    ...(l.is_default === undefined ? {} : { is_default: l.is_default }),
  };
}
