import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import Big from 'big.js';
import type { Counter } from 'prom-client';
import { runWithCorrelationId } from '../common/correlation-id';
import { NotFoundError, ValidationError } from '../common/errors';
import { formatMoney, parseMoney } from '../common/money';
import { newEvent } from '../events/events.factory';
import { OutboxService } from '../events/outbox.service';
import { SUBJECT } from '../events/subjects';
import { LimitHistoryCache, LimitsAt } from '../limits/limit-history.cache';
import { LimitsService } from '../limits/limits.service';
import { METRIC } from '../observability/metrics';
import { DrawdownState, DrawdownStatus } from '../persistence/models';
import { DrawdownEventRepository, DrawdownStateRepository, PortfolioRepository, TransactionRunner, Tx } from '../persistence/repositories';
import { DrawdownStateResponseDto, NavUpdateResponseDto } from './dto/drawdown-state-response.dto';

export interface NavUpdate {
  value: unknown;
  at?: unknown;
}

/**
 * Live drawdown from NAV updates: peak, current and max drawdown per portfolio, kept in the
 * database (a restart resumes where it was). An update not newer than the last applied one
 * (`at`) is a duplicate or arrived out of order: it is ignored (applied: false), so replays and
 * redeliveries cannot corrupt the state. Crossing warning / high / critical of
 * max_drawdown_percent, or recovering, stores a drawdown event, runs the limit flow
 * (LimitsService.recordEvaluation: DRAWDOWN alert raised / escalated / resolved, breach row and
 * risk.limit.breach at high or critical) and emits risk.drawdown.alert, in one transaction.
 * applyBatch applies several updates of one portfolio in one transaction (the NAV consumer's batches).
 */
@Injectable()
export class DrawdownMonitorService {
  constructor(
    private readonly states: DrawdownStateRepository,
    private readonly events: DrawdownEventRepository,
    private readonly portfolios: PortfolioRepository,
    private readonly limits: LimitsService,
    private readonly limitHistory: LimitHistoryCache,
    private readonly outbox: OutboxService,
    private readonly tx: TransactionRunner,
    @InjectMetric(METRIC.drawdownAlerts) private readonly alertCounter: Counter,
  ) {}

  async update(portfolioId: string, nav: NavUpdate): Promise<NavUpdateResponseDto> {
    const outcome = await this.applyBatch(portfolioId, [checkNav(nav)]);
    return { ...toResponse(outcome.state), applied: outcome.applied[0] };
  }

  /**
   * Applies NAV updates of one portfolio, in the order given, in ONE transaction: the portfolio's
   * row lock (the lock a limits write takes) and the state row FOR UPDATE are taken once, the limits
   * in force come from LimitHistoryCache (one stamp read), the updates are folded in memory (each
   * one not newer than the state so far is ignored, exactly as one update at a time), every status
   * change still writes its drawdown event, limit flow and outbox row, and the state is written once.
   * Nothing is kept when the transaction rolls back (the caller may send the same updates again:
   * those already stored are then not newer and are ignored). `correlationId`, when given, is the
   * correlation ID of that update's events. An empty list answers the stored state (404 without one).
   */
  async applyBatch(portfolioId: string, updates: readonly CheckedNav[]): Promise<BatchOutcome> {
    return this.tx.run(async (t) => {
      if (!(await this.portfolios.lock(portfolioId, t))) throw new NotFoundError(`portfolio ${portfolioId} not found`);
      const stored = await this.states.get(portfolioId, t, true);
      const limitsAt = await this.limitHistory.inForce(portfolioId, t);
      let state = stored;
      const applied: boolean[] = [];
      for (const u of updates) {
        if (state && u.at.getTime() <= state.currentAt.getTime()) {
          applied.push(false);
          continue;
        }
        const prev = state;
        state = await (u.correlationId ? runWithCorrelationId(u.correlationId, () => this.fold(portfolioId, prev, u, limitsAt, t)) : this.fold(portfolioId, prev, u, limitsAt, t));
        applied.push(true);
      }
      if (!state) throw new NotFoundError(`no NAV update received for portfolio ${portfolioId} yet`);
      if (state !== stored) await this.states.save({ ...state, version: undefined }, t);
      return { state, applied };
    });
  }

