import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { connect, JSONCodec, NatsConnection } from 'nats';
import request from 'supertest';
import { businessDays } from '../support/api';
import { startHttpApp } from '../support/http-app';
import { expectRel, loadQuantReference, loadReference, simpleReturns } from '../support/reference';

const ref = loadReference();
const quant = loadQuantReference();
const SMI_PRICES = ref.series.SMI.prices;
const SMI = simpleReturns(SMI_PRICES);
const CAC = simpleReturns(ref.series.CAC.prices);
const json = JSONCodec();

describe('analyst figures over HTTP and NATS (docs/api.md "Analyst conventions", "Beyond the original design")', () => {
  let app: NestFastifyApplication;
  let url: string;
  let nc: NatsConnection;
  beforeAll(async () => {
    ({ app, url } = await startHttpApp());
    nc = await connect({ servers: process.env.NATS_URL });
  });
  afterAll(async () => {
    await nc.close();
    await app.close();
  });
  const key = process.env.ADMIN_API_KEY!;
  const post = (path: string, body: unknown) => request(url).post(path).set('x-api-key', key).send(body as object);

  function expectError(res: request.Response, status: number, type: string, pattern: RegExp) {
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ status_code: status, error_type: type });
    expect(typeof res.body.correlation_id).toBe('string');
    expect(res.body.message.join(' | ')).toMatch(pattern);
  }

  describe('POST /v1/drawdown with top, underwater and dates', () => {
    it('answers numpy’s episodes and underwater series of the SMI closes, dated', async () => {
      const dates = businessDays(SMI_PRICES.length);
      const res = await post('/v1/drawdown', { values: SMI_PRICES, top: 10, underwater: true, dates });
      expect(res.status).toBe(200);
      const expected = quant.series.SMI.episodes_prices as Array<Record<string, any>>;
      expect(res.body.drawdowns).toHaveLength(10);
      res.body.drawdowns.forEach((e: Record<string, any>, i: number) => {
        const x = expected[i];
        expect(e).toMatchObject({ peak_index: x.peak_index, trough_index: x.trough_index, recovery_index: x.recovery_index, length: x.length, recovery_periods: x.recovery_periods });
        expectRel(e.depth, x.depth);
        expect(e.peak_date).toBe(dates[x.peak_index]);
        expect(e.trough_date).toBe(dates[x.trough_index]);
        expect(e.recovery_date).toBe(x.recovery_index === null ? null : dates[x.recovery_index]);
      });
      expect(res.body).toMatchObject({ peak_date: dates[res.body.peak_index], trough_date: dates[res.body.trough_index], recovery_date: dates[res.body.recovery_index] });
      expect(res.body.underwater).toHaveLength(SMI_PRICES.length);
      (quant.series.SMI.underwater_prices as number[]).forEach((d, t) => (d === 0 ? expect(res.body.underwater[t]).toBe(0) : expectRel(res.body.underwater[t], d)));
    });

    it('answers numpy’s episodes of the CAC returns (curve V_0 = 1), with an unrecovered one as null', async () => {
      const res = await post('/v1/drawdown', { returns: CAC, top: 20 });
      expect(res.status).toBe(200);
      const expected = quant.series.CAC.episodes_returns as Array<Record<string, any>>;
      expected.forEach((x, i) => {
        expect(res.body.drawdowns[i]).toMatchObject({ peak_index: x.peak_index, trough_index: x.trough_index, recovery_index: x.recovery_index, recovery_periods: x.recovery_periods });
        expectRel(res.body.drawdowns[i].depth, x.depth);
      });
      expect(res.body).not.toHaveProperty('underwater');
      expect(res.body).not.toHaveProperty('peak_date');
    });

    it('keeps the plain answer without the new fields', async () => {
      const res = await post('/v1/drawdown', { values: [100, 90, 95] });
      expect(Object.keys(res.body).sort()).toEqual(
        ['count', 'current_drawdown', 'current_drawdown_periods', 'longest_drawdown_periods', 'max_drawdown', 'peak_index', 'recovery_index', 'trough_index', 'ulcer_index'].sort(),
      );
    });

    it('refuses dates that are not one per curve point, naming the field and the count', async () => {
      expectError(await post('/v1/drawdown', { returns: [0.01, -0.02], dates: ['2024-01-02', '2024-01-03'] }), 400, 'INVALID_INPUT', /dates must have one date per curve point \(3, returns.length \+ 1/);
    });

    it.each([
      [{ values: [1, 2], top: 21 }, /top must not be greater than 20/],
      [{ values: [1, 2], top: 0 }, /top must not be less than 1/],
      [{ values: [1, 2], underwater: 'yes' }, /underwater must be true or false/],
      [{ values: [1, 2], dates: ['2024-01-02', '2024-02-30'] }, /dates\[1\] must be a YYYY-MM-DD calendar date/],
    ])('refuses %p, naming the field', async (body, pattern) => {
      expectError(await post('/v1/drawdown', body), 400, 'INVALID_INPUT', pattern);
    });
  });

  describe('POST /v1/backtest exception detail', () => {
    it('names numpy’s exceptions of the SMI rolling 99 % backtest by index and date', async () => {
      const dates = businessDays(SMI.length);
      const res = await post('/v1/backtest', { returns: SMI, confidence: 99, window: 250, dates });
      expect(res.status).toBe(200);
      expect(res.body.exception_indices).toEqual(quant.series.SMI.backtest.exception_indices);
      expect(res.body.exception_dates).toEqual(res.body.exception_indices.map((i: number) => dates[i]));
      expect(res.body.exceptions).toBe(res.body.exception_indices.length);
    });

    it('answers exception indices without dates, and no exception_dates', async () => {
      const res = await post('/v1/backtest', { returns: [0.01, -0.05, 0.02], var_forecasts: [-0.02, -0.02, -0.02], confidence: 95 });
      expect(res.body.exception_indices).toEqual([1]);
      expect(res.body).not.toHaveProperty('exception_dates');
    });

    it('refuses dates that are not one per return', async () => {
      expectError(await post('/v1/backtest', { returns: SMI, dates: ['2024-01-02'] }), 400, 'INVALID_INPUT', /dates must have one date per return \(1859\), got 1/);
    });
  });

  describe('POST /v1/performance', () => {
    it.each(['SMI', 'CAC'] as const)('answers numpy’s statistics of %s with a 2 %% risk-free rate', async (name) => {
      const e = (quant.series[name].performance as Array<Record<string, any>>).find((p) => p.risk_free_rate === 0.02)!;
      const res = await post('/v1/performance', { returns: name === 'SMI' ? SMI : CAC, periods_per_year: 252, risk_free_rate: 0.02 });
      expect(res.status).toBe(200);
      expect(res.body.count).toBe(e.count);
      for (const field of ['cumulative_return', 'annualized_return', 'annualized_volatility', 'sharpe', 'sortino', 'calmar', 'max_drawdown', 'best_period', 'worst_period', 'win_rate']) {
        expectRel(res.body[field], e[field]);
      }
    });

    it('answers the undefined ratios as null, present in the body', async () => {
      const res = await post('/v1/performance', { returns: [0, 0, 0] });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ sharpe: null, sortino: null, calmar: null, win_rate: null, max_drawdown: 0, periods_per_year: 252, risk_free_rate: 0 });
    });

    it('refuses a single return (422) and bad options (400), naming the field', async () => {
      expectError(await post('/v1/performance', { returns: [0.01] }), 422, 'INSUFFICIENT_DATA', /need at least 2/);
      expectError(await post('/v1/performance', { returns: [0.01, 0.02], periods_per_year: 0 }), 400, 'INVALID_INPUT', /periods_per_year must not be less than 1/);
      expectError(await post('/v1/performance', { returns: [0.01, 0.02], risk_free_rate: -1 }), 400, 'INVALID_INPUT', /^risk_free_rate must be a finite number greater than -1/);
      expectError(await post('/v1/performance', { returns: [0.01, 0.02], risk_free_rate: 'x' }), 400, 'INVALID_INPUT', /risk_free_rate must be a number/);
    });
  });

  describe('methods ewma and filtered_historical on /v1/var and /v1/cvar', () => {
    const ewma = (quant.series.SMI.volatility as Array<Record<string, number>>).find((e) => e.lam === 0.94 && e.confidence === 99)!;

    it('answers numpy’s EWMA VaR and CVaR with the volatility forecast, in money too', async () => {
      const res = await post('/v1/cvar', { returns: SMI, confidence: 99, method: 'ewma', portfolio_value: '1000000' });
      expect(res.status).toBe(200);
      expectRel(res.body.var_return, ewma.ewma_var);
      expectRel(res.body.cvar_return, ewma.ewma_cvar);
      expect(res.body.volatility.lambda).toBe(0.94);
      expectRel(res.body.volatility.sigma_forecast, ewma.sigma_forecast);
      expect(res.body.var).toBe((Math.round(ewma.ewma_var * 1e8) / 100).toFixed(2));
      expect(res.body).toMatchObject({ method: 'ewma', scaling: 'none' });
    });

    it('answers numpy’s filtered historical VaR with λ = 0.97, scaled by √h over 10 days', async () => {
      const e = (quant.series.SMI.volatility as Array<Record<string, number>>).find((x) => x.lam === 0.97 && x.confidence === 95)!;
      const res = await post('/v1/var', { returns: SMI, confidence: 95, method: 'filtered_historical', lambda: 0.97, horizon_days: 10 });
      expect(res.status).toBe(200);
      expect(res.body.scaling).toBe('sqrt_time');
      expectRel(res.body.var_return, e.fhs_var * Math.sqrt(10));
      expect(res.body.volatility).toMatchObject({ lambda: 0.97 });
    });

    it('answers the same figure over NATS risk.var.calculate and risk.cvar.calculate', async () => {
      const body = { returns: SMI, confidence: 99, method: 'ewma', portfolio_value: '1000000' };
      const viaNats = json.decode((await nc.request('risk.cvar.calculate', json.encode(body), { timeout: 5000 })).data) as any;
      const viaHttp = (await post('/v1/cvar', body)).body;
      expect([viaNats.var_return, viaNats.cvar_return, viaNats.volatility]).toEqual([viaHttp.var_return, viaHttp.cvar_return, viaHttp.volatility]);
      const fhs = json.decode((await nc.request('risk.var.calculate', json.encode({ ...body, method: 'filtered_historical' }), { timeout: 5000 })).data) as any;
      expect(fhs.volatility.lambda).toBe(0.94);
      expect(fhs.var_return).toBeLessThan(0);
    });

    it('refuses lambda with another method, and out of range, naming it', async () => {
      expectError(await post('/v1/var', { returns: SMI, method: 'historical', lambda: 0.94 }), 400, 'INVALID_INPUT', /lambda applies to methods ewma and filtered_historical only/);
      expectError(await post('/v1/var', { returns: SMI, method: 'ewma', lambda: 1 }), 400, 'INVALID_INPUT', /^lambda must be a number greater than 0 and less than 1/);
      expectError(await post('/v1/var', { returns: SMI, method: 'ewma', lambda: '0.9' }), 400, 'INVALID_INPUT', /lambda must be a number/);
    });

    it('needs ⌈1/α⌉ returns for filtered_historical (422)', async () => {
      expectError(await post('/v1/var', { returns: SMI.slice(0, 50), confidence: 99, method: 'filtered_historical' }), 422, 'INSUFFICIENT_DATA', /need at least 100/);
    });

    it('is accepted by the stored-portfolio endpoints (an unknown portfolio is then 404, not a 400 on the method)', async () => {
      const res = await post('/v1/portfolios/none/var', { method: 'ewma' });
      expect(res.status).toBe(404);
      expect(res.body.error_type).toBe('NOT_FOUND');
    });
  });

  describe('POST /v1/var/rolling', () => {
    it('answers numpy’s rolling 99 % VaR of the SMI, each value equal to /v1/var on its window, dated by its last day', async () => {
      const dates = businessDays(SMI.length);
      const e = quant.series.SMI.rolling_var;
      const res = await post('/v1/var/rolling', { returns: SMI, confidence: 99, window: 250, dates });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ window: 250, confidence_level: 99, method: 'historical' });
      expect(res.body.var_returns).toHaveLength(SMI.length - 249);
      (e.var_returns as number[]).forEach((v, j) => expectRel(res.body.var_returns[j], v));
      expect(res.body.dates).toEqual(dates.slice(249));
      for (const j of [0, 777, SMI.length - 250]) {
        const single = await post('/v1/var', { returns: SMI.slice(j, j + 250), confidence: 99 });
        expect(res.body.var_returns[j]).toBe(single.body.var_return);
      }
    });

    it('defaults to a 250-return window at 95 % without dates', async () => {
      const res = await post('/v1/var/rolling', { returns: CAC.slice(0, 260) });
      expect(res.body).toMatchObject({ window: 250, confidence_level: 95 });
      expect(res.body.var_returns).toHaveLength(11);
      expect(res.body).not.toHaveProperty('dates');
    });

    it('refuses a window too short for the confidence or longer than the series (422)', async () => {
      expectError(await post('/v1/var/rolling', { returns: SMI, confidence: 99, window: 50 }), 422, 'INSUFFICIENT_DATA', /window 50 is too short for historical VaR at 99 %/);
      expectError(await post('/v1/var/rolling', { returns: SMI.slice(0, 30), window: 40 }), 422, 'INSUFFICIENT_DATA', /need at least 40/);
    });

    it.each([
      [{ returns: [0.01, 0.02], window: 1 }, /window must not be less than 2/],
      [{ returns: [0.01, 0.02], window: 2.5 }, /window must be an integer/],
      [{ returns: [0.01, 0.02], window: 2, dates: ['2024-01-02'] }, /dates must have one date per return \(2\), got 1/],
      [{ returns: [0.01, 0.02], confidence: 0.95 }, /confidence is a percentage/],
      [{ returns: [0.01, 'x'] }, /returns\[1\] must be a finite number/],
    ])('refuses %p, naming the field', async (body, pattern) => {
      expectError(await post('/v1/var/rolling', body), 400, 'INVALID_INPUT', pattern);
    });
  });
});
