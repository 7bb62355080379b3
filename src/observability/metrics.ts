import { makeCounterProvider, makeGaugeProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';

/** Metric names and labels exactly as docs/api.md lists them. */
export const METRIC = {
  calcDuration: 'risk_calculation_duration_seconds',
  calcSuccess: 'risk_calculation_success_total',
  calcErrors: 'risk_calculation_errors_total',
  calcSlaViolations: 'risk_calculation_sla_violations_total',
  limitBreaches: 'risk_limit_breaches_total',
  portfolioVar: 'portfolio_var_current',
  drawdownAlerts: 'risk_drawdown_alerts_total',
  cacheHitRate: 'risk_calculation_cache_hit_rate',
  outboxPending: 'risk_outbox_pending',
  httpDuration: 'http_request_duration_seconds',
  navRejected: 'risk_nav_rejected_total',
  // Beyond api.md's list, for the dashboard and the alert rules (deploy/):
  natsDuration: 'risk_nats_request_duration_seconds',
  cacheLookups: 'risk_cache_lookups_total',
  dbPoolConnections: 'risk_db_pool_connections',
  dbPoolMax: 'risk_db_pool_max',
  dependencyUp: 'risk_dependency_up',
  ready: 'risk_ready',
} as const;

/** A calculation slower than this counts as an SLA violation. */
export const CALCULATION_SLA_SECONDS = 0.001;

export const metricProviders = [
  makeHistogramProvider({
    name: METRIC.calcDuration,
    help: 'Duration of one risk calculation (maths only, no I/O), seconds',
    labelNames: ['method', 'asset_class'],
    buckets: [0.0001, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
  }),
  makeCounterProvider({ name: METRIC.calcSuccess, help: 'Successful risk calculations', labelNames: ['method', 'asset_class'] }),
  makeCounterProvider({ name: METRIC.calcErrors, help: 'Failed risk calculations', labelNames: ['method', 'error_type'] }),
  makeCounterProvider({ name: METRIC.calcSlaViolations, help: 'Risk calculations slower than 1 ms', labelNames: ['method'] }),
  makeCounterProvider({ name: METRIC.limitBreaches, help: 'Limit breaches detected', labelNames: ['portfolio_id', 'breach_type', 'severity'] }),
  makeGaugeProvider({ name: METRIC.portfolioVar, help: 'Latest stored VaR of a portfolio, as a fraction of its value (negative = loss), per confidence and horizon', labelNames: ['portfolio_id', 'confidence_level', 'horizon_days'] }),
  makeCounterProvider({ name: METRIC.drawdownAlerts, help: 'Drawdown alerts raised', labelNames: ['portfolio_id', 'severity'] }),
  makeGaugeProvider({ name: METRIC.cacheHitRate, help: 'Hit rate of a cache since start (0..1)', labelNames: ['cache_type'] }),
  makeGaugeProvider({ name: METRIC.outboxPending, help: 'Events written to the outbox and not yet delivered' }),
  makeCounterProvider({ name: METRIC.navRejected, help: 'risk.nav.updated messages terminated without being applied', labelNames: ['reason'] }),
  makeHistogramProvider({
    name: METRIC.httpDuration,
    help: 'HTTP request duration, seconds',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  }),
  makeHistogramProvider({
    name: METRIC.natsDuration,
    help: 'NATS request handler duration (risk.*.calculate, risk.portfolio.var), seconds',
    labelNames: ['subject', 'status_code'],
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  }),
  makeCounterProvider({ name: METRIC.cacheLookups, help: 'Return-series cache lookups (lru: in process; redis: shared), by result', labelNames: ['cache_type', 'result'] }),
  makeGaugeProvider({ name: METRIC.dbPoolConnections, help: 'Database pool connections: total (open), idle, waiting (callers queued for one)', labelNames: ['state'] }),
  makeGaugeProvider({ name: METRIC.dbPoolMax, help: 'Largest size of the database pool' }),
  makeGaugeProvider({ name: METRIC.dependencyUp, help: 'Readiness check of a dependency at scrape time (1 up, 0 down)', labelNames: ['dependency'] }),
  makeGaugeProvider({ name: METRIC.ready, help: '1 when GET /health/ready would answer 200, else 0' }),
];