  /** One update on top of `prev` (null: the first NAV): the new state, and a status change recorded in `t`. */
  private async fold(portfolioId: string, prev: DrawdownState | null, u: CheckedNav, limitsAt: LimitsAt, t: Tx): Promise<DrawdownState> {
    const { value, at } = u;
    const newPeak = !prev || value.gt(prev.peakValue);
    const peak = newPeak ? value : new Big(prev!.peakValue);
    const drawdown = Number(new Big(1).minus(value.div(peak)));
    // The limit in force at the NAV's time.
    const assessment = this.limits.assessAgainst(limitsAt(at), portfolioId, 'DRAWDOWN', drawdown * 100, at);
    const status: DrawdownStatus = assessment.level;
    const from: DrawdownStatus = prev?.status ?? 'ok';
    // Only a change of status is recorded: a drawdown event, the limit flow, risk.drawdown.alert.
    if (status !== from) {
      await this.events.insert({ id: randomUUID(), portfolioId, fromStatus: from, toStatus: status, drawdown, value: value.toFixed(), at }, t);
      const record = await this.limits.recordEvaluation(assessment, { subject: `drawdown ${(drawdown * 100).toFixed(2)} % from the peak ${formatMoney(peak)}` }, t);
      if (status !== 'ok' && (record.opened || record.escalated)) t.afterCommit(() => this.alertCounter.inc({ portfolio_id: portfolioId, severity: status }));
      await this.outbox.enqueue(
        [
          newEvent(SUBJECT.drawdownAlert, portfolioId, {
            from_status: from,
            to_status: status,
            recovered: status === 'ok',
            current_drawdown: drawdown,
            max_drawdown_percent: assessment.limitPercent,
            utilization: assessment.evaluation?.utilization ?? null,
            peak_value: formatMoney(peak),
            current_value: formatMoney(value),
            at: at.toISOString(),
            alert_id: record.alert?.id ?? null,
          }),
        ],
        t,
      );
    }
    return {
      portfolioId,
      peakValue: peak.toFixed(),
      peakAt: newPeak ? at : prev!.peakAt,
      currentValue: value.toFixed(),
      currentAt: at,
      maxDrawdown: Math.max(prev?.maxDrawdown ?? 0, drawdown),
      status,
      updatedAt: new Date(),
    };
  }

  async get(portfolioId: string): Promise<DrawdownStateResponseDto> {
    if (!(await this.portfolios.findById(portfolioId))) throw new NotFoundError(`portfolio ${portfolioId} not found`);
    const s = await this.states.get(portfolioId);
    if (!s) throw new NotFoundError(`no NAV update received for portfolio ${portfolioId} yet`);
    return toResponse(s);
  }
}

/** A NAV update checked and parsed: what applyBatch folds. */
export interface CheckedNav {
  value: Big;
  at: Date;
  /** The correlation ID of the message that carried it (its events carry it); absent: the current context's. */
  correlationId?: string;
}

export interface BatchOutcome {
  /** The stored state after the batch. */
  state: DrawdownState;
  /** For each update, in order: applied, or ignored as not newer than the state before it. */
  applied: boolean[];
}

/**
 * Checks an update's fields (400 naming the field): value a positive decimal amount, at an ISO 8601
 * time; a missing `at` is `receivedAt` (the NAV consumer passes the time JetStream stored the
 * message, so a redelivery keeps its time), else now.
 */
export function checkNav(nav: NavUpdate, receivedAt?: Date): CheckedNav {
  const value = parseMoney(nav.value, 'value', { positive: true });
  return { value, at: nav.at === undefined || nav.at === null ? (receivedAt ?? new Date()) : parseAt(nav.at) };
}

function parseAt(raw: unknown): Date {
  if (raw === undefined || raw === null) return new Date();
  if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(raw) || Number.isNaN(Date.parse(raw))) {
    throw new ValidationError('at must be an ISO 8601 time, e.g. "2026-11-25T16:30:00Z"');
  }
  return new Date(raw);
}

function toResponse(s: DrawdownState): DrawdownStateResponseDto {
  const peak = new Big(s.peakValue);
  return {
    portfolio_id: s.portfolioId,
    peak_value: formatMoney(peak),
    peak_at: s.peakAt.toISOString(),
    current_value: formatMoney(new Big(s.currentValue)),
    current_at: s.currentAt.toISOString(),
    current_drawdown: Number(new Big(1).minus(new Big(s.currentValue).div(peak))),
    max_drawdown: s.maxDrawdown,
    status: s.status,
  };
}
