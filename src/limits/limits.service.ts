import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { AlertsService } from '../alerts/alerts.service';
import { currentActor } from '../common/actor';
import { currentCorrelationId } from '../common/correlation-id';
import { NotFoundError } from '../common/errors';
import { isBreach, Level } from '../common/severity';
import { AppConfig } from '../config/app-config';
import { newEvent } from '../events/events.factory';
import { OutboxService } from '../events/outbox.service';
import { SUBJECT } from '../events/subjects';
import { METRIC } from '../observability/metrics';
import { Alert, LimitBreach, RiskLimit } from '../persistence/models';
import { ReturnSeriesCache } from '../persistence/return-series.cache';
import { AuditLogRepository, LimitBreachRepository, PortfolioRepository, RiskLimitRepository, TransactionRunner, Tx } from '../persistence/repositories';
import { BreachResponseDto } from './dto/breach-response.dto';
import { LimitsResponseDto, PutLimitsDto } from './dto/limits.dto';
import { evaluateLimit, LimitEvaluation } from './limit-evaluator';

/** The limits in force: a stored version, or the configured defaults (is_default). */
export interface EffectiveLimits {
  id: string | null;
  maxVarPercent: number | null;
  maxDrawdownPercent: number | null;
  maxPositionSizePercent: number | null;
  confidenceLevel: number;
  /** The horizon maxVarPercent is meant over, days. */
  horizonDays: number;
  effectiveDate: Date | null;
  isDefault: boolean;
  createdAt?: Date;
  createdBy?: string | null;
}

/** The figures that have a limit: VaR (max_var_percent) and drawdown (max_drawdown_percent). */
export type LimitedFigure = 'VAR' | 'DRAWDOWN';

/** A measured figure against the limit in force at `at`, read inside the caller's transaction. */
export interface LimitAssessment {
  portfolioId: string;
  type: LimitedFigure;
  /** Percent of value, positive. */
  measuredPercent: number;
  /**
   * The limit the figure is compared with: max_drawdown_percent, or max_var_percent scaled to the
   * VaR's horizon (× √(h / horizon_days of the limit)); null: no limit.
   */
  limitPercent: number | null;
  /** VAR: the VaR's horizon, days (1 for a drawdown). */
  horizonDays: number;
  limits: EffectiveLimits;
  /** null when there is no limit. */
  evaluation: LimitEvaluation | null;
  /**
   * false when the portfolio had no unresolved alert of this type when the assessment locked its row
   * (lockAndAssess): at ok there is then nothing to resolve. Undefined: not known.
   */
  openAlert?: boolean;
  /** On the one severity scale; ok when there is no limit. */
  level: Level;
  at: Date;
}

/** What recordEvaluation did: the alert it resolved or raised, and the breach row it added. */
export interface EvaluationRecord {
  alert: Alert | null;
  opened: boolean;
  escalated: boolean;
  breach: LimitBreach | null;
}

/**
 * Versioned per-portfolio limits (a PUT adds a version; history is never overwritten), and the one
 * breach flow for VaR and drawdown alike: assess a figure against the limit in force, then record
 * it (resolve / raise / escalate the alert, breach row, risk.limit.breach event) in the caller's
 * transaction.
 */
@Injectable()
export class LimitsService {
  constructor(
    private readonly limits: RiskLimitRepository,
    private readonly breaches: LimitBreachRepository,
    private readonly portfolios: PortfolioRepository,
    private readonly audit: AuditLogRepository,
    private readonly alerts: AlertsService,
    private readonly outbox: OutboxService,
    private readonly tx: TransactionRunner,
    private readonly config: AppConfig,
    @InjectMetric(METRIC.limitBreaches) private readonly breachCounter: Counter,
    private readonly changes: ReturnSeriesCache,
  ) {}

  async put(portfolioId: string, dto: PutLimitsDto): Promise<LimitsResponseDto> {
    const version = await this.tx.run(async (t) => {
      // Versions of one portfolio are added one at a time (portfolio row lock), each on top of the
      // version in force when it is written: two concurrent PUTs keep both their fields.
      if (!(await this.portfolios.lock(portfolioId, t))) throw new NotFoundError(`portfolio ${portfolioId} not found`);
      const now = new Date();
      const previous = await this.inForce(portfolioId, now, t);
      // Fields left out keep their value in force, so a version is always complete.
      const v: RiskLimit = {
        id: randomUUID(),
        portfolioId,
        maxVarPercent: dto.max_var_percent ?? previous.maxVarPercent,
        maxDrawdownPercent: dto.max_drawdown_percent ?? previous.maxDrawdownPercent,
        maxPositionSizePercent: dto.max_position_size_percent ?? previous.maxPositionSizePercent,
        confidenceLevel: dto.confidence ?? previous.confidenceLevel,
        horizonDays: dto.horizon_days ?? previous.horizonDays,
        effectiveDate: dto.effective_date ? new Date(dto.effective_date) : now,
        createdAt: now,
        createdBy: currentActor(),
      };
      await this.limits.addVersion(v, t);
      await this.audit.append({ actor: currentActor(), action: 'limits.add_version', entity: 'portfolio', entityId: portfolioId, details: { ...dto, id: v.id }, correlationId: currentCorrelationId() }, t);
      return v;
    });
    await this.changes.portfoliosChanged([portfolioId]); // the cached limits of the pre-trade check (here and on the other replicas)
    return toResponse(portfolioId, { ...version, isDefault: false });
  }

