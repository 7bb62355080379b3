import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { currentActor } from '../common/actor';
import { currentCorrelationId } from '../common/correlation-id';
import { NotFoundError } from '../common/errors';
import { AppConfig } from '../config/app-config';
import { RiskLimit } from '../persistence/models';
import { AuditLogRepository, LimitBreachRepository, PortfolioRepository, RiskLimitRepository, TransactionRunner, Tx } from '../persistence/repositories';
import { PositionLimitSource } from '../calculation/position-sizing.service';
import { LimitsResponseDto, PutLimitsDto } from './dto/limits.dto';

/** The limits in force: a stored version, or the configured defaults (is_default). */
export interface EffectiveLimits {
  id: string | null;
  maxVarPercent: number | null;
  maxDrawdownPercent: number | null;
  maxPositionSizePercent: number | null;
  confidenceLevel: number;
  effectiveDate: Date | null;
  isDefault: boolean;
  createdAt?: Date;
  createdBy?: string | null;
}

/** Versioned per-portfolio limits: a PUT adds a version; history is never overwritten. */
@Injectable()
export class LimitsService extends PositionLimitSource {
  constructor(
    private readonly limits: RiskLimitRepository,
    private readonly breaches: LimitBreachRepository,
    private readonly portfolios: PortfolioRepository,
    private readonly audit: AuditLogRepository,
    private readonly tx: TransactionRunner,
    private readonly config: AppConfig,
  ) {
    super();
  }

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
        confidenceLevel: dto.confidence_level ?? previous.confidenceLevel,
        effectiveDate: dto.effective_date ? new Date(dto.effective_date) : now,
        createdAt: now,
        createdBy: currentActor(),
      };
      await this.limits.addVersion(v, t);
      await this.audit.append({ actor: currentActor(), action: 'limits.add_version', entity: 'portfolio', entityId: portfolioId, details: { ...dto, id: v.id }, correlationId: currentCorrelationId() }, t);
      return v;
    });
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

  async breachList(portfolioId: string, since?: Date) {
    await this.requirePortfolio(portfolioId);
    return (await this.breaches.list(portfolioId, since)).map((b) => ({
      id: b.id,
      portfolio_id: b.portfolioId,
      breach_type: b.breachType,
      severity: b.severity,
      limit_value: b.limitValue,
      measured_value: b.measuredValue,
      utilization: b.utilization,
      detected_at: b.detectedAt.toISOString(),
      var_result_id: b.varResultId,
    }));
  }

  async inForce(portfolioId: string, at = new Date(), tx?: Tx): Promise<EffectiveLimits> {
    const l = await this.limits.findInForce(portfolioId, at, tx);
    if (l) return { ...l, isDefault: false };
    const d = this.config.defaultLimits;
    return {
      id: null,
      maxVarPercent: d.maxVarPercent,
      maxDrawdownPercent: d.maxDrawdownPercent,
      maxPositionSizePercent: d.maxPositionSizePercent,
      confidenceLevel: d.confidenceLevel,
      effectiveDate: null,
      isDefault: true,
    };
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

function toResponse(portfolioId: string, l: EffectiveLimits): LimitsResponseDto {
  return {
    id: l.id,
    portfolio_id: portfolioId,
    max_var_percent: l.maxVarPercent,
    max_drawdown_percent: l.maxDrawdownPercent,
    max_position_size_percent: l.maxPositionSizePercent,
    confidence_level: l.confidenceLevel,
    effective_date: l.effectiveDate?.toISOString() ?? null,
    is_default: l.isDefault,
    ...(l.createdAt ? { created_at: l.createdAt.toISOString(), created_by: l.createdBy ?? null } : {}),
  };
}
