import { TestingModule } from '@nestjs/testing';
import { getToken } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { AlertsService } from '../../src/alerts/alerts.service';
import { runWithCorrelationId } from '../../src/common/correlation-id';
import { InvalidStateError, NotFoundError, UnprocessableError, ValidationError } from '../../src/common/errors';
import { computeRisk } from '../../src/math';
import { METRIC } from '../../src/observability/metrics';
import { BookSnapshotRepository, LimitBreachRepository } from '../../src/persistence/repositories';
import { PortfolioRiskModule } from '../../src/portfolio-risk/portfolio-risk.module';
import { PortfolioRiskService } from '../../src/portfolio-risk/portfolio-risk.service';
import { dayOf, Fixtures, startServices, syntheticReturns } from './support';

const A = syntheticReturns(400, 1);
const B = syntheticReturns(400, 2, 0.015);
const relClose = (actual: number, expected: number, tol = 1e-9) => Math.abs(actual - expected) <= tol * Math.abs(expected);
/** The book's return series: 0.6 A + 0.4 B over the newest `lookback` dates. */
const weighted = (lookback: number) => A.map((a, t) => 0.6 * a + 0.4 * B[t]).slice(-lookback);

describe('PortfolioRiskService', () => {
  let moduleRef: TestingModule;
  let risk: PortfolioRiskService;
  let fx: Fixtures;
  let assets: { a: string; b: string };

  beforeAll(async () => {
    moduleRef = await startServices(PortfolioRiskModule);
    risk = moduleRef.get(PortfolioRiskService);
    fx = new Fixtures(moduleRef);
    // Return series are read-only fixtures: every test builds its own portfolio on them.
    assets = { a: await fx.asset(A, 'A'), b: await fx.asset(B, 'B') };
  });
  afterAll(async () => {
    await moduleRef.close();
  });

  /** A portfolio holding 600,000 of A and 400,000 of B, with a VaR limit when given. */
  const book = async (maxVarPercent?: number) => {
    const p = await fx.portfolio('book');
    await fx.book(p, [[assets.a, '600000.00'], [assets.b, '400000']]);
    if (maxVarPercent !== undefined) await fx.limits(p, { maxVarPercent });
    return p;
  };

  it.each(['historical', 'parametric', 'cornish_fisher'] as const)('stores a %s VaR equal to the VaR of the weighted return series', async (method) => {
    const p = await book();
    const r = await risk.calculate(p, { method, confidence: 99, lookback_days: 300, horizon_days: 5 }, 'VAR');
    const expected = computeRisk({ returns: weighted(300), confidence: 99, method, horizonDays: 5 }).varReturn;
    expect(relClose(r.var_return!, expected)).toBe(true);
    expect(r).toMatchObject({ portfolio_id: p, kind: 'var', method, confidence_level: 99, horizon_days: 5, portfolio_value: '1000000.00', observations: 300, from: dayOf(100), to: dayOf(399) });
    expect((await risk.history(p, undefined, 1))[0]).toEqual(r);
  });

  it('splits the VaR into Euler contributions that add up to it, in return terms and to the cent', async () => {
    const p = await book();
    const r = await risk.calculate(p, { confidence: 95, lookback_days: 250 }, 'VAR');
    expect(r.contributions!.map((c) => [c.asset_id, c.weight])).toEqual([[assets.a, 0.6], [assets.b, 0.4]]);
    const sum = r.contributions!.reduce((s, c) => s + c.component_var_return!, 0);
    expect(Math.abs(sum - r.var_return!)).toBeLessThan(1e-12);
    const cents = r.contributions!.reduce((s, c) => s + Math.round(Number(c.component_var) * 100), 0);
    expect(Math.abs(cents - Math.round(Number(r.var) * 100))).toBeLessThanOrEqual(r.contributions!.length);
  });

  it('uses the dates on which every held asset has a return', async () => {
    const late = await fx.asset(B.slice(0, 150), 'L'); // starts on 2020-01-01, ends 150 days later
    const p = await fx.portfolio('aligned');
    await fx.book(p, [[assets.a, '500'], [late, '500']]);
    const r = await risk.calculate(p, { method: 'parametric', lookback_days: 1000 }, 'VAR');
    expect(r).toMatchObject({ observations: 150, from: dayOf(0), to: dayOf(149) });
  });

  it('stores a CVaR result with the VaR of the same calculation: var_return, var, cvar_return, cvar', async () => {
    const p = await book();
    const r = await risk.calculate(p, { confidence: 97.5, lookback_days: 300 }, 'CVAR');
    const expected = computeRisk({ returns: weighted(300), confidence: 97.5, method: 'historical', wantCvar: true });
    expect(relClose(r.cvar_return!, expected.cvarReturn!)).toBe(true);
    expect(relClose(r.var_return!, expected.varReturn)).toBe(true);
    expect(Number(r.var)).toBeCloseTo(r.var_return! * 1_000_000, 2);
    expect(Number(r.cvar)).toBeCloseTo(r.cvar_return! * 1_000_000, 2);
    expect((await risk.history(p, undefined, 1))[0]).toEqual(r);
    const [event] = await fx.events(p);
    expect(event.payload.data).toMatchObject({ result_id: r.id, kind: 'cvar', confidence_level: 97.5, var_return: r.var_return, var: r.var, cvar_return: r.cvar_return, cvar: r.cvar });
  });

  it('names the contributions of a CVaR result component_cvar_return / component_cvar, summing to the CVaR', async () => {
    const p = await book();
    const r = await risk.calculate(p, { confidence: 97.5, lookback_days: 300 }, 'CVAR');
    expect(r.contributions!.map((c) => Object.keys(c).sort())).toEqual([
      ['asset_id', 'component_cvar', 'component_cvar_return', 'weight'],
      ['asset_id', 'component_cvar', 'component_cvar_return', 'weight'],
    ]);
    const sum = r.contributions!.reduce((s, c) => s + c.component_cvar_return!, 0);
    expect(Math.abs(sum - r.cvar_return!)).toBeLessThan(1e-12);
  });

  it('compares the VaR of a CVaR result with the VaR limit (var_percent is never the CVaR), for information: no breach', async () => {
    const p = await book(0.5);
    const r = await risk.calculate(p, { confidence: 97.5, lookback_days: 300 }, 'CVAR');
    expect(r).toMatchObject({ kind: 'cvar', limit: { max_var_percent: 0.5, status: 'critical' } });
    expect(r.limit!.var_percent).toBeCloseTo(Math.abs(r.var_return!) * 100, 12);
    expect(r.limit!.var_percent).toBeLessThan(Math.abs(r.cvar_return!) * 100);
    expect(await moduleRef.get(AlertsService).list({ portfolioId: p })).toEqual([]);
    expect((await fx.events(p)).map((e) => e.subject)).toEqual(['risk.var.calculated']);
  });

  it('answers the history newest first, at most `limit`, from `since`', async () => {
    const p = await book();
    const first = await risk.calculate(p, { method: 'parametric' }, 'VAR');
    const second = await risk.calculate(p, { method: 'historical' }, 'CVAR');
    expect((await risk.history(p, undefined, 100)).map((r) => r.id)).toEqual([second.id, first.id]);
    expect((await risk.history(p, undefined, 1)).map((r) => r.id)).toEqual([second.id]);
    expect((await risk.history(p, new Date(Date.parse(second.calculated_at) + 1), 100))).toEqual([]);
  });

  it('records a breach with its result in one transaction: risk.var.calculated, then risk.limit.breach, with the correlation id', async () => {
    const p = await book(0.5);
    const r = await runWithCorrelationId(`corr-${p}`, () => risk.calculate(p, { confidence: 99, lookback_days: 300 }, 'VAR'));
    expect(r.limit).toMatchObject({ max_var_percent: 0.5, status: 'critical', is_default: false });
    expect(r.limit).not.toHaveProperty('severity');
    const [breach] = await moduleRef.get(LimitBreachRepository).list(p);
    expect(breach).toMatchObject({ breachType: 'VAR', severity: 'critical', varResultId: r.id, limitPercent: 0.5 });
    const events = await fx.events(p);
    expect(events.map((e) => [e.subject, e.payload.correlation_id])).toEqual([
      ['risk.var.calculated', `corr-${p}`],
      ['risk.limit.breach', `corr-${p}`],
    ]);
    expect(events[0].payload.data).toMatchObject({ result_id: r.id, kind: 'var', confidence_level: 99, horizon_days: 1, var_return: r.var_return, var: r.var, limit: { status: 'critical' } });
    expect(events[0].payload.data).not.toHaveProperty('value_return');
    expect(events[0].payload.data).not.toHaveProperty('cvar_return');
    expect(events[1].payload.data).toMatchObject({ breach_id: breach.id, var_result_id: r.id, severity: 'critical' });
    expect(r.correlation_id).toBe(`corr-${p}`);
  });

  it('counts a repeated breach on the open alert with a new breach row and no second breach event', async () => {
    const p = await book(0.5);
    await risk.calculate(p, { confidence: 99 }, 'VAR');
    await risk.calculate(p, { confidence: 99 }, 'VAR');
    const alerts = await moduleRef.get(AlertsService).list({ portfolioId: p });
    expect(alerts).toEqual([expect.objectContaining({ type: 'VAR', severity: 'critical', occurrences: 2, status: 'active' })]);
    expect(await moduleRef.get(LimitBreachRepository).list(p)).toHaveLength(2);
    expect((await fx.events(p)).map((e) => e.subject)).toEqual(['risk.var.calculated', 'risk.limit.breach', 'risk.var.calculated']);
  });

  it('resolves the open VaR alert when a result is back within the limit', async () => {
    const p = await book(0.5);
    await risk.calculate(p, { confidence: 99 }, 'VAR');
    await fx.limits(p, { maxVarPercent: 50 });
    const ok = await risk.calculate(p, { confidence: 99 }, 'VAR');
    expect(ok.limit).toMatchObject({ max_var_percent: 50, status: 'ok' });
    expect(await moduleRef.get(AlertsService).list({ portfolioId: p })).toEqual([expect.objectContaining({ status: 'resolved', resolved_by: 'system (recovered)' })]);
  });

  it('stores a VaR that raises and resolves nothing in ONE write statement after the book read: no transaction round trips', async () => {
    const p = await book(50);
    await risk.calculate(p, { confidence: 99, lookback_days: 300 }, 'VAR'); // the aligned matrix cached
    const { value: r, statements } = await statementsAbout(p, () => risk.calculate(p, { confidence: 99, lookback_days: 300 }, 'VAR'));
    // The book, its series versions and limits (BookSnapshotRepository), then the result and its event (insertIfUnchanged).
    expect(statements.map((s) => s.replace(/\s+/g, ' ').trim())).toEqual([expect.stringMatching(/^SELECT p\.id, p\.name, .* FROM portfolios p WHERE p\.id = \$1$/), expect.stringMatching(/^WITH p AS \(.* FOR UPDATE OF p\), r AS \( INSERT INTO var_results .*INSERT INTO outbox_events /)]);
    expect(r.limit).toMatchObject({ max_var_percent: 50, status: 'ok', is_default: false });
    expect((await risk.history(p, undefined, 1))[0]).toEqual(r);
    const events = await fx.events(p);
    expect(events.map((e) => e.subject)).toEqual(['risk.var.calculated', 'risk.var.calculated']);
    expect(events[1].payload.data).toEqual({
      result_id: r.id, kind: 'var', method: 'historical', confidence_level: 99, horizon_days: 1, scaling: r.scaling, var_return: r.var_return, var: r.var,
      portfolio_value: '1000000.00', observations: 300, limit: r.limit,
    });
  });

  it('assesses a VaR against the limit version in force when it is stored, when one was added after the book was read', async () => {
    const p = await book(50);
    const snapshots = moduleRef.get(BookSnapshotRepository);
    const load = snapshots.load.bind(snapshots);
    jest.spyOn(snapshots, 'load').mockImplementationOnce(async (id) => {
      const read = await load(id);
      await fx.limits(p, { maxVarPercent: 0.5 }); // a PUT …/limits between the read and the write
      return read;
    });
    const r = await risk.calculate(p, { confidence: 99, lookback_days: 300 }, 'VAR');
    expect(r.limit).toMatchObject({ max_var_percent: 0.5, status: 'critical' });
    expect(await moduleRef.get(LimitBreachRepository).list(p)).toEqual([expect.objectContaining({ varResultId: r.id, severity: 'critical' })]);
    expect((await fx.events(p)).map((e) => e.subject)).toEqual(['risk.var.calculated', 'risk.limit.breach']);
  });

  it('says warning for a VaR between 80 % and 100 % of its limit, in the limit block and on the alert', async () => {
    const p = await book();
    const probe = await risk.calculate(p, { confidence: 99 }, 'VAR');
    await fx.limits(p, { maxVarPercent: (Math.abs(probe.var_return!) * 100) / 0.9 });
    const r = await risk.calculate(p, { confidence: 99 }, 'VAR');
    expect(r.limit).toEqual(expect.objectContaining({ status: 'warning' }));
    expect(r.limit).not.toHaveProperty('severity');
    expect(await moduleRef.get(AlertsService).list({ portfolioId: p })).toEqual([expect.objectContaining({ type: 'VAR', severity: 'warning', status: 'active' })]);
    expect(await moduleRef.get(LimitBreachRepository).list(p)).toEqual([]);
  });

  it('checks the limit version in force when it calculates, not one scheduled for later', async () => {
    const p = await book(50);
    await fx.limits(p, { maxVarPercent: 0.5, effectiveDate: new Date(Date.now() + 3_600_000) });
    const r = await risk.calculate(p, { confidence: 99 }, 'VAR');
    expect(r.limit).toMatchObject({ max_var_percent: 50, status: 'ok' });
  });

  it('keeps one open alert under 20 concurrent breaching calculations, counting every one', async () => {
    const p = await book(0.5);
    const all = await Promise.all(Array.from({ length: 20 }, (_, i) => risk.calculate(p, { method: i % 2 ? 'parametric' : 'historical', confidence: 99 }, 'VAR')));
    expect(new Set(all.map((r) => r.id)).size).toBe(20);
    expect(await moduleRef.get(AlertsService).list({ portfolioId: p })).toEqual([expect.objectContaining({ status: 'active', occurrences: 20 })]);
    expect((await fx.events(p)).filter((e) => e.subject === 'risk.limit.breach')).toHaveLength(1);
  });

  it('sets portfolio_var_current to the stored VaR, one series per confidence and horizon', async () => {
    const p = await book();
    const daily = await risk.calculate(p, { confidence: 97.5 }, 'VAR');
    const tenDay = await risk.calculate(p, { confidence: 97.5, horizon_days: 10 }, 'VAR');
    const gauge = moduleRef.get<Gauge>(getToken(METRIC.portfolioVar));
    const mine = (await gauge.get()).values.filter((v) => v.labels.portfolio_id === p);
    expect(mine.map((v) => [v.labels, v.value])).toEqual([
      [{ portfolio_id: p, confidence_level: '97.5', horizon_days: '1' }, daily.var_return],
      [{ portfolio_id: p, confidence_level: '97.5', horizon_days: '10' }, tenDay.var_return],
    ]);
  });

  it('compares a 10-day VaR with the daily limit scaled by √10 (limit.scaled_max_var_percent)', async () => {
    const p = await book();
    const r = await risk.calculate(p, { confidence: 99, horizon_days: 10 }, 'VAR');
    await fx.limits(p, { maxVarPercent: (r.limit!.var_percent / Math.sqrt(10)) / 0.9, horizonDays: 1 }); // 90 % of the scaled limit
    const again = await risk.calculate(p, { confidence: 99, horizon_days: 10 }, 'VAR');
    const max = again.limit!.max_var_percent!;
    expect(again.limit).toMatchObject({ horizon_days: 1, status: 'warning' });
    expect(again.limit!.scaled_max_var_percent).toBeCloseTo(max * Math.sqrt(10), 12);
    expect(again.limit!.utilization).toBeCloseTo(again.limit!.var_percent / (max * Math.sqrt(10)), 12);
    expect(again.limit!.utilization).toBeCloseTo(0.9, 9);
  });

  it('reports scaled_max_var_percent = max_var_percent when the horizons match', async () => {
    const p = await book();
    await fx.limits(p, { maxVarPercent: 20, horizonDays: 10 });
    const r = await risk.calculate(p, { confidence: 99, horizon_days: 10 }, 'VAR');
    expect(r.limit).toMatchObject({ max_var_percent: 20, horizon_days: 10, scaled_max_var_percent: 20 });
    const daily = await risk.calculate(p, { confidence: 99 }, 'VAR');
    expect(daily.limit!.scaled_max_var_percent).toBeCloseTo(20 * Math.sqrt(1 / 10), 12);
  });

  it('answers 404 for an unknown portfolio', async () => {
    await expect(risk.calculate('no-such-book', {}, 'VAR')).rejects.toBeInstanceOf(NotFoundError);
    await expect(risk.history('no-such-book', undefined, 10)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('answers 422 INSUFFICIENT_DATA for a book without positions', async () => {
    const p = await fx.portfolio('empty');
    await expect(risk.calculate(p, {}, 'VAR')).rejects.toThrow(UnprocessableError);
  });

  it('answers 422 INVALID_INPUT for a book whose net value is not positive', async () => {
    const p = await fx.portfolio('short');
    await fx.book(p, [[assets.a, '-100']]);
    const err = await risk.calculate(p, {}, 'VAR').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidStateError);
    expect((err as InvalidStateError).errorType).toBe('INVALID_INPUT');
  });

  it('answers 422 naming the aligned dates when there are too few for the method', async () => {
    const p = await book();
    await expect(risk.calculate(p, { confidence: 99, lookback_days: 50 }, 'VAR')).rejects.toThrow(/the assets share 50 dates within lookback_days 50/);
  });

  it('refuses a Monte Carlo option with another method (400), storing nothing', async () => {
    const p = await book();
    await expect(risk.calculate(p, { method: 'historical', seed: 3 }, 'VAR')).rejects.toThrow(ValidationError);
    expect(await risk.history(p, undefined, 10)).toEqual([]);
  });

  it('stores an ewma VaR with its volatility and Euler contributions summing to it; the event says method and lambda', async () => {
    const p = await book();
    const r = await risk.calculate(p, { method: 'ewma', lambda: 0.97, confidence: 99, lookback_days: 300, horizon_days: 4 }, 'VAR');
    const expected = computeRisk({ returns: weighted(300), confidence: 99, method: 'ewma', lambda: 0.97, horizonDays: 4 });
    expect(relClose(r.var_return!, expected.varReturn)).toBe(true);
    expect(r).toMatchObject({ method: 'ewma', scaling: 'sqrt_time', volatility: { lambda: 0.97 } });
    expect(relClose(r.volatility!.sigma_forecast, expected.volatility!.sigmaForecast)).toBe(true);
    const sum = r.contributions!.reduce((s, c) => s + c.component_var_return!, 0);
    expect(Math.abs(sum - r.var_return!)).toBeLessThan(1e-12);
    expect((await risk.history(p, undefined, 1))[0]).toEqual(r);
    const [event] = await fx.events(p);
    expect(event.payload.data).toMatchObject({ result_id: r.id, method: 'ewma', volatility: r.volatility, scaling: 'sqrt_time' });
  });

  it('stores a filtered_historical CVaR without contributions (null), λ defaulting to 0.94', async () => {
    const p = await book();
    const r = await risk.calculate(p, { method: 'filtered_historical', confidence: 97.5, lookback_days: 300 }, 'CVAR');
    const expected = computeRisk({ returns: weighted(300), confidence: 97.5, method: 'filtered_historical', wantCvar: true });
    expect(relClose(r.cvar_return!, expected.cvarReturn!)).toBe(true);
    expect(relClose(r.var_return!, expected.varReturn)).toBe(true);
    expect(r).toMatchObject({ method: 'filtered_historical', contributions: null, volatility: { lambda: 0.94 } });
    expect((await risk.history(p, undefined, 1))[0]).toEqual(r);
    const [event] = await fx.events(p);
    expect(event.payload.data).toMatchObject({ kind: 'cvar', method: 'filtered_historical', volatility: { lambda: 0.94 } });
  });

  it('checks a filtered_historical VaR against the limits like any stored VaR (breach, alert)', async () => {
    const p = await book(0.5);
    const r = await risk.calculate(p, { method: 'filtered_historical', confidence: 99, lookback_days: 300 }, 'VAR');
    expect(r.limit).toMatchObject({ max_var_percent: 0.5, status: 'critical' });
    expect(await moduleRef.get(LimitBreachRepository).list(p)).toEqual([expect.objectContaining({ varResultId: r.id, severity: 'critical' })]);
    expect((await fx.events(p)).map((e) => e.subject)).toEqual(['risk.var.calculated', 'risk.limit.breach']);
  });

  it('refuses lambda with a method without a volatility model, and a lambda outside (0, 1), storing nothing', async () => {
    const p = await book();
    await expect(risk.calculate(p, { method: 'parametric', lambda: 0.9 }, 'VAR')).rejects.toThrow('lambda applies to methods ewma and filtered_historical only');
    await expect(risk.calculate(p, { method: 'ewma', lambda: 1 }, 'VAR')).rejects.toThrow(/lambda must be a number greater than 0 and less than 1/);
    expect(await risk.history(p, undefined, 10)).toEqual([]);
  });
});

/**
 * The SQL statements sent to PostgreSQL while `work` runs whose parameters name `portfolioId`, and
 * every BEGIN / COMMIT / ROLLBACK sent meanwhile (nothing else in this module opens a transaction
 * on its own: the outbox relay's statements stand alone), in the order they were sent.
 */
async function statementsAbout<T>(portfolioId: string, work: () => Promise<T>): Promise<{ value: T; statements: string[] }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const proto = (require('pg') as typeof import('pg')).Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const original = proto.query;
  const statements: string[] = [];
  proto.query = function (this: unknown, ...args: unknown[]) {
    const text = typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string })?.text ?? '');
    const values = Array.isArray(args[1]) ? args[1] : ((args[0] as { values?: unknown[] })?.values ?? []);
    if (/^\s*(BEGIN|START TRANSACTION|COMMIT|ROLLBACK)/i.test(text) || JSON.stringify(values).includes(portfolioId)) statements.push(text);
    return original.apply(this, args);
  };
  try {
    return { value: await work(), statements };
  } finally {
    proto.query = original;
  }
}
