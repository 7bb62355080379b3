import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { api, businessDays } from '../support/api';
import { startHttpApp } from '../support/http-app';

const RETURNS = Array.from({ length: 300 }, (_, i) => Math.sin(i * 1.7) * 0.02);

/** A portfolio whose VaR breaches a tiny limit and whose NAV falls past its drawdown limit. */
async function breachEverything(url: string): Promise<string> {
  const a = api(url);
  const pid = `ml-${randomUUID().slice(0, 8)}`;
  const asset = `${pid}-A`;
  const dates = businessDays(RETURNS.length);
  expect((await a.put(`/v1/assets/${asset}/returns`, RETURNS.map((r, i) => ({ date: dates[i], return_pct: r })))).status).toBe(200);
  expect((await a.post('/v1/portfolios', { id: pid, name: 'metrics labels' })).status).toBe(201);
  expect((await a.put(`/v1/portfolios/${pid}/positions`, [{ asset_id: asset, market_value: '1000' }])).status).toBe(200);
  expect((await a.put(`/v1/portfolios/${pid}/limits`, { max_var_percent: 0.1, max_drawdown_percent: 1 })).status).toBe(200);
  expect((await a.post(`/v1/portfolios/${pid}/var`, { confidence: 99 })).body.limit.status).toBe('critical');
  // After the limit version takes force (now).
  const later = (s: number) => new Date(Date.now() + s * 1000).toISOString();
  expect((await a.post(`/v1/portfolios/${pid}/nav`, { value: '1000', at: later(1) })).status).toBe(200);
  expect((await a.post(`/v1/portfolios/${pid}/nav`, { value: '900', at: later(2) })).body.status).toBe('critical');
  return pid;
}

describe('METRICS_PORTFOLIO_LABELS', () => {
  it('false: /metrics carries no portfolio id, and the counters still count', async () => {
    const { app, url } = await startHttpApp({ METRICS_PORTFOLIO_LABELS: 'false', NATS_URL: '' });
    try {
      const pid = await breachEverything(url);
      const text = (await request(url).get('/metrics')).text;
      expect(text).not.toContain('portfolio_id');
      expect(text).not.toContain(pid);
      expect(text).toMatch(/^risk_limit_breaches_total\{breach_type="VAR",severity="critical"\} [1-9]/m);
      expect(text).toMatch(/^risk_drawdown_alerts_total\{severity="critical"\} [1-9]/m);
      expect(text).not.toMatch(/^portfolio_var_current\{/m);
    } finally {
      await app.close();
    }
  });

  it('true (the default): the portfolio metrics carry portfolio_id', async () => {
    const { app, url } = await startHttpApp({ METRICS_PORTFOLIO_LABELS: undefined, NATS_URL: '' });
    try {
      const pid = await breachEverything(url);
      const text = (await request(url).get('/metrics')).text;
      expect(text).toContain(`risk_limit_breaches_total{portfolio_id="${pid}",breach_type="VAR",severity="critical"} 1`);
      expect(text).toContain(`risk_drawdown_alerts_total{portfolio_id="${pid}",severity="critical"} 1`);
      expect(text).toMatch(new RegExp(`^portfolio_var_current\\{portfolio_id="${pid}",confidence_level="99",horizon_days="1"\\} -`, 'm'));
    } finally {
      await app.close();
    }
  });
});
