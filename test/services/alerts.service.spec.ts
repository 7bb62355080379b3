import { TestingModule } from '@nestjs/testing';
import { ClsService } from 'nestjs-cls';
import { DataSource } from 'typeorm';
import { AlertsModule } from '../../src/alerts/alerts.module';
import { AlertsService } from '../../src/alerts/alerts.service';
import { setActor } from '../../src/common/actor';
import { runWithCorrelationId } from '../../src/common/correlation-id';
import { ConflictError, NotFoundError } from '../../src/common/errors';
import { Severity } from '../../src/common/severity';
import { TransactionRunner } from '../../src/persistence/repositories';
import { Fixtures, startServices } from './support';

describe('AlertsService', () => {
  let moduleRef: TestingModule;
  let alerts: AlertsService;
  let tx: TransactionRunner;
  let fx: Fixtures;

  beforeAll(async () => {
    moduleRef = await startServices(AlertsModule);
    alerts = moduleRef.get(AlertsService);
    tx = moduleRef.get(TransactionRunner);
    fx = new Fixtures(moduleRef);
  });
  afterAll(async () => {
    await moduleRef.close();
  });

  const raise = (portfolioId: string, severity: Severity, currentPercent = 6, at = new Date()) =>
    tx.run((t) => alerts.raise({ portfolioId, type: 'VAR', severity, message: `VaR ${currentPercent} % (${severity})`, thresholdPercent: 5, currentPercent, at }, t));

  it('opens an active alert on the first raise', async () => {
    const p = await fx.portfolio();
    const r = await raise(p, 'high');
    expect(r).toMatchObject({ opened: true, escalated: false, alert: { portfolioId: p, type: 'VAR', severity: 'high', status: 'active', occurrences: 1, thresholdPercent: 5, currentPercent: 6 } });
    expect(await alerts.list({ portfolioId: p })).toEqual([expect.objectContaining({ id: r.alert.id, status: 'active', occurrences: 1 })]);
  });

  it('counts a repeat at the same severity on the open alert instead of opening another', async () => {
    const p = await fx.portfolio();
    const first = await raise(p, 'high', 6);
    const again = await raise(p, 'high', 6.4);
    expect(again).toMatchObject({ opened: false, escalated: false, alert: { id: first.alert.id, occurrences: 2, currentPercent: 6.4, message: first.alert.message } });
    expect(await alerts.list({ portfolioId: p })).toHaveLength(1);
  });

  it('escalates to a higher severity and takes its message', async () => {
    const p = await fx.portfolio();
    const first = await raise(p, 'warning', 4.2);
    const up = await raise(p, 'critical', 7);
    expect(up).toMatchObject({ opened: false, escalated: true, alert: { id: first.alert.id, severity: 'critical', message: 'VaR 7 % (critical)', occurrences: 2 } });
  });

  it('keeps the highest severity when a later raise is lower', async () => {
    const p = await fx.portfolio();
    await raise(p, 'critical', 7);
    const down = await raise(p, 'warning', 4.1);
    expect(down).toMatchObject({ escalated: false, alert: { severity: 'critical', currentPercent: 4.1, occurrences: 2 } });
  });

  it('makes an acknowledged alert active again when it escalates', async () => {
    const p = await fx.portfolio();
    const first = await raise(p, 'high');
    await alerts.acknowledge(first.alert.id, 'seen');
    const repeat = await raise(p, 'high');
    expect(repeat.alert).toMatchObject({ status: 'acknowledged', occurrences: 2 });
    const up = await raise(p, 'critical');
    expect(up.alert).toMatchObject({ id: first.alert.id, status: 'active', severity: 'critical', occurrences: 3 });
  });

  it('resolves the open alert on recovery, by the system', async () => {
    const p = await fx.portfolio();
    const open = await raise(p, 'high');
    const at = new Date();
    const resolved = await tx.run((t) => alerts.resolveOnRecovery(p, 'VAR', at, t));
    expect(resolved).toMatchObject({ id: open.alert.id, status: 'resolved', resolvedBy: 'system (recovered)', resolvedAt: at });
  });

  it('resolves nothing on recovery when no alert is open', async () => {
    const p = await fx.portfolio();
    expect(await tx.run((t) => alerts.resolveOnRecovery(p, 'DRAWDOWN', new Date(), t))).toBeNull();
  });

  it('opens a new alert after the previous one was resolved', async () => {
    const p = await fx.portfolio();
    const first = await raise(p, 'high');
    await alerts.resolve(first.alert.id, 'hedged');
    const next = await raise(p, 'high');
    expect(next.opened).toBe(true);
    expect(next.alert.id).not.toBe(first.alert.id);
    expect((await alerts.list({ portfolioId: p })).map((a) => a.status).sort()).toEqual(['active', 'resolved']);
  });

  it('records who acknowledged, when, the note, and an audit entry with the correlation id', async () => {
    const p = await fx.portfolio();
    const { alert } = await raise(p, 'high');
    const before = Date.now();
    const ack = await runWithCorrelationId(`ack-${p}`, () => alerts.acknowledge(alert.id, 'desk informed'));
    expect(ack).toMatchObject({ id: alert.id, portfolio_id: p, status: 'acknowledged', acknowledge_note: 'desk informed', acknowledged_by: 'system' });
    expect(Date.parse(ack.acknowledged_at!)).toBeGreaterThanOrEqual(before - 1000);
    const audit = await moduleRef.get(DataSource).query(`SELECT action, correlation_id FROM audit_log WHERE entity_id = $1`, [alert.id]);
    expect(audit).toEqual([{ action: 'alert.acknowledge', correlation_id: `ack-${p}` }]);
  });

  it('refuses to acknowledge a resolved alert (409)', async () => {
    const p = await fx.portfolio();
    const { alert } = await raise(p, 'high');
    await alerts.resolve(alert.id);
    await expect(alerts.acknowledge(alert.id, undefined)).rejects.toBeInstanceOf(ConflictError);
  });

  it('refuses a second acknowledgement (409) and keeps the first one', async () => {
    const p = await fx.portfolio();
    const { alert } = await raise(p, 'high');
    const first = await alerts.acknowledge(alert.id, 'first look');
    const err = await moduleRef.get(ClsService).run(async () => {
      setActor('someone-else');
      return alerts.acknowledge(alert.id, 'second look').catch((e: unknown) => e);
    });
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).message).toMatch(/already acknowledged by system/);
    const [now] = await alerts.list({ portfolioId: p });
    expect(now).toMatchObject({ status: 'acknowledged', acknowledged_by: 'system', acknowledged_at: first.acknowledged_at, acknowledge_note: 'first look' });
  });

  it('takes a new acknowledgement once an escalation has made the alert active again', async () => {
    const p = await fx.portfolio();
    const { alert } = await raise(p, 'high');
    await alerts.acknowledge(alert.id, 'first look');
    await raise(p, 'critical');
    expect(await alerts.acknowledge(alert.id, 'critical now')).toMatchObject({ status: 'acknowledged', severity: 'critical', acknowledge_note: 'critical now' });
  });

  it('refuses to resolve an alert twice (409)', async () => {
    const p = await fx.portfolio();
    const { alert } = await raise(p, 'high');
    expect(await alerts.resolve(alert.id, 'done')).toMatchObject({ status: 'resolved', resolved_by: 'system' });
    await expect(alerts.resolve(alert.id)).rejects.toBeInstanceOf(ConflictError);
  });

  it('answers 404 for an unknown alert', async () => {
    await expect(alerts.acknowledge('00000000-0000-4000-8000-000000000000', undefined)).rejects.toBeInstanceOf(NotFoundError);
    await expect(alerts.resolve('00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lists by portfolio and status, most recently triggered first', async () => {
    const p = await fx.portfolio();
    const other = await fx.portfolio();
    const old = await tx.run((t) => alerts.raise({ portfolioId: p, type: 'DRAWDOWN', severity: 'warning', message: 'dd', thresholdPercent: 20, currentPercent: 17, at: new Date(Date.now() - 60_000) }, t));
    const recent = await raise(p, 'high');
    await raise(other, 'high');
    expect((await alerts.list({ portfolioId: p })).map((a) => a.id)).toEqual([recent.alert.id, old.alert.id]);
    await alerts.acknowledge(old.alert.id, undefined);
    expect((await alerts.list({ portfolioId: p, status: 'acknowledged' })).map((a) => a.id)).toEqual([old.alert.id]);
    expect((await alerts.list({ portfolioId: p, status: 'active' })).map((a) => a.id)).toEqual([recent.alert.id]);
  });

  it('answers alerts mapped for the API (snake_case, ISO times), never rows', async () => {
    const p = await fx.portfolio();
    const at = new Date('2026-11-25T08:00:00.000Z');
    await raise(p, 'high', 6, at);
    const [a] = await alerts.list({ portfolioId: p });
    expect(Object.keys(a).sort()).toEqual(
      ['acknowledge_note', 'acknowledged_at', 'acknowledged_by', 'current_percent', 'id', 'last_triggered_at', 'message', 'occurrences', 'portfolio_id', 'resolved_at', 'resolved_by', 'severity', 'status', 'threshold_percent', 'triggered_at', 'type'].sort(),
    );
    expect(a).toMatchObject({ triggered_at: '2026-11-25T08:00:00.000Z', last_triggered_at: '2026-11-25T08:00:00.000Z', acknowledged_at: null, resolved_at: null });
  });
});
