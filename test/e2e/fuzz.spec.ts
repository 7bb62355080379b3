import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { connect, JetStreamClient, JSONCodec, NatsConnection } from 'nats';
import { businessDays } from '../support/api';
import {
  around, body, confidence, deepValue, field, hostileValue, isoDate, isoTime, money, query, returnsArray, segment, toJsonText,
} from '../support/fuzz-arbitraries';
import { startHttpApp } from '../support/http-app';

/**
 * api.md Hardening: "bad input is 4xx, never 5xx, whatever its shape, over REST and over NATS
 * alike". Arbitrary JSON (deep nesting, NUL, lone surrogates, huge numbers, nulls, wrong types) is
 * thrown at every REST endpoint class (in process, through Fastify's inject) and every NATS request
 * subject; risk.nav.updated messages must not stop the consumer. Every answer is below 500, and
 * every non-2xx answer is the api.md error body with status_code equal to the HTTP status.
 * FUZZ_RUNS (default 2,000) cases per class; the status histogram is printed at the end.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const KEY = process.env.ADMIN_API_KEY!;
const ERROR_TYPES = [
  'INVALID_INPUT', 'INSUFFICIENT_DATA', 'NOT_FOUND', 'UNAUTHORIZED', 'FORBIDDEN', 'CONFLICT', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED', 'CALCULATION_TIMEOUT', 'DEPENDENCY_UNAVAILABLE', 'UNKNOWN_ERROR',
];
const json = JSONCodec();
const histogram = new Map<string, Map<number | string, number>>();

function count(cls: string, status: number | string) {
  const h = histogram.get(cls) ?? new Map<number | string, number>();
  h.set(status, (h.get(status) ?? 0) + 1);
  histogram.set(cls, h);
}

/** The api.md error body, with status_code equal to `status`. Throws a readable error otherwise. */
function assertErrorBody(b: any, status: number, where: string) {
  const ok =
    b && typeof b === 'object' && b.status_code === status && typeof b.error === 'string' && ERROR_TYPES.includes(b.error_type) &&
    Array.isArray(b.message) && b.message.every((m: unknown) => typeof m === 'string') && typeof b.correlation_id === 'string' &&
    Object.keys(b).sort().join(',') === 'correlation_id,error,error_type,message,status_code';
  if (!ok) throw new Error(`${where}: not the api.md error body for ${status}: ${JSON.stringify(b)?.slice(0, 500)}`);
}

interface Req {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD' | 'PATCH' | 'OPTIONS';
  url: string;
  payload?: string;
  headers?: Record<string, string>;
}

