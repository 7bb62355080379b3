import 'reflect-metadata';
import { accessSync, constants } from 'node:fs';
import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  Min,
  validateSync,
} from 'class-validator';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const toBool = ({ value }: { value: unknown }) => {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  const v = String(value).toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value; // left as is: @IsBoolean reports it
};
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/**
 * The environment the service reads, validated once at start. Every variable is
 * optional: with nothing set the service runs on its embedded defaults (PGlite under
 * DATA_DIR, in-process cache, events logged instead of published).
 */
class EnvironmentVariables {
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(65535)
  PORT = 3000;

  @IsOptional() @IsString()
  HOST = '0.0.0.0';

  @IsOptional() @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @IsOptional() @Transform(emptyToUndefined) @IsString()
  DATABASE_URL?: string;

  @IsOptional() @IsString()
  DATA_DIR = './data';

  @IsOptional() @Transform(emptyToUndefined) @IsString()
  REDIS_URL?: string;

  @IsOptional() @Transform(emptyToUndefined) @IsString()
  NATS_URL?: string;

  @IsOptional() @Transform(emptyToUndefined) @IsString()
  ADMIN_API_KEY?: string;

  /** Largest accepted request body, bytes (a million returns as JSON is about 20 MB). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1024)
  BODY_LIMIT_BYTES = 32 * 1024 * 1024;

  /** How long a calculated figure is valid (expires_at = calculated_at + this). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  RESULT_TTL_SECONDS = 900;

  /** Time-to-live of cached asset return series. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  CACHE_TTL_SECONDS = 900;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  CACHE_MAX_SERIES = 5000;

  @IsOptional() @Type(() => Number) @IsNumber() @Min(0)
  LIMIT_WARNING_UTILIZATION = 0.8;

  @IsOptional() @Type(() => Number) @IsNumber() @Min(0)
  LIMIT_BREACH_UTILIZATION = 1;

  @IsOptional() @Type(() => Number) @IsNumber() @Min(0)
  LIMIT_CRITICAL_UTILIZATION = 1.25;

  @IsOptional() @Type(() => Number) @IsNumber() @Min(0)
  DEFAULT_MAX_VAR_PERCENT = 5;

  @IsOptional() @Type(() => Number) @IsNumber() @Min(0)
  DEFAULT_MAX_DRAWDOWN_PERCENT = 20;

  @IsOptional() @Type(() => Number) @IsNumber() @Min(0)
  DEFAULT_MAX_POSITION_SIZE_PERCENT = 10;

  @IsOptional() @Type(() => Number) @IsNumber() @Min(50) @Max(99.99)
  DEFAULT_LIMIT_CONFIDENCE = 95;

  /** Relay poll interval and retry backoff ceiling for the outbox, ms. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(10)
  OUTBOX_POLL_MS = 200;

  @IsOptional() @Type(() => Number) @IsInt() @Min(100)
  OUTBOX_MAX_BACKOFF_MS = 30000;

  /** When true, GET /metrics needs an API key like /v1 routes. */
  @IsOptional() @Transform(toBool) @IsBoolean()
  METRICS_REQUIRE_API_KEY = false;

  /** When false, no metric carries a portfolio_id label (for metrics that leave the trust boundary). */
  @IsOptional() @Transform(toBool) @IsBoolean()
  METRICS_PORTFOLIO_LABELS = true;

  /** Durable JetStream consumer of risk.nav.updated shared by the replicas. */
  @IsOptional() @IsString()
  NATS_NAV_DURABLE = 'risk-service-nav';

  /** When set, NATS removes the durable after this long without a consumer (for test runs; unset in production). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  NATS_NAV_INACTIVE_SECONDS?: number;

  /** Durable JetStream consumer of risk-run tasks, shared by the replicas (one per work-queue stream). */
  @IsOptional() @IsString()
  RISK_RUNS_DURABLE = 'risk-service-runs';

  /** A risk-run task taken by a replica that stops answering comes back to the others after this long (ms). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1000)
  RISK_RUN_ACK_WAIT_MS = 5000;

  /** Risk-run tasks one replica works on at a time. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(64)
  RISK_RUN_CONCURRENCY = 2;

  /** Turn the NATS request handlers off even when NATS_URL is set. */
  @IsOptional() @Transform(toBool) @IsBoolean()
  NATS_HANDLERS_ENABLED = true;

  // ---- Hardening: time budget, dependencies down, rate limit, NAV consumer (api.md "Hardening") ----

