import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { api } from '../support/api';
import { startHttpApp } from '../support/http-app';
import { exposedNames, loadDashboard, loadRules, metricNamesIn } from '../support/promql';

/** Series Prometheus makes itself rather than scraping them. */
const FROM_PROMETHEUS = new Set(['up']);

describe('Grafana dashboard and Prometheus rules against a running app', () => {
  let app: NestFastifyApplication;
  let exposed: Set<string>;
  const dashboard = loadDashboard();
  const rules = loadRules();
  const recorded = new Set(rules.filter((r) => r.kind === 'record').map((r) => r.name));
  const missing = (names: string[]) => names.filter((n) => !exposed.has(n) && !recorded.has(n) && !FROM_PROMETHEUS.has(n));

  beforeAll(async () => {
    let url: string;
    ({ app, url } = await startHttpApp());
    // One calculation and one NATS-free request, so that every labelled series has been seen at least once.
    await api(url).post('/v1/var', { returns: Array.from({ length: 30 }, (_, i) => (i % 5) / 100 - 0.02), confidence: 95 });
    exposed = exposedNames((await request(url).get('/metrics')).text);
  });
  afterAll(async () => {
    await app.close();
  });

  it('reads the metric names out of PromQL (functions, labels, groupings and numbers are not names)', () => {
    expect(metricNamesIn('histogram_quantile(0.99, sum by (le, method) (rate(risk_calculation_duration_seconds_bucket{method!~"monte_carlo|x"}[5m]))) > 1e-3')).toEqual([
      'risk_calculation_duration_seconds_bucket',
    ]);
    expect(metricNamesIn('(sum(rate(a_total[5m])) or vector(0)) / risk:calculations:rate5m and on (instance) up == 0')).toEqual(['a_total', 'risk:calculations:rate5m', 'up']);
    expect(metricNamesIn('label_values(portfolio_var_current, portfolio_id)')).toEqual(['portfolio_var_current']);
  });

  it('finds every metric a dashboard panel queries on /metrics', () => {
    const queried = dashboard.panels.filter((p) => p.type !== 'row').flatMap((p) => (p.targets ?? []).flatMap((t) => metricNamesIn(t.expr)));
    expect(queried.length).toBeGreaterThan(20);
    expect(missing(queried)).toEqual([]);
  });

  it('finds the metric of the portfolio variable on /metrics, and every portfolio panel filters on the variable', () => {
    const variable = dashboard.templating.list.find((v) => v.name === 'portfolio')!;
    expect(missing(metricNamesIn(variable.query?.query ?? variable.definition ?? ''))).toEqual([]);
    const portfolioPanels = dashboard.panels.filter((p) => (p.targets ?? []).some((t) => /portfolio_var_current|risk_limit_breaches_total|risk_drawdown_alerts_total/.test(t.expr)));
    expect(portfolioPanels.map((p) => p.title)).toHaveLength(3);
    for (const p of portfolioPanels) for (const t of p.targets!) expect(t.expr).toContain('portfolio_id=~"$portfolio"');
  });

  it('finds every metric an alerting or recording rule names on /metrics (or recorded by a rule)', () => {
    expect(rules.length).toBeGreaterThanOrEqual(15);
    expect(rules.filter((r) => !r.expr)).toEqual([]);
    const named = rules.flatMap((r) => metricNamesIn(r.expr));
    expect(missing(named)).toEqual([]);
  });

  it('describes every panel', () => {
    const undescribed = dashboard.panels.filter((p) => p.type !== 'row' && !(p.description ?? '').trim()).map((p) => p.title);
    expect(undescribed).toEqual([]);
  });
});