describe('fuzz: hostile input never gets a 5xx (REST and NATS)', () => {
  let app: NestFastifyApplication;
  let nc: NatsConnection;
  let js: JetStreamClient;
  const run = randomUUID().slice(0, 6);
  const id = (s: string) => `fz-${run}-${s}`;
  const books = [id('book-1'), id('book-2'), id('book-3')];
  const risk = id('risk');
  const limits = [id('lim-1'), id('lim-2')];
  const navs = [id('nav-1'), id('nav-2')];
  const assets = [id('A'), id('B')];
  const alertIds: string[] = [];
  const keyIds: string[] = [];
  const navSeqs: number[] = [];

  const inject = async (r: Req): Promise<LightMyRequestResponse> =>
    app.getHttpAdapter().getInstance().inject({
      method: r.method,
      url: r.url,
      payload: r.payload,
      headers: { 'x-api-key': KEY, ...(r.payload !== undefined ? { 'content-type': 'application/json' } : {}), ...r.headers },
    } as InjectOptions);

  const ok = async (r: Req) => {
    const res = await inject(r);
    if (res.statusCode >= 300) throw new Error(`setup ${r.method} ${r.url}: ${res.statusCode} ${res.body}`);
    return res.json();
  };

  beforeAll(async () => {
    ({ app } = await startHttpApp());
    nc = await connect({ servers: process.env.NATS_URL });
    js = nc.jetstream();
    const dates = businessDays(300);
    for (const [k, a] of assets.entries()) {
      await ok({ method: 'PUT', url: `/v1/assets/${a}/returns`, payload: JSON.stringify(dates.map((d, i) => ({ date: d, return_pct: Math.sin(i * (1.3 + k)) * 0.02 }))) });
    }
    for (const p of [...books, risk, ...limits, ...navs]) {
      await ok({ method: 'POST', url: '/v1/portfolios', payload: JSON.stringify({ id: p, name: p }) });
      await ok({ method: 'PUT', url: `/v1/portfolios/${p}/positions`, payload: JSON.stringify(assets.map((a, i) => ({ asset_id: a, market_value: `${600 - i * 200}` }))) });
    }
    // Alerts to acknowledge and resolve: VaR breaches of a tiny limit.
    for (const p of limits) {
      await ok({ method: 'PUT', url: `/v1/portfolios/${p}/limits`, payload: JSON.stringify({ max_var_percent: 0.01 }) });
      await ok({ method: 'POST', url: `/v1/portfolios/${p}/var`, payload: JSON.stringify({ confidence: 99 }) });
      alertIds.push(...(await ok({ method: 'GET', url: `/v1/alerts?portfolio_id=${p}` })).map((a: { id: string }) => a.id));
    }
    keyIds.push((await ok({ method: 'POST', url: '/v1/api-keys', payload: JSON.stringify({ name: id('key'), role: 'viewer' }) })).id);
  });

  afterAll(async () => {
    // The NAV messages of this run leave the stream, so later runs' consumers do not replay them.
    const jsm = await nc?.jetstreamManager();
    for (const seq of navSeqs) await jsm?.streams.deleteMessage('RISK', seq).catch(() => undefined);
    await nc?.close();
    await app?.close();
    const lines = [...histogram.entries()].map(([cls, h]) => {
      const total = [...h.values()].reduce((s, n) => s + n, 0);
      const parts = [...h.entries()].sort(([a], [b]) => String(a).localeCompare(String(b))).map(([s, n]) => `${s}: ${n}`);
      return `    ${cls.padEnd(28)} ${String(total).padStart(5)}  ${parts.join(', ')}`;
    });
    process.stdout.write(`\n    fuzz status histogram (FUZZ_RUNS=${RUNS})\n${lines.join('\n')}\n`);
  });

  /**
   * Short horizons, and 251 (one too many): a Monte Carlo over 100+ days takes seconds of CPU (a
   * cost, not a fault, that this suite need not pay thousands of times).
   */
  const horizon = fc.oneof(fc.integer({ min: 0, max: 12 }), fc.constant(251));

  /** One of the ids known only once beforeAll has run (the classes are listed before it). */
  const later = (ids: () => string[]) => fc.constant(null).chain(() => fc.constantFrom(...ids()));

  /** Valid bodies of each endpoint: `around()` puts one hostile value into them. */
  const positive = fc.oneof(fc.integer({ min: 1, max: 10_000_000 }).map(String), fc.constantFrom('1000000', '0.01', '250000.50'));
  // Monte Carlo one time in four: the costly method, so as not to spend the suite's time on it.
  const validRisk = fc.oneof(
    { weight: 3, arbitrary: fc.record({
      returns: fc.array(fc.double({ min: -0.2, max: 0.2, noNaN: true }), { minLength: 150, maxLength: 300 }), confidence: fc.constantFrom(90, 95, 97.5, 99),
      method: fc.constantFrom('historical', 'parametric', 'cornish_fisher'), portfolio_value: positive, horizon_days: fc.integer({ min: 1, max: 12 }),
      portfolio_id: fc.constant('desk-7'), asset_class: fc.constantFrom('EQUITY', 'FX'), risk_limit: positive,
    }, { requiredKeys: ['returns'] }) },
    { weight: 1, arbitrary: fc.record({
      returns: fc.array(fc.double({ min: -0.2, max: 0.2, noNaN: true }), { minLength: 20, maxLength: 100 }), method: fc.constant('monte_carlo'), confidence: fc.constantFrom(95, 99),
      simulations: fc.integer({ min: 100, max: 3_000 }), seed: fc.integer({ min: 0, max: 1000 }), distribution: fc.constantFrom('normal', 'bootstrap'), horizon_days: fc.integer({ min: 1, max: 5 }),
    }, { requiredKeys: ['returns', 'method'] }) },
  );
  const riskKeys = ['returns', 'confidence', 'method', 'portfolio_value', 'horizon_days', 'simulations', 'seed', 'distribution', 'portfolio_id', 'asset_class', 'risk_limit'];
  const validDrawdown = fc.oneof(
    fc.record({ values: fc.array(fc.double({ min: 1, max: 1000, noNaN: true }), { minLength: 1, maxLength: 200 }) }),
    fc.record({ returns: fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { minLength: 1, maxLength: 200 }) }),
  );
  const validBacktest = fc.oneof(
    fc.record({ returns: fc.array(fc.double({ min: -0.1, max: 0.1, noNaN: true }), { minLength: 260, maxLength: 320 }), confidence: fc.constantFrom(95, 99), method: fc.constantFrom('historical', 'parametric', 'cornish_fisher'), window: fc.integer({ min: 20, max: 250 }) }),
    fc.integer({ min: 5, max: 300 }).chain((n) => fc.record({ returns: fc.array(fc.double({ min: -0.1, max: 0.1, noNaN: true }), { minLength: n, maxLength: n }), var_forecasts: fc.array(fc.double({ min: -0.1, max: 0, noNaN: true }), { minLength: n, maxLength: n }), confidence: fc.constantFrom(95, 99) })),
  );
  const sizingCommon = { equity: positive, portfolio_id: fc.constantFrom(risk, 'nope'), max_position_size_percent: fc.double({ min: 0.1, max: 100, noNaN: true }), max_leverage: fc.double({ min: 0.1, max: 10, noNaN: true }) };
  const validSizing = fc.oneof(
    fc.record({ method: fc.constant('fixed_fractional'), risk_fraction: fc.double({ min: 0.001, max: 1, noNaN: true }), entry_price: fc.constantFrom('50', '100.25'), stop_price: fc.constantFrom('48', '120'), ...sizingCommon }, { requiredKeys: ['method', 'equity', 'risk_fraction', 'entry_price', 'stop_price'] }),
    fc.record({ method: fc.constant('kelly'), win_probability: fc.double({ min: 0, max: 1, noNaN: true }), win_loss_ratio: fc.double({ min: 0.01, max: 10, noNaN: true }), kelly_multiplier: fc.double({ min: 0.01, max: 1, noNaN: true }), ...sizingCommon }, { requiredKeys: ['method', 'equity', 'win_probability', 'win_loss_ratio'] }),
    fc.record({ method: fc.constant('kelly'), trade_returns: fc.array(fc.double({ min: -0.9, max: 2, noNaN: true }), { minLength: 2, maxLength: 50 }), ...sizingCommon }, { requiredKeys: ['method', 'equity', 'trade_returns'] }),
    fc.record({ method: fc.constant('volatility_target'), target_annual_vol: fc.double({ min: 0.01, max: 10, noNaN: true }), daily_volatility: fc.double({ min: 0.0001, max: 1, noNaN: true }), periods_per_year: fc.integer({ min: 1, max: 365 }), ...sizingCommon }, { requiredKeys: ['method', 'equity', 'target_annual_vol', 'daily_volatility'] }),
    fc.record({ method: fc.constant('volatility_target'), target_annual_vol: fc.double({ min: 0.01, max: 10, noNaN: true }), returns: fc.array(fc.double({ min: -0.1, max: 0.1, noNaN: true }), { minLength: 2, maxLength: 50 }), ...sizingCommon }, { requiredKeys: ['method', 'equity', 'target_annual_vol', 'returns'] }),
  );
  const sizingKeys = ['method', 'equity', 'portfolio_id', 'max_position_size_percent', 'max_leverage', 'risk_fraction', 'entry_price', 'stop_price', 'win_probability', 'win_loss_ratio', 'trade_returns', 'kelly_multiplier', 'target_annual_vol', 'returns', 'daily_volatility', 'periods_per_year'];
  const validStored = fc.oneof(
    { weight: 3, arbitrary: fc.record({ method: fc.constantFrom('historical', 'parametric', 'cornish_fisher'), confidence: fc.constantFrom(90, 95, 99), horizon_days: fc.integer({ min: 1, max: 12 }), lookback_days: fc.integer({ min: 100, max: 300 }) }) },
    { weight: 1, arbitrary: fc.record({ method: fc.constant('monte_carlo'), confidence: fc.constantFrom(95, 99), horizon_days: fc.integer({ min: 1, max: 5 }), lookback_days: fc.integer({ min: 20, max: 300 }), simulations: fc.integer({ min: 100, max: 2_000 }), seed: fc.integer({ min: 0, max: 100 }), distribution: fc.constantFrom('normal', 'bootstrap') }) },
    { weight: 1, arbitrary: fc.record({ method: fc.constantFrom('ewma', 'filtered_historical'), confidence: fc.constantFrom(90, 95, 99), horizon_days: fc.integer({ min: 1, max: 12 }), lookback_days: fc.integer({ min: 2, max: 300 }), lambda: fc.double({ min: 0.01, max: 0.99, noNaN: true }) }, { requiredKeys: ['method'] }) },
  );
  const storedKeys = ['method', 'confidence', 'horizon_days', 'lookback_days', 'simulations', 'seed', 'distribution', 'lambda'];
  // Stress scenarios: every type, on the book's assets (and one it does not hold), dates around and beyond its history.
  const scenarioName = fc.oneof({ weight: 6, arbitrary: fc.stringMatching(/^[a-z]{1,12}$/) }, { weight: 1, arbitrary: fc.string({ maxLength: 20 }) }, { weight: 1, arbitrary: fc.constantFrom('crash', 'x'.repeat(129)) });
  const validScenario = fc.oneof(
    fc.record({ name: scenarioName, type: fc.constant('shock'), shocks: fc.dictionary(fc.constantFrom(...assets, 'X'), fc.double({ min: -1, max: 1, noNaN: true }), { minKeys: 1, maxKeys: 3 }) }),
    fc.record({ name: scenarioName, type: fc.constant('historical'), from: isoDate, to: isoDate }),
    fc.record({ name: scenarioName, type: fc.constant('worst_window'), days: fc.integer({ min: 1, max: 320 }) }),
  );
  const scenarioKeys = ['name', 'type', 'shocks', 'from', 'to', 'days'];
  const stressBody = fc.oneof(
    { weight: 3, arbitrary: fc.array(fc.oneof({ weight: 6, arbitrary: validScenario }, { weight: 1, arbitrary: around(validScenario, scenarioKeys) }), { maxLength: 4 }).map((scenarios) => ({ scenarios })) },
    { weight: 1, arbitrary: around(fc.record({ scenarios: fc.array(validScenario, { minLength: 1, maxLength: 3 }) }), ['scenarios']) },
  );
  // What-if / pre-trade: trades on the book's assets (and ones without returns), every method.
  const signedMoney = fc.oneof(fc.integer({ min: -2_000_000, max: 2_000_000 }).map(String), fc.constantFrom('250000', '-1000000', '0', '0.01', '-0.5'));
  const validWhatIf = fc.record({
    trades: fc.array(fc.record({ asset_id: fc.constantFrom(...assets, 'X'), market_value_change: signedMoney }), { minLength: 1, maxLength: 3 }),
    method: fc.constantFrom('historical', 'parametric', 'cornish_fisher', 'ewma', 'filtered_historical'), confidence: fc.constantFrom(90, 95, 99),
    horizon_days: fc.integer({ min: 1, max: 12 }), lookback_days: fc.integer({ min: 2, max: 300 }), lambda: fc.double({ min: 0.01, max: 0.99, noNaN: true }),
  }, { requiredKeys: ['trades'] });
  const whatIfKeys = ['trades', 'method', 'confidence', 'horizon_days', 'lookback_days', 'lambda'];
  const whatIfFields = {
    trades: fc.oneof(fc.array(body({ asset_id: fc.constantFrom(...assets, 'X'), market_value_change: money }), { maxLength: 4 }), hostileValue),
    method: fc.constantFrom('historical', 'parametric', 'monte_carlo', 'ewma', 'VaR'), confidence, horizon_days: horizon,
    lookback_days: fc.integer({ min: 0, max: 400 }), lambda: fc.double({ min: -0.5, max: 1.5, noNaN: true }),
  };
  const validBook = fc.uniqueArray(fc.record({ asset_id: fc.constantFrom(...assets, 'X', 'Y'), market_value: positive }), { selector: (p) => p.asset_id, minLength: 1, maxLength: 4 });
  const validRows = fc.uniqueArray(fc.record({ date: isoDate, return_pct: fc.double({ min: -0.5, max: 0.5, noNaN: true }) }), { selector: (r) => r.date, minLength: 1, maxLength: 30 });
  const validLimits = fc.record({
    max_var_percent: fc.double({ min: 0.001, max: 100, noNaN: true }), max_drawdown_percent: fc.double({ min: 0.001, max: 100, noNaN: true }),
    max_position_size_percent: fc.double({ min: 0.001, max: 1000, noNaN: true }), confidence: fc.double({ min: 50.001, max: 99.99, noNaN: true }), effective_date: isoTime,
  }, { requiredKeys: [] });
  const validNav = fc.record({ value: positive, at: isoTime }, { requiredKeys: ['value'] });
  const validKey = fc.record({ name: fc.string({ minLength: 1, maxLength: 100 }), role: fc.constantFrom('viewer', 'analyst', 'risk_manager'), portfolios: fc.uniqueArray(fc.constantFrom(...books, risk), { minLength: 1, maxLength: 3 }) }, { requiredKeys: ['name', 'role'] });
  /** Around a valid body (mostly), or any subset of plausible-or-hostile fields. */
  const mix = (valid: fc.Arbitrary<Record<string, unknown>>, keys: string[], fields: Record<string, fc.Arbitrary<unknown>>) =>
    fc.oneof({ weight: 3, arbitrary: around(valid, keys) }, { weight: 1, arbitrary: body(fields) });

  /** REST classes: each arbitrary yields one request. */
  const post = (url: fc.Arbitrary<string>, b: fc.Arbitrary<unknown>, method: Req['method'] = 'POST') =>
    fc.tuple(url, b).map(([u, x]): Req => ({ method, url: u, payload: toJsonText(x) }));
  const restClasses = (): Array<[string, fc.Arbitrary<Req>]> => {
    const riskBody = mix(validRisk, riskKeys, {
      returns: returnsArray, confidence, method: fc.constantFrom('historical', 'parametric', 'cornish_fisher', 'monte_carlo'), portfolio_value: money,
      horizon_days: horizon, simulations: fc.integer({ min: 0, max: 5_000 }), seed: fc.integer({ min: -1, max: 2 ** 32 }),
      distribution: fc.constantFrom('normal', 'bootstrap'), portfolio_id: fc.constantFrom(risk, 'desk-7'), asset_class: fc.constantFrom('EQUITY', 'FX', 'equity'),
      risk_limit: money,
    });
    const storedBody = mix(validStored, storedKeys, {
      method: fc.constantFrom('historical', 'parametric', 'cornish_fisher', 'monte_carlo', 'ewma', 'filtered_historical'), confidence, horizon_days: horizon,
      lambda: fc.double({ min: -0.5, max: 1.5, noNaN: true }),
      lookback_days: fc.integer({ min: 0, max: 400 }), simulations: fc.integer({ min: 0, max: 5_000 }), seed: fc.integer({ min: 0, max: 100 }),
      distribution: fc.constantFrom('normal', 'bootstrap'),
    });
    return [
      ['POST /v1/var, /v1/cvar', post(fc.constantFrom('/v1/var', '/v1/cvar'), riskBody)],
      ['POST /v1/drawdown, /v1/backtest', fc.oneof(
        post(fc.constant('/v1/drawdown'), mix(validDrawdown, ['values', 'returns'], { values: fc.array(fc.double({ min: 0.01, max: 1000, noNaN: true }), { maxLength: 200 }), returns: returnsArray })),
        post(fc.constant('/v1/backtest'), mix(validBacktest, ['returns', 'var_forecasts', 'confidence', 'method', 'window'], { returns: returnsArray, var_forecasts: returnsArray, confidence, method: fc.constantFrom('historical', 'parametric', 'cornish_fisher'), window: fc.integer({ min: 0, max: 300 }) })),
      )],
      ['POST /v1/position-size', post(fc.constant('/v1/position-size'), mix(validSizing, sizingKeys, {
        method: fc.constantFrom('fixed_fractional', 'kelly', 'volatility_target'), equity: money, portfolio_id: fc.constantFrom(risk, 'nope', ...books),
        max_position_size_percent: fc.double({ min: 0, max: 2000, noNaN: true }), max_leverage: fc.double({ min: 0, max: 200, noNaN: true }),
        risk_fraction: fc.double({ min: 0, max: 1.5, noNaN: true }), entry_price: money, stop_price: money, win_probability: fc.double({ min: -0.5, max: 1.5, noNaN: true }),
        win_loss_ratio: fc.double({ min: 0, max: 10, noNaN: true }), trade_returns: returnsArray, kelly_multiplier: fc.double({ min: 0, max: 2, noNaN: true }),
        target_annual_vol: fc.double({ min: 0, max: 20, noNaN: true }), returns: returnsArray, daily_volatility: fc.double({ min: 0, max: 20, noNaN: true }),
        periods_per_year: fc.integer({ min: 0, max: 200_000 }),
      }))],
      ['POST /v1/portfolios', post(fc.constant('/v1/portfolios'), body({
        id: fc.oneof(fc.constantFrom(...books, risk), fc.stringMatching(/^fzc-[a-z0-9]{1,6}$/)), name: fc.string({ maxLength: 210 }), base_currency: fc.constantFrom('USD', 'EUR', 'usd', 'EURO'),
      }))],
      ['PUT …/positions', post(segment(books).map((p) => `/v1/portfolios/${p}/positions`), fc.oneof(
        validBook,
        fc.tuple(validBook, fc.nat(), fc.constantFrom('asset_id', 'market_value'), hostileValue).map(([b, i, k, h]) => b.map((p, j) => (j === i % b.length ? { ...p, [k]: h } : p))),
        fc.array(body({ asset_id: fc.constantFrom(...assets, 'X', 'Y'), market_value: money }), { maxLength: 6 }),
        hostileValue,
      ), 'PUT')],
      ['PUT /v1/assets/…/returns', fc.oneof(
        post(segment([id('R1'), id('R2')]).map((a) => `/v1/assets/${a}/returns`), fc.oneof(
          validRows,
          fc.tuple(validRows, fc.nat(), fc.constantFrom('date', 'return_pct'), hostileValue).map(([rows, i, k, h]) => rows.map((r, j) => (j === i % rows.length ? { ...r, [k]: h } : r))),
          fc.array(body({ date: isoDate, return_pct: fc.double({ min: -1.5, max: 2, noNaN: true }) }), { maxLength: 20 }),
          hostileValue,
        ), 'PUT'),
        fc.tuple(segment([id('R1')]), fc.array(fc.tuple(isoDate, fc.string({ maxLength: 25 })), { maxLength: 10 }), fc.string({ maxLength: 40 })).map(([a, rows, junk]): Req => ({
          method: 'PUT', url: `/v1/assets/${a}/returns`, payload: `date,return_pct\n${rows.map(([d, v]) => `${d},${v}`).join('\n')}\n${junk}`, headers: { 'content-type': 'text/csv' },
        })),
      )],
      ['POST …/var, …/cvar (stored)', post(fc.tuple(segment([risk]), fc.constantFrom('var', 'cvar')).map(([p, k]) => `/v1/portfolios/${p}/${k}`), storedBody)],
      ['POST …/stress', post(segment([risk, risk, books[0]]).map((p) => `/v1/portfolios/${p}/stress`), stressBody)],
      ['POST …/what-if', post(segment([risk, risk, books[0]]).map((p) => `/v1/portfolios/${p}/what-if`), mix(validWhatIf, whatIfKeys, whatIfFields))],
      ['PUT …/limits', post(segment(limits).map((p) => `/v1/portfolios/${p}/limits`), mix(validLimits, ['max_var_percent', 'max_drawdown_percent', 'max_position_size_percent', 'confidence', 'effective_date'], {
        max_var_percent: fc.double({ min: 0, max: 200, noNaN: true }), max_drawdown_percent: fc.double({ min: 0, max: 200, noNaN: true }),
        max_position_size_percent: fc.double({ min: 0, max: 2000, noNaN: true }), confidence, effective_date: isoTime,
      }), 'PUT')],
      ['POST …/nav', post(segment(navs).map((p) => `/v1/portfolios/${p}/nav`), mix(validNav, ['value', 'at'], { value: money, at: isoTime }))],
      ['POST /v1/alerts/…', post(
        fc.tuple(fc.oneof(later(() => alertIds), segment([randomUUID()])), fc.constantFrom('acknowledge', 'resolve')).map(([a, v]) => `/v1/alerts/${a}/${v}`),
        body({ note: fc.string({ maxLength: 2100 }) }),
      )],
      ['/v1/api-keys', fc.oneof(
        post(fc.constant('/v1/api-keys'), mix(validKey, ['name', 'role', 'portfolios'], { name: fc.string({ maxLength: 110 }), role: fc.constantFrom('viewer', 'analyst', 'risk_manager', 'admin', 'root'), portfolios: fc.array(fc.constantFrom(...books, 'bad id!'), { maxLength: 3 }) })),
        fc.oneof(later(() => keyIds), segment([randomUUID()])).map((k): Req => ({ method: 'DELETE', url: `/v1/api-keys/${k}` })),
      )],
      ['GET (reads and queries)', fc.oneof(
        { weight: 6, arbitrary: fc.tuple(segment([...books, risk, ...limits]), fc.constantFrom('', '/limits', '/limits/history', '/drawdown'), query({})).map(([p, s, q]): Req => ({ method: 'GET', url: `/v1/portfolios/${p}${s}${q}` })) },
        { weight: 6, arbitrary: fc.tuple(segment([risk, ...limits]), fc.constantFrom('/var-history', '/breaches'), query({ since: isoTime, limit: fc.integer({ min: -5, max: 2000 }).map(String) })).map(([p, s, q]): Req => ({ method: 'GET', url: `/v1/portfolios/${p}${s}${q}` })) },
        { weight: 6, arbitrary: query({ portfolio_id: fc.constantFrom(...limits), status: fc.constantFrom('active', 'acknowledged', 'resolved', 'open') }).map((q): Req => ({ method: 'GET', url: `/v1/alerts${q}` })) },
        // The lists (every portfolio of the test database, each with its book) are the costly reads: fewer of them.
        { weight: 1, arbitrary: fc.constantFrom<Req>({ method: 'GET', url: '/v1/portfolios' }, { method: 'GET', url: '/v1/api-keys' }) },
      )],
      ['any method, path, header', fc.record({
        method: fc.constantFrom<Req['method']>('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'),
        path: fc.oneof(
          fc.array(segment(['v1', 'portfolios', risk, 'var', 'assets', 'alerts', 'api-keys', 'health', 'metrics', 'docs', '..', '.', '', 'V1']), { minLength: 1, maxLength: 5 }).map((s) => `/${s.join('/')}`),
          fc.webPath().map((p) => (p.startsWith('/') ? p : `/${p}`)),
        ),
        payload: fc.option(fc.oneof(hostileValue.map(toJsonText), deepValue.map(toJsonText), fc.string({ maxLength: 50 })), { nil: undefined }),
        key: fc.option(fc.oneof(fc.constant(KEY), fc.stringMatching(/^[ -~]{0,40}$/)), { nil: undefined }),
        contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/csv', 'text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream', 'multipart/form-data', ''),
        correlation: fc.oneof(fc.stringMatching(/^[A-Za-z0-9._:-]{1,140}$/), fc.stringMatching(/^[ -~]{0,20}$/)),
      }).map((r): Req => ({
        method: r.method,
        url: r.path,
        payload: r.method === 'GET' || r.method === 'HEAD' ? undefined : r.payload,
        headers: { 'x-api-key': r.key ?? '', 'content-type': r.contentType, 'x-correlation-id': r.correlation },
      }))],
    ];
  };

  /** One request: below 500, and the error body when not 2xx. */
  const checkRest = async (name: string, r: Req) => {
    const t0 = performance.now();
    const res = await inject(r);
    const ms = performance.now() - t0;
    if (process.env.FUZZ_SLOW && ms > Number(process.env.FUZZ_SLOW)) process.stdout.write(`SLOW ${ms.toFixed(0)} ms ${r.method} ${r.url.slice(0, 80)} ${res.statusCode} ${r.payload?.slice(0, 200)}\n`);
    count(name, res.statusCode);
    const where = `${r.method} ${r.url.slice(0, 200)}`;
    if (res.statusCode >= 500) throw new Error(`${where}: ${res.statusCode} ${res.body.slice(0, 500)} for ${r.payload?.slice(0, 300)}`);
    if (res.statusCode >= 300 && r.method !== 'HEAD') assertErrorBody(JSON.parse(res.body), res.statusCode, where);
  };

  // Cases go in batches of BATCH requests sent at once (the database round trips overlap, and
  // concurrent writes are exercised too); a failing batch is shrunk like any other case.
  const BATCH = 4;
  it.each(restClasses().map(([name]) => [name]))(`REST %s: ${RUNS} cases, no 5xx, every error is the api.md body`, async (name) => {
    const arb = restClasses().find(([n]) => n === name)![1];
    await fc.assert(
      fc.asyncProperty(fc.array(arb, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        await Promise.all(batch.map((r) => checkRest(name, r)));
      }),
      { numRuns: Math.ceil(RUNS / BATCH) },
    );
  }, 600_000);

  // Under the broker's max_payload (1 MB): a bigger message never reaches the service.
  const natsBody = (fields: Record<string, fc.Arbitrary<unknown>>, valid?: [fc.Arbitrary<Record<string, unknown>>, string[]]) =>
    fc.oneof(
      { weight: 8, arbitrary: (valid ? mix(valid[0], valid[1], fields) : body(fields)).map((b) => Buffer.from(toJsonText(b))).filter((b) => b.length < 900_000) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 60 }).map((b) => Buffer.from(b)) },
      { weight: 1, arbitrary: fc.constant(Buffer.alloc(0)) },
    );
  const natsClasses = (): Array<[string, fc.Arbitrary<Buffer>]> => {
    const riskFields = {
      returns: returnsArray, confidence, method: fc.constantFrom('historical', 'parametric', 'cornish_fisher', 'monte_carlo'), portfolio_value: money,
      horizon_days: horizon, simulations: fc.integer({ min: 0, max: 5_000 }), seed: fc.integer({ min: -1, max: 2 ** 32 }),
    };
    return [
      ['risk.var.calculate', natsBody(riskFields, [validRisk, riskKeys])],
      ['risk.cvar.calculate', natsBody(riskFields, [validRisk, riskKeys])],
      ['risk.position_size.calculate', natsBody({
        method: fc.constantFrom('fixed_fractional', 'kelly', 'volatility_target'), equity: money, portfolio_id: fc.constantFrom(risk, 'nope'),
        risk_fraction: fc.double({ min: 0, max: 1.5, noNaN: true }), entry_price: money, stop_price: money, win_probability: fc.double({ min: 0, max: 1, noNaN: true }),
        win_loss_ratio: fc.double({ min: 0, max: 10, noNaN: true }), target_annual_vol: fc.double({ min: 0, max: 20, noNaN: true }), daily_volatility: fc.double({ min: 0, max: 1, noNaN: true }),
      }, [validSizing, sizingKeys])],
      ['risk.portfolio.var', natsBody({
        portfolio_id: fc.constantFrom(risk, risk, 'nope', books[0]), kind: fc.constantFrom('var', 'cvar', 'VaR'), method: fc.constantFrom('historical', 'parametric', 'monte_carlo'),
        confidence, horizon_days: horizon, lookback_days: fc.integer({ min: 0, max: 400 }), simulations: fc.integer({ min: 0, max: 5_000 }),
      }, [validStored.map((v) => ({ ...v, portfolio_id: risk })), ['portfolio_id', 'kind', ...storedKeys]])],
      ['risk.pretrade.check', natsBody({ ...whatIfFields, portfolio_id: fc.constantFrom(risk, risk, 'nope', books[0]) }, [validWhatIf.map((v) => ({ ...v, portfolio_id: risk })), ['portfolio_id', ...whatIfKeys]])],
    ];
  };

  it.each(natsClasses().map(([s]) => [s]))(`NATS %s: ${RUNS} requests, every one answered, no 5xx, every error the api.md body`, async (subject) => {
    const arb = natsClasses().find(([s]) => s === subject)![1];
    const ask = async (payload: Buffer) => {
      const msg = await nc.request(subject, payload, { timeout: 10_000 });
      const reply = JSON.parse(Buffer.from(msg.data).toString('utf8'));
      if (reply && typeof reply === 'object' && 'error' in reply) {
        count(`NATS ${subject}`, reply.error?.status_code ?? 'malformed');
        if (!(reply.error?.status_code < 500)) throw new Error(`${subject}: ${JSON.stringify(reply).slice(0, 500)} for ${payload.toString('utf8').slice(0, 300)}`);
        assertErrorBody(reply.error, reply.error.status_code, subject);
      } else {
        count(`NATS ${subject}`, 'ok');
      }
    };
    await fc.assert(
      fc.asyncProperty(fc.array(arb, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        await Promise.all(batch.map(ask));
      }),
      { numRuns: Math.ceil(RUNS / BATCH) },
    );
  }, 600_000);

  it(`NATS risk.nav.updated: ${RUNS} hostile messages, the consumer keeps applying NAV updates`, async () => {
    const navBody = natsBody({ portfolio_id: fc.constantFrom(...navs, 'nope'), value: field(money), at: isoTime }, [validNav.map((v) => ({ ...v, portfolio_id: navs[1] })), ['portfolio_id', 'value', 'at']]);
    await fc.assert(
      fc.asyncProperty(navBody, async (payload) => {
        const ack = await js.publish('risk.nav.updated', payload);
        navSeqs.push(ack.seq);
        count('NATS risk.nav.updated', 'published');
      }),
      { numRuns: RUNS },
    );
    // After every hostile message, a good one is still applied.
    const at = new Date(Date.UTC(2200, 0, 1)).toISOString();
    navSeqs.push((await js.publish('risk.nav.updated', json.encode({ portfolio_id: navs[0], value: '4242.42', at }))).seq);
    let state: any;
    for (let i = 0; i < 600 && state?.current_at !== at; i++) {
      await new Promise((r) => setTimeout(r, 100));
      state = (await inject({ method: 'GET', url: `/v1/portfolios/${navs[0]}/drawdown` })).json();
    }
    expect(state).toMatchObject({ current_at: at, current_value: '4242.42' });
  }, 600_000);
});
