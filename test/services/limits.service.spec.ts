import { randomUUID } from 'node:crypto';
import { TestingModule } from '@nestjs/testing';
import { getToken } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { AlertsService } from '../../src/alerts/alerts.service';
import { runWithCorrelationId } from '../../src/common/correlation-id';
import { NotFoundError } from '../../src/common/errors';
import { LimitedFigure, LimitsService } from '../../src/limits/limits.service';
import { LimitsModule } from '../../src/limits/limits.module';
import { METRIC } from '../../src/observability/metrics';
import { LimitBreachRepository, TransactionRunner, VarResultRepository } from '../../src/persistence/repositories';
import { Fixtures, startServices } from './support';

describe('LimitsService', () => {
  let moduleRef: TestingModule;
  let limits: LimitsService;
  let tx: TransactionRunner;
  let fx: Fixtures;

  beforeAll(async () => {
    moduleRef = await startServices(LimitsModule);
    limits = moduleRef.get(LimitsService);
    tx = moduleRef.get(TransactionRunner);
    fx = new Fixtures(moduleRef);
  });
  afterAll(async () => {
    await moduleRef.close();
  });

  /** assess + recordEvaluation in one transaction, as the VaR and drawdown flows do. */
  const record = (portfolioId: string, type: LimitedFigure, measuredPercent: number, opts: { at?: Date; varResultId?: string | null } = {}) =>
    tx.run(async (t) => {
      const a = await limits.assess(portfolioId, type, measuredPercent, opts.at ?? new Date(), t);
      return { assessment: a, record: await limits.recordEvaluation(a, { subject: `${type} ${measuredPercent.toFixed(2)} %`, varResultId: opts.varResultId }, t) };
    });
  const breachCount = async (portfolioId: string) => {
    const c = moduleRef.get<Counter>(getToken(METRIC.limitBreaches));
    return (await c.get()).values.filter((v) => v.labels.portfolio_id === portfolioId).reduce((s, v) => s + v.value, 0);
  };
  /** A stored VaR result to link breaches to (limit_breaches.var_result_id is a foreign key). */
  const varResult = async (portfolioId: string) => {
    const id = randomUUID();
    await moduleRef.get(VarResultRepository).insert({ id, portfolioId, kind: 'VAR', method: 'historical', confidenceLevel: 99, horizonDays: 1, scaling: 'none', varReturn: -0.06, var: '-60.00', cvarReturn: null, cvar: null, portfolioValue: '1000.00', observations: 300, fromDate: null, toDate: null, contributions: [], lambda: null, sigmaForecast: null, limitCheck: null, correlationId: null, calculatedAt: new Date(), runId: null });
    return id;
  };

  describe('versions', () => {
    it('answers the configured defaults for a portfolio without a version', async () => {
      const p = await fx.portfolio();
      expect(await limits.get(p)).toEqual({ id: null, portfolio_id: p, max_var_percent: 5, max_drawdown_percent: 20, max_position_size_percent: 10, confidence_level: 95, horizon_days: 1, effective_date: null, is_default: true });
    });

    it('adds a version that keeps the fields left out at their value in force', async () => {
      const p = await fx.portfolio();
      await limits.put(p, { max_var_percent: 3, max_drawdown_percent: 15 });
      const second = await limits.put(p, { max_var_percent: 4 });
      expect(second).toMatchObject({ portfolio_id: p, max_var_percent: 4, max_drawdown_percent: 15, max_position_size_percent: 10, is_default: false, created_by: 'system' });
      expect(await limits.get(p)).toMatchObject({ id: second.id, max_var_percent: 4, max_drawdown_percent: 15 });
    });

    it('takes confidence in the request and answers it as confidence_level', async () => {
      const p = await fx.portfolio();
      const v = await limits.put(p, { confidence: 99 });
      expect(v).toMatchObject({ confidence_level: 99 });
      expect(v).not.toHaveProperty('confidence');
      expect(await limits.get(p)).toMatchObject({ id: v.id, confidence_level: 99 });
    });

    it('keeps horizon_days on a version (1 unless given), and carries it into the next version', async () => {
      const p = await fx.portfolio();
      expect(await limits.put(p, { max_var_percent: 3 })).toMatchObject({ horizon_days: 1 });
      expect(await limits.put(p, { max_var_percent: 9, horizon_days: 10 })).toMatchObject({ max_var_percent: 9, horizon_days: 10 });
      expect(await limits.put(p, { max_drawdown_percent: 12 })).toMatchObject({ max_var_percent: 9, horizon_days: 10 });
      expect((await limits.history(p)).map((l) => l.horizon_days)).toEqual([10, 10, 1]);
    });

    it('never overwrites history: every version, newest effective first', async () => {
      const p = await fx.portfolio();
      const first = await limits.put(p, { max_var_percent: 3, effective_date: '2026-01-01T00:00:00Z' });
      const second = await limits.put(p, { max_var_percent: 4, effective_date: '2026-02-01T00:00:00Z' });
      expect((await limits.history(p)).map((l) => [l.id, l.max_var_percent])).toEqual([[second.id, 4], [first.id, 3]]);
    });

    it('schedules a version with a future effective date', async () => {
      const p = await fx.portfolio();
      await limits.put(p, { max_var_percent: 3 });
      const later = new Date(Date.now() + 86_400_000);
      await limits.put(p, { max_var_percent: 8, effective_date: later.toISOString() });
      expect((await limits.inForce(p)).maxVarPercent).toBe(3);
      expect((await limits.inForce(p, new Date(later.getTime() + 1000))).maxVarPercent).toBe(8);
    });

    it('answers 404 for an unknown portfolio', async () => {
      await expect(limits.get('no-such-portfolio')).rejects.toBeInstanceOf(NotFoundError);
      await expect(limits.put('no-such-portfolio', { max_var_percent: 1 })).rejects.toBeInstanceOf(NotFoundError);
      await expect(limits.maxPositionSizePercent('no-such-portfolio')).rejects.toBeInstanceOf(NotFoundError);
    });

    it('gives position sizing the max_position_size_percent in force', async () => {
      const p = await fx.portfolio();
      expect(await limits.maxPositionSizePercent(p)).toBe(10);
      await fx.limits(p, { maxPositionSizePercent: 7.5 });
      expect(await limits.maxPositionSizePercent(p)).toBe(7.5);
    });
  });

  describe('assess', () => {
    it('evaluates VaR against max_var_percent and drawdown against max_drawdown_percent of the version in force', async () => {
      const p = await fx.portfolio();
      await fx.limits(p, { maxVarPercent: 5, maxDrawdownPercent: 10 });
      const [v, d] = await tx.run((t) => Promise.all([limits.assess(p, 'VAR', 4.5, new Date(), t), limits.assess(p, 'DRAWDOWN', 4.5, new Date(), t)]));
      expect(v).toMatchObject({ limitPercent: 5, level: 'warning', evaluation: { status: 'warning', utilization: 0.9 } });
      expect(d).toMatchObject({ limitPercent: 10, level: 'ok', evaluation: { status: 'ok', utilization: 0.45 } });
    });

    it('compares a VaR over h days with max_var_percent × √(h / horizon_days of the limit)', async () => {
      const p = await fx.portfolio();
      await fx.limits(p, { maxVarPercent: 2, horizonDays: 1 });
      const a = await tx.run((t) => limits.assess(p, 'VAR', 6, new Date(), t, 10));
      expect(a.limitPercent).toBeCloseTo(2 * Math.sqrt(10), 14);
      expect(a.evaluation!.utilization).toBeCloseTo(6 / (2 * Math.sqrt(10)), 14);
      expect(a.level).toBe('warning'); // unscaled, 6 % against 2 % would be critical
    });

    it('compares with max_var_percent itself when the horizons match', async () => {
      const p = await fx.portfolio();
      await fx.limits(p, { maxVarPercent: 4, horizonDays: 10 });
      const a = await tx.run((t) => limits.assess(p, 'VAR', 4, new Date(), t, 10));
      expect(a).toMatchObject({ limitPercent: 4, level: 'high', evaluation: { utilization: 1 } });
    });

    it('does not scale a drawdown limit', async () => {
      const p = await fx.portfolio();
      await fx.limits(p, { maxDrawdownPercent: 10, horizonDays: 5 });
      const a = await tx.run((t) => limits.assess(p, 'DRAWDOWN', 9, new Date(), t));
      expect(a).toMatchObject({ limitPercent: 10, level: 'warning' });
    });

    it('names the scaled limit in the alert message when the horizons differ', async () => {
      const p = await fx.portfolio();
      await fx.limits(p, { maxVarPercent: 2, horizonDays: 1 });
      const { record: r } = await tx.run(async (t) => {
        const a = await limits.assess(p, 'VAR', 8, new Date(), t, 10);
        return { record: await limits.recordEvaluation(a, { subject: 'VaR 8.00 % of value' }, t) };
      });
      expect(r.alert).toMatchObject({ severity: 'critical', thresholdPercent: 2 * Math.sqrt(10), currentPercent: 8, message: 'VaR 8.00 % of value is 126 % of the 6.32 % limit (2 % over 1 day, scaled to 10 days)' });
      expect(r.breach).toMatchObject({ limitPercent: 2 * Math.sqrt(10), measuredPercent: 8 });
    });

    it('uses the version in force at the time of the figure', async () => {
      const p = await fx.portfolio();
      await fx.limits(p, { maxVarPercent: 10, effectiveDate: new Date('2026-01-01T00:00:00Z') });
      await fx.limits(p, { maxVarPercent: 2, effectiveDate: new Date('2026-06-01T00:00:00Z') });
      const before = await tx.run((t) => limits.assess(p, 'VAR', 3, new Date('2026-03-01T00:00:00Z'), t));
      const after = await tx.run((t) => limits.assess(p, 'VAR', 3, new Date('2026-07-01T00:00:00Z'), t));
      expect([before.level, after.level]).toEqual(['ok', 'critical']);
    });

    it('maps utilization to the one scale: warning ≥ 0.8, high ≥ 1, critical ≥ 1.25', async () => {
      const p = await fx.portfolio();
      await fx.limits(p, { maxVarPercent: 4 });
      const levels = await tx.run((t) => Promise.all([3.1, 3.2, 4, 4.99, 5, 9].map((m) => limits.assess(p, 'VAR', m, new Date(), t).then((a) => a.level))));
      expect(levels).toEqual(['ok', 'warning', 'high', 'high', 'critical', 'critical']);
    });
  });

  describe('recordEvaluation', () => {
    it('opens a warning alert below the limit, with no breach and no event', async () => {
      const p = await fx.portfolio();
      await fx.limits(p, { maxVarPercent: 5 });
      const { record: r } = await record(p, 'VAR', 4.2);
      expect(r).toMatchObject({ opened: true, breach: null, alert: { severity: 'warning', type: 'VAR', message: 'VAR 4.20 % is 84 % of the 5 % limit' } });
      expect(await moduleRef.get(LimitBreachRepository).list(p)).toEqual([]);
      expect(await fx.events(p)).toEqual([]);
    });

    it('records a breach: alert, breach row linked to its VaR result, one risk.limit.breach event, the counter after commit', async () => {
      const p = await fx.portfolio();
      await fx.limits(p, { maxVarPercent: 5 });
      const resultId = await varResult(p);
      const { record: r } = await runWithCorrelationId(`corr-${p}`, () => record(p, 'VAR', 5.5, { varResultId: resultId }));
      expect(r.alert).toMatchObject({ severity: 'high', status: 'active', occurrences: 1, thresholdPercent: 5, currentPercent: 5.5 });
      expect(await moduleRef.get(LimitBreachRepository).list(p)).toEqual([
        expect.objectContaining({ id: r.breach!.id, breachType: 'VAR', severity: 'high', limitPercent: 5, measuredPercent: 5.5, utilization: 1.1, varResultId: resultId }),
      ]);
      const events = await fx.events(p);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        subject: 'risk.limit.breach',
        payload: { correlation_id: `corr-${p}`, data: { breach_id: r.breach!.id, breach_type: 'VAR', severity: 'high', limit_percent: 5, measured_percent: 5.5, utilization: 1.1, alert_id: r.alert!.id, occurrences: 1, escalated: false, var_result_id: resultId } },
      });
      expect(await breachCount(p)).toBe(1);
    });

    it('adds a breach row for a repeat at the same severity but no second event', async () => {
      const p = await fx.portfolio();
      await fx.limits(p, { maxVarPercent: 5 });
      await record(p, 'VAR', 5.5);
      const { record: again } = await record(p, 'VAR', 5.6);
      expect(again).toMatchObject({ opened: false, escalated: false, alert: { occurrences: 2 } });
      expect(await moduleRef.get(LimitBreachRepository).list(p)).toHaveLength(2);
      expect((await fx.events(p)).map((e) => e.subject)).toEqual(['risk.limit.breach']);
      expect(await breachCount(p)).toBe(2);
    });

    it('announces an escalation from high to critical', async () => {
      const p = await fx.portfolio();
      await fx.limits(p, { maxDrawdownPercent: 10 });
      await record(p, 'DRAWDOWN', 11);
      const { record: up } = await record(p, 'DRAWDOWN', 13);
      expect(up).toMatchObject({ escalated: true, alert: { severity: 'critical', type: 'DRAWDOWN' }, breach: { severity: 'critical', breachType: 'DRAWDOWN', varResultId: null } });
      expect((await fx.events(p)).map((e) => [e.payload.data.severity, e.payload.data.escalated])).toEqual([['high', false], ['critical', true]]);
    });

    it('resolves the open alert when the figure is back under the warning threshold', async () => {
      const p = await fx.portfolio();
      await fx.limits(p, { maxVarPercent: 5 });
      const { record: raised } = await record(p, 'VAR', 6);
      const { record: back } = await record(p, 'VAR', 1);
      expect(back).toMatchObject({ opened: false, breach: null, alert: { id: raised.alert!.id, status: 'resolved', resolvedBy: 'system (recovered)' } });
      expect(await moduleRef.get(AlertsService).list({ portfolioId: p, status: 'active' })).toEqual([]);
    });

    it('keeps nothing, and counts nothing, when the transaction rolls back', async () => {
      const p = await fx.portfolio();
      await fx.limits(p, { maxVarPercent: 5 });
      await expect(
        tx.run(async (t) => {
          const a = await limits.assess(p, 'VAR', 9, new Date(), t);
          await limits.recordEvaluation(a, { subject: 'VaR' }, t);
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(await moduleRef.get(AlertsService).list({ portfolioId: p })).toEqual([]);
      expect(await moduleRef.get(LimitBreachRepository).list(p)).toEqual([]);
      expect(await fx.events(p)).toEqual([]);
      expect(await breachCount(p)).toBe(0);
    });
  });

  describe('breaches', () => {
    it('lists breaches newest first, from `since` when given, mapped for the API', async () => {
      const p = await fx.portfolio();
      await fx.limits(p, { maxVarPercent: 5 });
      await record(p, 'VAR', 5.5, { at: new Date('2026-03-01T00:00:00Z') });
      await record(p, 'VAR', 7, { at: new Date('2026-04-01T00:00:00Z') });
      expect((await limits.breachList(p)).map((b) => [b.detected_at, b.severity])).toEqual([
        ['2026-04-01T00:00:00.000Z', 'critical'],
        ['2026-03-01T00:00:00.000Z', 'high'],
      ]);
      const since = await limits.breachList(p, new Date('2026-03-15T00:00:00Z'));
      expect(since).toEqual([{ id: expect.any(String), portfolio_id: p, breach_type: 'VAR', severity: 'critical', limit_percent: 5, measured_percent: 7, utilization: 1.4, detected_at: '2026-04-01T00:00:00.000Z', var_result_id: null }]);
    });

    it('answers 404 for the breaches of an unknown portfolio', async () => {
      await expect(limits.breachList('no-such-portfolio')).rejects.toBeInstanceOf(NotFoundError);
    });
  });
});
