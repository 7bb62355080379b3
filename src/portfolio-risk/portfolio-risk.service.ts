import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge } from 'prom-client';
import { AlertsService } from '../alerts/alerts.service';
import { rejectMonteCarloOnlyFields } from '../calculation/dto/risk-request.dto';
import { PortfolioCalculator } from '../calculation/portfolio-calculator.service';
import { currentCorrelationId } from '../common/correlation-id';
import { NotFoundError } from '../common/errors';
import { formatMoney, scaleMoney } from '../common/money';
import { AppConfig } from '../config/app-config';
import { newEvent } from '../events/events.factory';
import { OutboxService } from '../events/outbox.service';
import { RiskEvent, SUBJECT } from '../events/subjects';
import { METRIC } from '../observability/metrics';
import { LimitBreach, LimitCheck, VarResult } from '../persistence/models';
import { LimitBreachRepository, PortfolioRepository, TransactionRunner, VarResultRepository } from '../persistence/repositories';
import { evaluateLimit } from '../limits/limit-evaluator';
import { LimitsService } from '../limits/limits.service';
import { PortfolioRiskRequestDto } from './dto/portfolio-risk-request.dto';

/**
 * POST /v1/portfolios/:id/var and /cvar: compute, then in ONE transaction store the result,
 * the breach, the alert and the outbox events that announce them. A VaR result is checked
 * against max_var_percent of the limit version in force; a CVaR result carries the same
 * comparison for information but raises no breach (limits are VaR limits).
 */
@Injectable()
export class PortfolioRiskService {
  constructor(
    private readonly calculator: PortfolioCalculator,
    private readonly limits: LimitsService,
    private readonly alerts: AlertsService,
    private readonly outbox: OutboxService,
    private readonly results: VarResultRepository,
    private readonly breaches: LimitBreachRepository,
    private readonly portfolios: PortfolioRepository,
    private readonly tx: TransactionRunner,
    private readonly config: AppConfig,
    @InjectMetric(METRIC.limitBreaches) private readonly breachCounter: Counter,
    @InjectMetric(METRIC.portfolioVar) private readonly varGauge: Gauge,
  ) {}

  async calculate(portfolioId: string, dto: PortfolioRiskRequestDto, kind: 'VAR' | 'CVAR') {
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
    const limits = await this.limits.inForce(portfolioId, now);
    const measuredPercent = Math.abs(valueReturn) * 100;
    const evaluation = limits.maxVarPercent ? evaluateLimit(measuredPercent, limits.maxVarPercent, this.config.limitThresholds) : null;
    const limitCheck: LimitCheck = {
      max_var_percent: limits.maxVarPercent,
      var_percent: measuredPercent,
      utilization: evaluation?.utilization ?? null,
      status: evaluation?.status ?? 'ok',
      severity: evaluation?.severity ?? null,
      confidence_level: limits.confidenceLevel,
      is_default: limits.isDefault,
    };
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
      limitCheck,
      correlationId: currentCorrelationId() ?? null,
      calculatedAt: now,
    };

    let breach: LimitBreach | null = null;
    await this.tx.run(async (t) => {
      if (!(await this.portfolios.lock(portfolioId, t))) throw new NotFoundError(`portfolio ${portfolioId} not found`);
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
        }, now),
      ];
      if (kind === 'VAR' && evaluation && limits.maxVarPercent) {
        if (evaluation.status === 'ok') {
          await this.alerts.resolveOnRecovery(portfolioId, 'VAR', now, t);
        } else {
          const severity = evaluation.status === 'breach' ? evaluation.severity! : 'warning';
          const outcome = await this.alerts.raise(
            {
              portfolioId,
              type: 'VAR',
              severity,
              message: `VaR ${measuredPercent.toFixed(2)} % of value is ${(evaluation.utilization * 100).toFixed(0)} % of the ${limits.maxVarPercent} % limit`,
              threshold: limits.maxVarPercent,
              currentValue: measuredPercent,
              at: now,
            },
            t,
          );
          if (evaluation.status === 'breach') {
            breach = {
              id: randomUUID(),
              portfolioId,
              breachType: 'VAR',
              severity: evaluation.severity!,
              limitValue: limits.maxVarPercent,
              measuredValue: measuredPercent,
              utilization: evaluation.utilization,
              detectedAt: now,
              varResultId: result.id,
            };
            await this.breaches.insert(breach, t);
            // An event for a new breach, or one whose severity escalates; a repeat only counts.
            if (outcome.opened || outcome.escalated) {
              events.push(
                newEvent(SUBJECT.limitBreach, portfolioId, {
                  breach_id: breach.id,
                  breach_type: 'VAR',
                  severity: breach.severity,
                  limit_value: breach.limitValue,
                  measured_value: breach.measuredValue,
                  utilization: breach.utilization,
                  alert_id: outcome.alert.id,
                  occurrences: outcome.alert.occurrences,
                  escalated: outcome.escalated,
                  var_result_id: result.id,
                }, now),
              );
            }
          }
        }
      }
      await this.outbox.enqueue(events, t);
    });
    this.outbox.notifyCommitted();
    if (breach) this.breachCounter.inc({ portfolio_id: portfolioId, breach_type: 'VAR', severity: (breach as LimitBreach).severity });
    if (kind === 'VAR') this.varGauge.set({ portfolio_id: portfolioId, confidence_level: String(confidence) }, valueReturn);
    return toResponse(result, c.result.monteCarlo);
  }

  async history(portfolioId: string, since: Date | undefined, limit: number) {
    if (!(await this.portfolios.findById(portfolioId))) throw new NotFoundError(`portfolio ${portfolioId} not found`);
    return (await this.results.history(portfolioId, { since, limit })).map((r) => toResponse(r));
  }
}

function toResponse(r: VarResult, monteCarlo?: { simulations: number; seed: number; distribution: string; standardError: number }) {
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
    contributions: r.contributions,
    limit: r.limitCheck,
    ...(monteCarlo ? { monte_carlo: { simulations: monteCarlo.simulations, seed: monteCarlo.seed, distribution: monteCarlo.distribution, standard_error: monteCarlo.standardError } } : {}),
    correlation_id: r.correlationId,
    calculated_at: r.calculatedAt.toISOString(),
  };
}