  async get(portfolioId: string): Promise<LimitsResponseDto> {
    await this.requirePortfolio(portfolioId);
    return toResponse(portfolioId, await this.inForce(portfolioId));
  }

  async history(portfolioId: string): Promise<LimitsResponseDto[]> {
    await this.requirePortfolio(portfolioId);
    return (await this.limits.history(portfolioId)).map((l) => toResponse(portfolioId, { ...l, isDefault: false }));
  }

  async breachList(portfolioId: string, since?: Date): Promise<BreachResponseDto[]> {
    await this.requirePortfolio(portfolioId);
    return (await this.breaches.list(portfolioId, since)).map((b) => ({
      id: b.id,
      portfolio_id: b.portfolioId,
      breach_type: b.breachType,
      severity: b.severity,
      limit_percent: b.limitPercent,
      measured_percent: b.measuredPercent,
      utilization: b.utilization,
      detected_at: b.detectedAt.toISOString(),
      var_result_id: b.varResultId,
    }));
  }

  async inForce(portfolioId: string, at = new Date(), tx?: Tx): Promise<EffectiveLimits> {
    return this.effective(await this.limits.findInForce(portfolioId, at, tx));
  }

  /** A stored version as the limits in force, or the configured defaults when there is none. */
  effective(l: RiskLimit | null): EffectiveLimits {
    return effectiveLimits(l, this.config);
  }

  /**
   * Reads the limit in force at `at` inside `tx` and evaluates `measuredPercent` (percent of value)
   * against it. A VaR over `horizonDays` is compared with max_var_percent × √(horizonDays / the
   * limit's horizon_days) (square-root-of-time, docs/api.md "Horizons and limits").
   */
  async assess(portfolioId: string, type: LimitedFigure, measuredPercent: number, at: Date, tx: Tx, horizonDays = 1): Promise<LimitAssessment> {
    return this.assessAgainst(await this.inForce(portfolioId, at, tx), portfolioId, type, measuredPercent, at, horizonDays);
  }

  /**
   * As assess, after locking the portfolio row in `tx`, and noting whether an alert of `type` is
   * open (one statement for all three: the stored VaR's transaction); null when the portfolio does
   * not exist.
   */
  async lockAndAssess(portfolioId: string, type: LimitedFigure, measuredPercent: number, at: Date, tx: Tx, horizonDays = 1): Promise<LimitAssessment | null> {
    const found = await this.limits.lockPortfolioFindInForce(portfolioId, at, type, tx);
    return found && { ...this.assessAgainst(this.effective(found.limit), portfolioId, type, measuredPercent, at, horizonDays), openAlert: found.openAlert };
  }

  /** assess() against limits the caller already holds (the limits in force at `at`, e.g. from LimitHistoryCache). */
  assessAgainst(limits: EffectiveLimits, portfolioId: string, type: LimitedFigure, measuredPercent: number, at: Date, horizonDays = 1): LimitAssessment {
    const limitPercent = type === 'VAR' ? scaledVarLimit(limits, horizonDays) : limits.maxDrawdownPercent;
    const evaluation = limitPercent ? evaluateLimit(measuredPercent, limitPercent, this.config.limitThresholds) : null;
    return { portfolioId, type, measuredPercent, limitPercent, horizonDays, limits, evaluation, level: evaluation?.status ?? 'ok', at };
  }

