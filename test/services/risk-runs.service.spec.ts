import { randomUUID } from 'node:crypto';
import { TestingModule } from '@nestjs/testing';
import { AlertsService } from '../../src/alerts/alerts.service';
import { runWithCorrelationId } from '../../src/common/correlation-id';
import { NotFoundError, ValidationError } from '../../src/common/errors';
import { InvalidInputError } from '../../src/math/errors';
import { RiskRun } from '../../src/persistence/models';
import { PortfolioRepository, RiskRunRepository, TransactionRunner } from '../../src/persistence/repositories';
import { PortfolioRiskModule } from '../../src/portfolio-risk/portfolio-risk.module';
import { PortfolioRiskService } from '../../src/portfolio-risk/portfolio-risk.service';
import { RiskRunDto } from '../../src/portfolio-risk/dto/risk-run-response.dto';
import { RiskRunsService } from '../../src/portfolio-risk/risk-runs.service';
import { Fixtures, startServices, syntheticReturns } from './support';

const A = syntheticReturns(300, 11);
const B = syntheticReturns(300, 12, 0.015);

/**
 * Risk runs without NATS (the process that accepts a run executes it), on the real database. The
 * same RiskRunsService.runTask serves the JetStream consumer: its idempotence is specified here,
 * the replicas in test/e2e/risk-runs-replicas.spec.ts.
 */
