import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { connect, NatsConnection } from 'nats';
import { RISK_RUNS_STREAM } from '../../src/events/subjects';
import { api, businessDays } from '../support/api';
import { ensureBuilt, LogLine, ServiceProcess } from '../../bench/service-process';
import { syntheticAssets } from '../support/synthetic-returns';
import { LOG_FLUSH_MS } from '../../src/observability/logging';

const PORTFOLIOS = 200;
const ACK_WAIT_MS = 2000;
/** A redelivered task is taken again by a free replica: its ack wait after the kill, plus scheduling on a shared machine. */
const RETAKE_SLACK_MS = 1500;
/** The doomed replica is killed once this many tasks of the run are settled (read in the database). */
const KILL_AFTER_SETTLED = 20;
/** Each replica works on this many tasks at a time, so a busy replica always holds some unacknowledged. */
const CONCURRENCY = 4;

type Taken = { portfolio: string; delivery: number; time: number };

/**
 * The acceptance test of risk runs across replicas: two instances of the built service (child
 * processes, as production runs them) on one PostgreSQL and one NATS share the RISK_RUNS work
 * queue; one of them is killed with SIGKILL in the middle of the run. The run still ends with
 * done = 200, one stored result per portfolio, and the tasks the dead replica had taken without
 * acknowledging them come back to the other one within the consumer's ack wait.
 */