  /**
   * Records an assessment in the caller's transaction. At ok (or with no limit) the open alert of
   * that type is resolved (recovery). Above ok the alert is raised: opened, repeated (occurrences + 1)
   * or escalated to a higher severity; a breach (high or critical) also adds a breach row
   * (`varResultId` links a VaR breach to its result), and a breach that opens or escalates the alert
   * is announced by one risk.limit.breach event (outbox, same transaction); a repeat only counts.
   * `subject` starts the alert's message, e.g. "VaR 6.20 % of value". The breach counter moves
   * after commit.
   */
  async recordEvaluation(a: LimitAssessment, context: { subject: string; varResultId?: string | null }, tx: Tx): Promise<EvaluationRecord> {
    if (a.level === 'ok' || !a.evaluation || !a.limitPercent) {
      // Alerts of a figure are opened only under its portfolio's row lock (held since lockAndAssess):
      // none open then, none to resolve now.
      if (a.openAlert === false) return { alert: null, opened: false, escalated: false, breach: null };
      const resolved = await this.alerts.resolveOnRecovery(a.portfolioId, a.type, a.at, tx);
      return { alert: resolved, opened: false, escalated: false, breach: null };
    }
    const e = a.evaluation;
    const raised = await this.alerts.raise(
      {
        portfolioId: a.portfolioId,
        type: a.type,
        severity: a.level,
        message: `${context.subject} is ${(e.utilization * 100).toFixed(0)} % of the ${limitText(a)}`,
        thresholdPercent: a.limitPercent,
        currentPercent: a.measuredPercent,
        at: a.at,
      },
      tx,
    );
    if (!isBreach(e.status)) return { ...raised, breach: null };
    const breach: LimitBreach = {
      id: randomUUID(),
      portfolioId: a.portfolioId,
      breachType: a.type,
      severity: e.status,
      limitPercent: a.limitPercent,
      measuredPercent: a.measuredPercent,
      utilization: e.utilization,
      detectedAt: a.at,
      varResultId: context.varResultId ?? null,
    };
    await this.breaches.insert(breach, tx);
    if (raised.opened || raised.escalated) {
      await this.outbox.enqueue(
        [
          newEvent(SUBJECT.limitBreach, a.portfolioId, {
            breach_id: breach.id,
            breach_type: breach.breachType,
            severity: breach.severity,
            limit_percent: breach.limitPercent,
            measured_percent: breach.measuredPercent,
            utilization: breach.utilization,
            alert_id: raised.alert.id,
            occurrences: raised.alert.occurrences,
            escalated: raised.escalated,
            var_result_id: breach.varResultId,
          }, a.at),
        ],
        tx,
      );
    }
    tx.afterCommit(() => this.breachCounter.inc({ portfolio_id: a.portfolioId, breach_type: breach.breachType, severity: breach.severity }));
    return { ...raised, breach };
  }

  /** For position sizing of a stored portfolio. */
  async maxPositionSizePercent(portfolioId: string): Promise<number> {
    await this.requirePortfolio(portfolioId);
    const l = await this.inForce(portfolioId);
    return l.maxPositionSizePercent ?? this.config.defaultLimits.maxPositionSizePercent;
  }

  private async requirePortfolio(id: string) {
    if (!(await this.portfolios.findById(id))) throw new NotFoundError(`portfolio ${id} not found`);
  }
}

/** A stored version as the limits in force, or the configured defaults when there is none. */
export function effectiveLimits(l: RiskLimit | null, config: Pick<AppConfig, 'defaultLimits'>): EffectiveLimits {
  if (l) return { ...l, isDefault: false };
  const d = config.defaultLimits;
  return {
    id: null,
    maxVarPercent: d.maxVarPercent,
    maxDrawdownPercent: d.maxDrawdownPercent,
    maxPositionSizePercent: d.maxPositionSizePercent,
    confidenceLevel: d.confidenceLevel,
    horizonDays: 1,
    effectiveDate: null,
    isDefault: true,
  };
}

/** max_var_percent × √(h / horizon_days of the limit); exactly max_var_percent when the horizons match. null: no VaR limit. */
export function scaledVarLimit(l: Pick<EffectiveLimits, 'maxVarPercent' | 'horizonDays'>, horizonDays: number): number | null {
  if (l.maxVarPercent === null) return null;
  return horizonDays === l.horizonDays ? l.maxVarPercent : l.maxVarPercent * Math.sqrt(horizonDays / l.horizonDays);
}

/** "5 % limit", or "15.81 % limit (5 % over 1 day, scaled to 10 days)". */
function limitText(a: LimitAssessment): string {
  const l = a.limits;
  if (a.type !== 'VAR' || a.horizonDays === l.horizonDays) return `${a.limitPercent} % limit`;
  const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;
  return `${a.limitPercent!.toFixed(2)} % limit (${l.maxVarPercent} % over ${days(l.horizonDays)}, scaled to ${days(a.horizonDays)})`;
}

function toResponse(portfolioId: string, l: EffectiveLimits): LimitsResponseDto {
  return {
    id: l.id,
    portfolio_id: portfolioId,
    max_var_percent: l.maxVarPercent,
    max_drawdown_percent: l.maxDrawdownPercent,
    max_position_size_percent: l.maxPositionSizePercent,
    confidence_level: l.confidenceLevel,
    horizon_days: l.horizonDays,
    effective_date: l.effectiveDate?.toISOString() ?? null,
    is_default: l.isDefault,
    ...(l.createdAt ? { created_at: l.createdAt.toISOString(), created_by: l.createdBy ?? null } : {}),
  };
}