describe('RiskRunsService (in process)', () => {
  let moduleRef: TestingModule;
  let runs: RiskRunsService;
  let risk: PortfolioRiskService;
  let fx: Fixtures;
  let assets: { a: string; b: string };

  beforeAll(async () => {
    moduleRef = await startServices(PortfolioRiskModule);
    runs = moduleRef.get(RiskRunsService);
    risk = moduleRef.get(PortfolioRiskService);
    fx = new Fixtures(moduleRef);
    assets = { a: await fx.asset(A, 'RA'), b: await fx.asset(B, 'RB') };
  });
  afterAll(async () => {
    await moduleRef.close();
  });

  const book = async (maxVarPercent?: number) => {
    const p = await fx.portfolio('run');
    await fx.book(p, [[assets.a, '600000.00'], [assets.b, '400000.00']]);
    if (maxVarPercent !== undefined) await fx.limits(p, { maxVarPercent });
    return p;
  };
  /** Polls the run until it is no longer running (bounded). */
  const settled = async (id: string, ms = 20_000): Promise<RiskRunDto> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const r = await runs.get(id);
      if (r.status !== 'running') return r;
      if (Date.now() > deadline) throw new Error(`risk run ${id} still running after ${ms} ms: ${JSON.stringify(r)}`);
      await new Promise((res) => setTimeout(res, 20));
    }
  };
  /** A run written straight to the database (its tasks are not executed by anyone): for runTask itself. */
  const queuedRun = async (portfolioIds: string[]): Promise<RiskRun> => {
    const run: RiskRun = {
      id: randomUUID(), status: 'running', params: { method: 'historical', confidence: 95, horizon_days: 1, lookback_days: 250 }, dispatch: 'jetstream',
      total: portfolioIds.length, done: 0, failed: 0, startedAt: new Date(), finishedAt: null, createdBy: 'test', correlationId: 'corr-queued',
    };
    await moduleRef.get(TransactionRunner).run((t) => moduleRef.get(RiskRunRepository).create(run, portfolioIds, t));
    return run;
  };

  it('stores one result per listed portfolio, each carrying run_id, and finishes the run as done', async () => {
    const ids = [await book(), await book(), await book()];
    const started = await runs.start({ portfolios: ids, method: 'cornish_fisher', confidence: 99, horizon_days: 5, lookback_days: 250 });
    expect(started).toEqual({ id: expect.any(String), total: 3 });
    const run = await settled(started.id);
    expect(run).toMatchObject({ id: started.id, status: 'done', total: 3, done: 3, failed: 0, finished_at: expect.any(String) });
    expect(Date.parse(run.finished_at!)).toBeGreaterThanOrEqual(Date.parse(run.started_at));
    for (const p of ids) {
      const history = await risk.history(p, undefined, 10);
      expect(history).toEqual([expect.objectContaining({ run_id: started.id, portfolio_id: p, kind: 'var', method: 'cornish_fisher', confidence_level: 99, horizon_days: 5, observations: 250 })]);
    }
  });

  it('checks each result against its limits like any stored VaR: a breach opens an alert and announces it', async () => {
    const p = await book(0.5);
    const { id } = await runWithCorrelationId(`corr-${p}`, () => runs.start({ portfolios: [p], confidence: 99 }));
    expect(await settled(id)).toMatchObject({ status: 'done', done: 1 });
    expect(await moduleRef.get(AlertsService).list({ portfolioId: p })).toEqual([expect.objectContaining({ type: 'VAR', severity: 'critical', status: 'active' })]);
    const events = await fx.events(p);
    expect(events.map((e) => e.subject)).toEqual(['risk.var.calculated', 'risk.limit.breach']);
    expect(events[0].payload.data).toMatchObject({ run_id: id, limit: { status: 'critical' } });
    expect(events.map((e) => e.payload.correlation_id)).toEqual([`corr-${p}`, `corr-${p}`]);
  });

  it('counts a portfolio that cannot be computed as failed and goes on with the others', async () => {
    const good = await book();
    const empty = await fx.portfolio('run-empty');
    const { id } = await runs.start({ portfolios: [empty, good] });
    expect(await settled(id)).toMatchObject({ status: 'done', total: 2, done: 1, failed: 1 });
    expect(await risk.history(empty, undefined, 10)).toEqual([]);
    expect(await risk.history(good, undefined, 10)).toHaveLength(1);
  });

  it('ends a run as failed when no portfolio got a result', async () => {
    const { id } = await runs.start({ portfolios: [await fx.portfolio('run-empty'), await fx.portfolio('run-empty')] });
    expect(await settled(id)).toMatchObject({ status: 'failed', total: 2, done: 0, failed: 2 });
  });

  it('takes every portfolio for "*"', async () => {
    const p = await book();
    const count = (await moduleRef.get(PortfolioRepository).list()).length;
    const { id, total } = await runs.start({ portfolios: '*', method: 'parametric', confidence: 95, lookback_days: 100 });
    expect(total).toBe(count);
    const run = await settled(id, 60_000);
    expect(run.done + run.failed).toBe(count);
    expect((await risk.history(p, undefined, 10)).map((r) => r.run_id)).toEqual([id]);
  }, 90_000);

  it('refuses a run naming an unknown portfolio (404 naming it), starting nothing', async () => {
    const p = await book();
    await expect(runs.start({ portfolios: [p, 'no-such-book'] })).rejects.toThrow(new NotFoundError('portfolio no-such-book not found'));
    expect(await risk.history(p, undefined, 10)).toEqual([]);
  });

  it('refuses a calculation the maths would refuse before anything starts (400)', async () => {
    const p = await book();
    await expect(runs.start({ portfolios: [p], confidence: 0.95 })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(runs.start({ portfolios: [p], method: 'parametric', simulations: 1000 })).rejects.toBeInstanceOf(ValidationError);
    expect(await risk.history(p, undefined, 10)).toEqual([]);
  });

  it('answers 404 for an unknown run', async () => {
    await expect(runs.get(randomUUID())).rejects.toBeInstanceOf(NotFoundError);
  });

  it('stores and counts nothing for a task delivered again after its result was stored', async () => {
    const p = await book();
    const run = await queuedRun([p]);
    expect(await runs.runTask({ run_id: run.id, portfolio_id: p })).toBe('done');
    expect(await runs.runTask({ run_id: run.id, portfolio_id: p })).toBe('settled_before');
    expect(await risk.history(p, undefined, 10)).toHaveLength(1);
    expect(await runs.get(run.id)).toMatchObject({ status: 'done', done: 1, failed: 0 });
  });

  it('stores one result when two replicas run the same task at once', async () => {
    const p = await book();
    const run = await queuedRun([p]);
    const results = await Promise.all([runs.runTask({ run_id: run.id, portfolio_id: p }), runs.runTask({ run_id: run.id, portfolio_id: p })]);
    expect(results.sort()).toEqual(['done', 'settled_before']);
    expect(await risk.history(p, undefined, 10)).toHaveLength(1);
    expect(await runs.get(run.id)).toMatchObject({ status: 'done', done: 1 });
  });

  it('resumes an unfinished in-process run when the service starts again', async () => {
    const p = await book();
    const run: RiskRun = { ...(await queuedRun([])), id: randomUUID(), dispatch: 'in_process', total: 1 };
    await moduleRef.get(TransactionRunner).run((t) => moduleRef.get(RiskRunRepository).create(run, [p], t));
    const restarted = await startServices(PortfolioRiskModule);
    try {
      expect(await settled(run.id)).toMatchObject({ status: 'done', done: 1 });
      expect((await risk.history(p, undefined, 10)).map((r) => [r.run_id, r.correlation_id])).toEqual([[run.id, 'corr-queued']]);
    } finally {
      await restarted.close();
    }
  });
});