  /** A calculation on the worker pool not done within this long is cancelled: 503 CALCULATION_TIMEOUT. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  CALCULATION_TIMEOUT_MS = 30000;

  /** Worker threads for heavy maths (default: one per core). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(256)
  CALCULATION_THREADS?: number;

  /** Requests per minute per API key, shared by the replicas through Redis when REDIS_URL is set; 0 = off. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0)
  RATE_LIMIT_PER_MINUTE = 60000;

  /** PostgreSQL: opening a connection, or waiting for a free one in the pool, ms. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(100)
  DB_CONNECT_TIMEOUT_MS = 2000;

  /** PostgreSQL: one statement (server statement_timeout, and the client's wait for the answer), ms. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(100)
  DB_STATEMENT_TIMEOUT_MS = 2500;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  DB_POOL_SIZE = 10;

  /** Deliveries of one risk.nav.updated message before it is given up (transient failures only). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  NATS_NAV_MAX_DELIVER = 20;

  /** Broker credentials (at most one kind): user and password, a token, or a .creds file (JWT + NKey seed). */
  @IsOptional() @Transform(emptyToUndefined) @IsString()
  NATS_USER?: string;

  @IsOptional() @Transform(emptyToUndefined) @IsString()
  NATS_PASS?: string;

  @IsOptional() @Transform(emptyToUndefined) @IsString()
  NATS_TOKEN?: string;

  @IsOptional() @Transform(emptyToUndefined) @IsString()
  NATS_CREDS?: string;

  /** TLS to the broker: a CA file to trust, and a client certificate and key (mutual TLS). */
  @IsOptional() @Transform(emptyToUndefined) @IsString()
  NATS_TLS_CA?: string;

  @IsOptional() @Transform(emptyToUndefined) @IsString()
  NATS_TLS_CERT?: string;

  @IsOptional() @Transform(emptyToUndefined) @IsString()
  NATS_TLS_KEY?: string;
}

/** How the service authenticates to the broker (every connection it opens). */
export interface NatsCredentials {
  user?: string;
  pass?: string;
  token?: string;
  /** Path of a .creds file. */
  credsFile?: string;
  tls?: { caFile?: string; certFile?: string; keyFile?: string };
}

const NATS_SECRET_VARIABLES = ['NATS_USER', 'NATS_PASS', 'NATS_TOKEN', 'NATS_CREDS', 'NATS_TLS_CA', 'NATS_TLS_CERT', 'NATS_TLS_KEY'] as const;

/** Combinations that cannot work, and files that cannot be read, named by their variable. */
function natsCredentialProblems(t: EnvironmentVariables): string[] {
  const problems: string[] = [];
  if (!!t.NATS_USER !== !!t.NATS_PASS) problems.push('NATS_USER and NATS_PASS go together');
  const kinds = [t.NATS_USER || t.NATS_PASS ? 'NATS_USER/NATS_PASS' : null, t.NATS_TOKEN ? 'NATS_TOKEN' : null, t.NATS_CREDS ? 'NATS_CREDS' : null].filter(Boolean);
  if (kinds.length > 1) problems.push(`give one kind of NATS credentials, not ${kinds.join(' and ')}`);
  if (!!t.NATS_TLS_CERT !== !!t.NATS_TLS_KEY) problems.push('NATS_TLS_CERT and NATS_TLS_KEY go together');
  for (const name of ['NATS_CREDS', 'NATS_TLS_CA', 'NATS_TLS_CERT', 'NATS_TLS_KEY'] as const) {
    const file = t[name];
    if (!file) continue;
    try {
      accessSync(file, constants.R_OK);
    } catch {
      problems.push(`${name} names a file that cannot be read (${file})`);
    }
  }
  return problems;
}

export type LimitThresholds = { warning: number; breach: number; critical: number };

/** Typed, validated configuration. Injected by class: `constructor(private readonly config: AppConfig)`. */
export class AppConfig {
  readonly port: number;
  readonly host: string;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly databaseUrl?: string;
  readonly dataDir: string;
  readonly redisUrl?: string;
  readonly natsUrl?: string;
  readonly adminApiKey?: string;
  readonly bodyLimitBytes: number;
  readonly resultTtlSeconds: number;
  readonly cacheTtlSeconds: number;
  readonly cacheMaxSeries: number;
  readonly limitThresholds: LimitThresholds;
  readonly defaultLimits: {
    maxVarPercent: number;
    maxDrawdownPercent: number;
    maxPositionSizePercent: number;
    confidenceLevel: number;
  };
  readonly outboxPollMs: number;
  readonly outboxMaxBackoffMs: number;
  readonly metricsRequireApiKey: boolean;
  readonly metricsPortfolioLabels: boolean;
  readonly natsHandlersEnabled: boolean;
  readonly natsNavDurable: string;
  readonly natsNavInactiveSeconds?: number;
  readonly calculationTimeoutMs: number;
  readonly calculationThreads?: number;
  readonly rateLimitPerMinute: number;
  readonly database: { connectTimeoutMs: number; statementTimeoutMs: number; poolSize: number };
  readonly natsNavMaxDeliver: number;
  readonly natsCredentials: NatsCredentials;
  readonly riskRuns: { durable: string; ackWaitMs: number; concurrency: number };