describe('a risk run over 200 portfolios on two replicas, one killed mid-run', () => {
  const options = { captureLogs: true, env: { LOG_LEVEL: 'debug', RISK_RUN_ACK_WAIT_MS: String(ACK_WAIT_MS), RISK_RUN_CONCURRENCY: String(CONCURRENCY) } };
  let survivor: ServiceProcess;
  let doomed: ServiceProcess;
  let db: Client;
  let nc: NatsConnection;

  beforeAll(async () => {
    ensureBuilt();
    [survivor, doomed] = await Promise.all([ServiceProcess.start('survivor', options), ServiceProcess.start('doomed', options)]);
    // Both take tasks before the run starts.
    const consuming = (l: LogLine) => /^taking risk\.runs\.task as durable/.test(l.msg);
    await Promise.all([survivor.waitForLine(consuming), doomed.waitForLine(consuming)]);
    db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    nc = await connect({ servers: process.env.NATS_URL });
  }, 240_000);
  afterAll(async () => {
    await Promise.all([survivor?.stop(), doomed?.stop()]);
    await db?.end();
    await nc?.close();
  });

  /** Two assets with 80 daily returns, and 200 portfolios holding them (small series: the run is about the replicas). */
  const portfolios = async (a: ReturnType<typeof api>): Promise<string[]> => {
    const tag = randomUUID().slice(0, 8);
    const dates = businessDays(80);
    const series = syntheticAssets(2, 80, 99);
    const assets = [`RPA-${tag}`, `RPB-${tag}`];
    for (const [i, id] of assets.entries()) expect((await a.put(`/v1/assets/${id}/returns`, series[i].map((r, t) => ({ date: dates[t], return_pct: r })))).status).toBe(200);
    const ids = Array.from({ length: PORTFOLIOS }, (_, i) => `rp-${tag}-${i}`);
    for (let i = 0; i < ids.length; i += 20) {
      await Promise.all(
        ids.slice(i, i + 20).map(async (id, j) => {
          expect((await a.post('/v1/portfolios', { id, name: id, base_currency: 'USD' })).status).toBe(201);
          const positions = [{ asset_id: assets[0], market_value: String(100_000 + 1000 * (i + j)) }, { asset_id: assets[1], market_value: '50000' }];
          expect((await a.put(`/v1/portfolios/${id}/positions`, positions)).status).toBe(200);
        }),
      );
    }
    return ids;
  };
  const taken = (s: ServiceProcess, runId: string): Taken[] =>
    s.lines.filter((l) => l.msg === 'risk run task taken' && l.run_id === runId).map((l) => ({ portfolio: l.portfolio_id as string, delivery: l.delivery as number, time: l.time }));

  it('ends with done = 200, one result per portfolio, and the dead replica\'s unacknowledged tasks redelivered within the ack wait', async () => {
    const a = api(survivor.url);
    const ids = await portfolios(a);
    const consumer = await (await nc.jetstreamManager()).consumers.info(RISK_RUNS_STREAM, 'risk-service-runs');
    expect(consumer.config.ack_wait).toBe(ACK_WAIT_MS * 1e6); // nanoseconds

    const started = await a.post('/v1/risk-runs', { portfolios: ids, method: 'historical', confidence: 95, lookback_days: 60 });
    expect(started.status).toBe(202);
    expect(started.body.total).toBe(PORTFOLIOS);
    const runId: string = started.body.id;

    // Kill the doomed replica mid-run: once KILL_AFTER_SETTLED tasks are settled (the database, not
    // its log: stdout is buffered up to LOG_FLUSH_MS, longer than a task takes now), while both
    // replicas are busy, each with up to CONCURRENCY tasks taken and not yet acknowledged.
    const settled = async () => Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM risk_run_tasks WHERE run_id = $1 AND status <> 'pending'", [runId])).rows[0].n);
    const killBy = Date.now() + 60_000;
    while ((await settled()) < KILL_AFTER_SETTLED && Date.now() < killBy) await new Promise((r) => setTimeout(r, 2));
    const killedAt = Date.now();
    await doomed.kill('SIGKILL');
    expect(await settled()).toBeLessThan(PORTFOLIOS); // killed mid-run

    // The run finishes on the survivor alone.
    const deadline = Date.now() + 60_000;
    let run = (await a.get(`/v1/risk-runs/${runId}`)).body;
    while (run.status === 'running' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      run = (await a.get(`/v1/risk-runs/${runId}`)).body;
    }
    expect(run).toMatchObject({ id: runId, status: 'done', total: PORTFOLIOS, done: PORTFOLIOS, failed: 0 });

    // Exactly one stored result per portfolio for the run.
    const stored = await db.query<{ portfolio_id: string; n: string }>('SELECT portfolio_id, count(*) AS n FROM var_results WHERE run_id = $1 GROUP BY portfolio_id', [runId]);
    expect(stored.rows.length).toBe(PORTFOLIOS);
    expect(new Set(stored.rows.map((r) => r.portfolio_id))).toEqual(new Set(ids));
    expect(stored.rows.filter((r) => r.n !== '1')).toEqual([]);

    // Every task was first delivered to one of the two replicas; the survivor's log names those it
    // got first (read once its buffered lines are out), so the rest went first to the doomed one
    // (whose last lines a SIGKILL may have lost). Those it had not finished came back to the
    // survivor, within the ack wait.
    await new Promise((r) => setTimeout(r, 3 * LOG_FLUSH_MS));
    const survivorTook = taken(survivor, runId);
    const firstToSurvivor = new Set(survivorTook.filter((t) => t.delivery === 1).map((t) => t.portfolio));
    const doomedPortfolios = new Set(ids.filter((id) => !firstToSurvivor.has(id)));
    expect(doomedPortfolios.size).toBeGreaterThan(0);
    const redelivered = survivorTook.filter((t) => t.delivery > 1);
    expect(redelivered.length).toBeGreaterThan(0);
    expect(redelivered.filter((t) => !doomedPortfolios.has(t.portfolio))).toEqual([]);
    const late = redelivered.filter((t) => t.time - killedAt > ACK_WAIT_MS + RETAKE_SLACK_MS);
    expect(late).toEqual([]);
    // A task the doomed replica took and that was settled only after its death is one of those redelivered: nothing was lost.
    const settledAfterKill = await db.query<{ portfolio_id: string }>(
      'SELECT portfolio_id FROM risk_run_tasks WHERE run_id = $1 AND portfolio_id = ANY($2) AND finished_at >= $3',
      [runId, [...doomedPortfolios], new Date(killedAt)],
    );
    const redeliveredPortfolios = new Set(redelivered.map((t) => t.portfolio));
    expect(settledAfterKill.rows.map((r) => r.portfolio_id).filter((p) => !redeliveredPortfolios.has(p))).toEqual([]);
    process.stdout.write(
      `    risk run: doomed took ${doomedPortfolios.size} tasks first, ${redelivered.length} redelivered to the survivor ` +
        `${Math.min(...redelivered.map((t) => t.time - killedAt))}–${Math.max(...redelivered.map((t) => t.time - killedAt))} ms after the kill ` +
        `(ack wait ${ACK_WAIT_MS} ms); run ${Date.parse(run.finished_at) - Date.parse(run.started_at)} ms\n`,
    );
  }, 180_000);
});
