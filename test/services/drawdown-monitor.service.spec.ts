import { TestingModule } from '@nestjs/testing';
import { getToken } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { AlertsService } from '../../src/alerts/alerts.service';
import { NotFoundError, ValidationError } from '../../src/common/errors';
import { DrawdownModule } from '../../src/drawdown/drawdown.module';
import { DrawdownMonitorService } from '../../src/drawdown/drawdown-monitor.service';
import { METRIC } from '../../src/observability/metrics';
import { DrawdownEventRepository, LimitBreachRepository } from '../../src/persistence/repositories';
import { Fixtures, startServices } from './support';

describe('DrawdownMonitorService', () => {
  let moduleRef: TestingModule;
  let monitor: DrawdownMonitorService;
  let fx: Fixtures;
  const t0 = Date.UTC(2026, 10, 2, 16, 30);
  const at = (i: number) => new Date(t0 + i * 86_400_000).toISOString();

  beforeAll(async () => {
    moduleRef = await startServices(DrawdownModule);
    monitor = moduleRef.get(DrawdownMonitorService);
    fx = new Fixtures(moduleRef);
  });
  afterAll(async () => {
    await moduleRef.close();
  });

  /** A portfolio with max_drawdown_percent 10 (in force since before the first NAV). */
  const desk = async () => {
    const p = await fx.portfolio('dd');
    await fx.limits(p, { maxDrawdownPercent: 10, effectiveDate: new Date(t0 - 86_400_000) });
    return p;
  };
  const feed = async (p: string, navs: string[]) => {
    const out = [];
    for (let i = 0; i < navs.length; i++) out.push(await monitor.update(p, { value: navs[i], at: at(i) }));
    return out;
  };

  it('starts at its first NAV: peak = current, no drawdown, ok', async () => {
    const p = await desk();
    expect(await monitor.update(p, { value: '1000000', at: at(0) })).toEqual({
      portfolio_id: p,
      peak_value: '1000000.00',
      peak_at: at(0),
      current_value: '1000000.00',
      current_at: at(0),
      current_drawdown: 0,
      max_drawdown: 0,
      status: 'ok',
      applied: true,
    });
  });

  it('tracks the peak, the current and the deepest drawdown in exact money', async () => {
    const p = await desk();
    const states = await feed(p, ['1000000', '1100000.10', '1045000.095', '1080000']);
    const last = states[states.length - 1];
    expect(last).toMatchObject({ peak_value: '1100000.10', peak_at: at(1), current_value: '1080000.00', status: 'ok' });
    expect(last.max_drawdown).toBeCloseTo(0.05, 12);
    expect(last.current_drawdown).toBeCloseTo(1 - 1080000 / 1100000.1, 12);
  });

  it('moves through warning, high and critical with one drawdown event and one risk.drawdown.alert per change', async () => {
    const p = await desk();
    // 1.1M peak: 1.01M = 8.2 % (warning), 0.98M = 10.9 % (high), 0.95M = 13.6 % (critical), 0.94M still critical
    const states = await feed(p, ['1000000', '1100000', '1010000', '980000', '950000', '940000']);
    expect(states.map((s) => s.status)).toEqual(['ok', 'ok', 'warning', 'high', 'critical', 'critical']);
    expect((await moduleRef.get(DrawdownEventRepository).list(p)).map((e) => `${e.fromStatus}->${e.toStatus}`)).toEqual(['high->critical', 'warning->high', 'ok->warning']);
    const alerts = (await fx.events(p)).filter((e) => e.subject === 'risk.drawdown.alert');
    expect(alerts.map((e) => `${e.payload.data.from_status}->${e.payload.data.to_status}`)).toEqual(['ok->warning', 'warning->high', 'high->critical']);
    expect(alerts[1].payload.data).toMatchObject({ max_drawdown_percent: 10, peak_value: '1100000.00', current_value: '980000.00', at: at(3), recovered: false });
    expect(alerts[1].payload.data.current_drawdown).toBeCloseTo(1 - 980000 / 1100000, 12); // a fraction, like the state's current_drawdown
    expect(alerts[1].payload.data).not.toHaveProperty('drawdown');
  });

  it('raises one DRAWDOWN alert that escalates, breach rows at high and critical, risk.limit.breach for each', async () => {
    const p = await desk();
    await feed(p, ['1100000', '1010000', '980000', '950000']);
    const alerts = await moduleRef.get(AlertsService).list({ portfolioId: p });
    expect(alerts).toEqual([expect.objectContaining({ type: 'DRAWDOWN', severity: 'critical', status: 'active', occurrences: 3, threshold_percent: 10 })]);
    expect(alerts[0].current_percent).toBeCloseTo((1 - 950000 / 1100000) * 100, 10); // percent, like threshold_percent
    expect(alerts[0].message).toMatch(/^drawdown 13\.64 % from the peak 1100000\.00 is 136 % of the 10 % limit$/);
    expect((await moduleRef.get(LimitBreachRepository).list(p)).map((b) => [b.breachType, b.severity])).toEqual([['DRAWDOWN', 'critical'], ['DRAWDOWN', 'high']]);
    const breaches = (await fx.events(p)).filter((e) => e.subject === 'risk.limit.breach');
    expect(breaches.map((e) => [e.payload.data.breach_type, e.payload.data.severity, e.payload.data.alert_id])).toEqual([
      ['DRAWDOWN', 'high', alerts[0].id],
      ['DRAWDOWN', 'critical', alerts[0].id],
    ]);
  });

  it('counts a drawdown alert in risk_drawdown_alerts_total when it opens or escalates', async () => {
    const p = await desk();
    await feed(p, ['1100000', '1010000', '1005000', '980000']); // opens at warning, stays, escalates to high
    const counter = moduleRef.get<Counter>(getToken(METRIC.drawdownAlerts));
    const mine = (await counter.get()).values.filter((v) => v.labels.portfolio_id === p);
    expect(mine.map((v) => [v.labels.severity, v.value]).sort()).toEqual([['high', 1], ['warning', 1]]);
  });

  it('recovers: resolves the alert and announces the recovery', async () => {
    const p = await desk();
    const states = await feed(p, ['1100000', '980000', '1105000']);
    expect(states.map((s) => s.status)).toEqual(['ok', 'high', 'ok']);
    expect(states[2]).toMatchObject({ peak_value: '1105000.00', current_drawdown: 0 });
    expect(await moduleRef.get(AlertsService).list({ portfolioId: p })).toEqual([expect.objectContaining({ type: 'DRAWDOWN', status: 'resolved', resolved_by: 'system (recovered)' })]);
    const last = (await fx.events(p)).filter((e) => e.subject === 'risk.drawdown.alert').pop()!;
    expect(last.payload.data).toMatchObject({ from_status: 'high', to_status: 'ok', recovered: true });
  });

  it('records nothing while the status stays the same', async () => {
    const p = await desk();
    await feed(p, ['1100000', '1000000', '1001000', '995000']); // 9.1 %, 9.0 %, 9.5 %: warning throughout
    expect(await moduleRef.get(DrawdownEventRepository).list(p)).toHaveLength(1);
    expect((await fx.events(p)).map((e) => e.subject)).toEqual(['risk.drawdown.alert']);
  });

  it('ignores an update not newer than the last one applied (a duplicate or a late message)', async () => {
    const p = await desk();
    await feed(p, ['1000000', '1200000']);
    const dup = await monitor.update(p, { value: '500000', at: at(1) });
    const late = await monitor.update(p, { value: '500000', at: at(0) });
    for (const r of [dup, late]) expect(r).toMatchObject({ applied: false, current_value: '1200000.00', current_at: at(1), status: 'ok' });
    expect(await monitor.get(p)).toMatchObject({ current_value: '1200000.00', max_drawdown: 0 });
  });

  it('applies the limit in force at the NAV’s time', async () => {
    const p = await fx.portfolio('dd');
    await fx.limits(p, { maxDrawdownPercent: 50, effectiveDate: new Date(t0 - 86_400_000) });
    await fx.limits(p, { maxDrawdownPercent: 5, effectiveDate: new Date(at(2)) });
    const states = await feed(p, ['1000000', '930000', '930000.01']); // 7 % against 50 %, then against 5 %
    expect(states.map((s) => s.status)).toEqual(['ok', 'ok', 'critical']);
  });

  it('keeps its state in the database', async () => {
    const p = await desk();
    const [, last] = await feed(p, ['1000000', '990000']);
    const { applied: _applied, ...state } = last;
    expect(await monitor.get(p)).toEqual(state);
  });

  it('serialises concurrent updates of one portfolio: the newest NAV ends as the current one, whatever the order', async () => {
    const p = await desk();
    const values = Array.from({ length: 20 }, (_, i) => String(1_000_000 - i * 1000));
    const answers = await Promise.all(values.map((v, i) => monitor.update(p, { value: v, at: at(i) })));
    expect(answers[19].applied).toBe(true); // the newest is never older than what was applied before it
    expect(await monitor.get(p)).toMatchObject({ current_value: '981000.00', current_at: at(19) });
  });

  it('refuses a value that is not a positive decimal, and a time that is not ISO 8601 (400)', async () => {
    const p = await desk();
    await expect(monitor.update(p, { value: '-5', at: at(0) })).rejects.toBeInstanceOf(ValidationError);
    await expect(monitor.update(p, { value: '100', at: 'yesterday' })).rejects.toThrow(/at must be an ISO 8601 time/);
  });

  it('answers 404 for an unknown portfolio, and for one without a NAV yet', async () => {
    await expect(monitor.update('no-such-desk', { value: '1', at: at(0) })).rejects.toBeInstanceOf(NotFoundError);
    const p = await desk();
    await expect(monitor.get(p)).rejects.toThrow(/no NAV update received/);
  });
});