  constructor(env: EnvironmentVariables) {
    this.port = env.PORT;
    this.host = env.HOST;
    this.logLevel = env.LOG_LEVEL;
    this.databaseUrl = env.DATABASE_URL;
    this.dataDir = env.DATA_DIR;
    this.redisUrl = env.REDIS_URL;
    this.natsUrl = env.NATS_URL;
    this.adminApiKey = env.ADMIN_API_KEY;
    this.bodyLimitBytes = env.BODY_LIMIT_BYTES;
    this.resultTtlSeconds = env.RESULT_TTL_SECONDS;
    this.cacheTtlSeconds = env.CACHE_TTL_SECONDS;
    this.cacheMaxSeries = env.CACHE_MAX_SERIES;
    this.limitThresholds = {
      warning: env.LIMIT_WARNING_UTILIZATION,
      breach: env.LIMIT_BREACH_UTILIZATION,
      critical: env.LIMIT_CRITICAL_UTILIZATION,
    };
    this.defaultLimits = {
      maxVarPercent: env.DEFAULT_MAX_VAR_PERCENT,
      maxDrawdownPercent: env.DEFAULT_MAX_DRAWDOWN_PERCENT,
      maxPositionSizePercent: env.DEFAULT_MAX_POSITION_SIZE_PERCENT,
      confidenceLevel: env.DEFAULT_LIMIT_CONFIDENCE,
    };
    this.outboxPollMs = env.OUTBOX_POLL_MS;
    this.outboxMaxBackoffMs = env.OUTBOX_MAX_BACKOFF_MS;
    this.metricsRequireApiKey = env.METRICS_REQUIRE_API_KEY;
    this.metricsPortfolioLabels = env.METRICS_PORTFOLIO_LABELS;
    this.natsHandlersEnabled = env.NATS_HANDLERS_ENABLED;
    this.natsNavDurable = env.NATS_NAV_DURABLE;
    this.natsNavInactiveSeconds = env.NATS_NAV_INACTIVE_SECONDS;
    this.calculationTimeoutMs = env.CALCULATION_TIMEOUT_MS;
    this.calculationThreads = env.CALCULATION_THREADS;
    this.rateLimitPerMinute = env.RATE_LIMIT_PER_MINUTE;
    this.database = { connectTimeoutMs: env.DB_CONNECT_TIMEOUT_MS, statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS, poolSize: env.DB_POOL_SIZE };
    this.natsNavMaxDeliver = env.NATS_NAV_MAX_DELIVER;
    const tls = env.NATS_TLS_CA || env.NATS_TLS_CERT ? { caFile: env.NATS_TLS_CA, certFile: env.NATS_TLS_CERT, keyFile: env.NATS_TLS_KEY } : undefined;
    this.natsCredentials = {
      ...(env.NATS_USER ? { user: env.NATS_USER, pass: env.NATS_PASS } : {}),
      ...(env.NATS_TOKEN ? { token: env.NATS_TOKEN } : {}),
      ...(env.NATS_CREDS ? { credsFile: env.NATS_CREDS } : {}),
      ...(tls ? { tls } : {}),
    };
    this.riskRuns = { durable: env.RISK_RUNS_DURABLE, ackWaitMs: env.RISK_RUN_ACK_WAIT_MS, concurrency: env.RISK_RUN_CONCURRENCY };
  }
}

export class ConfigValidationError extends Error {}

/**
 * Reads and validates the environment. Throws one error naming every bad variable,
 * e.g. `Invalid configuration: PORT must not be greater than 65535 (got "70000")`.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = Object.keys(new EnvironmentVariables());
  const picked: Record<string, unknown> = {};
  for (const key of [...known, 'DATABASE_URL', 'REDIS_URL', 'NATS_URL', 'ADMIN_API_KEY', 'NATS_NAV_INACTIVE_SECONDS', 'CALCULATION_THREADS', ...NATS_SECRET_VARIABLES]) {
    if (env[key] !== undefined) picked[key] = env[key];
  }
  const parsed = plainToInstance(EnvironmentVariables, picked, { exposeDefaultValues: true });
  const errors = validateSync(parsed, { whitelist: true, forbidUnknownValues: true });
  if (errors.length > 0) {
    // Secrets are named, never echoed.
    const shown = (p: string) => ((NATS_SECRET_VARIABLES as readonly string[]).includes(p) ? '' : ` (got ${JSON.stringify(picked[p])})`);
    const lines = errors.flatMap((e) => Object.values(e.constraints ?? {}).map((m) => `${m}${shown(e.property)}`));
    throw new ConfigValidationError(`Invalid configuration: ${lines.join('; ')}`);
  }
  const t = parsed;
  const nats = natsCredentialProblems(t);
  if (nats.length > 0) throw new ConfigValidationError(`Invalid configuration: ${nats.join('; ')}`);
  if (!(t.LIMIT_WARNING_UTILIZATION < t.LIMIT_BREACH_UTILIZATION && t.LIMIT_BREACH_UTILIZATION < t.LIMIT_CRITICAL_UTILIZATION)) {
    throw new ConfigValidationError(
      'Invalid configuration: LIMIT_WARNING_UTILIZATION < LIMIT_BREACH_UTILIZATION < LIMIT_CRITICAL_UTILIZATION must hold',
    );
  }
  return new AppConfig(parsed);
}
