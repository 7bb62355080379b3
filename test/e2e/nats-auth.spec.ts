import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { connect, ConnectionOptions, JSONCodec, NatsConnection } from 'nats';
import request from 'supertest';
import { NatsConnectionService } from '../../src/events/nats-connection.service';
import { api, businessDays } from '../support/api';
import { startHttpApp } from '../support/http-app';
import { PrivateNatsServer } from '../support/nats-server';

const json = JSONCodec();
const CONFIG = resolve(__dirname, '../../deploy/nats/nats-server.conf');
const PASSWORDS = {
  RISK_SERVICE_NATS_PASSWORD: `svc-${randomUUID()}`,
  VIEWER_NATS_PASSWORD: `v-${randomUUID()}`,
  ANALYST_NATS_PASSWORD: `a-${randomUUID()}`,
  RISK_MANAGER_NATS_PASSWORD: `r-${randomUUID()}`,
  ADMIN_NATS_PASSWORD: `x-${randomUUID()}`,
};
const RETURNS = [0.012, -0.023, 0.004, -0.011, 0.007, 0.003, -0.018, 0.009, 0.001, -0.006, 0.014, -0.002, 0.005, -0.009, 0.011, -0.004, 0.002, -0.015, 0.008, 0.006];

/**
 * api.md Hardening, NATS: the service authenticates to the broker, and the example server config in
 * deploy/nats gives each role the subjects its REST role allows. A private nats-server runs that
 * config on a free loopback port.
 */
describe('NATS broker authentication and role permissions (deploy/nats/nats-server.conf)', () => {
  const server = new PrivateNatsServer();
  let natsUrl: string;
  let app: NestFastifyApplication;
  let url: string;
  const clients: NatsConnection[] = [];
  const as = async (user: 'viewer' | 'analyst' | 'risk_manager', extra: Partial<ConnectionOptions> = {}) => {
    const pass = { viewer: PASSWORDS.VIEWER_NATS_PASSWORD, analyst: PASSWORDS.ANALYST_NATS_PASSWORD, risk_manager: PASSWORDS.RISK_MANAGER_NATS_PASSWORD }[user];
    const nc = await connect({ servers: natsUrl, user, pass, inboxPrefix: `_INBOX_${user}`, ...extra });
    clients.push(nc);
    return nc;
  };
  /** The next permission error the connection reports. */
  const nextPermissionError = async (nc: NatsConnection) => {
    for await (const s of nc.status()) {
      if (s.type === 'error' && String(s.data) === 'PERMISSIONS_VIOLATION') return s;
    }
    return undefined;
  };

  beforeAll(async () => {
    natsUrl = await server.start(['-c', CONFIG], PASSWORDS);
    ({ app, url } = await startHttpApp({
      NATS_URL: natsUrl,
      NATS_USER: 'risk-service',
      NATS_PASS: PASSWORDS.RISK_SERVICE_NATS_PASSWORD,
    }));
  });
  afterAll(async () => {
    for (const nc of clients) await nc.close();
    await app?.close();
    await server.stop();
  });

  it('connects the service with its own user: JetStream stream ready, health ready', async () => {
    await app.get(NatsConnectionService).jetstream();
    const ready = await request(url).get('/health/ready');
    expect(ready.status).toBe(200);
    expect(JSON.stringify(ready.body)).toMatch(/nats/i);
  });

  it('answers an analyst’s risk.var.calculate', async () => {
    const nc = await as('analyst');
    const msg = await nc.request('risk.var.calculate', json.encode({ returns: RETURNS, confidence: 95, portfolio_value: '1000000' }), { timeout: 5000 });
    const body = json.decode(msg.data) as { var: string; confidence_level: number };
    expect(body.confidence_level).toBe(95);
    expect(body.var).toMatch(/^-\d+\.\d{2}$/);
  });

  it('answers an analyst’s risk.pretrade.check (its raw responder connects with the service’s credentials), refused to a viewer at the broker', async () => {
    const analyst = await as('analyst');
    const msg = await analyst.request('risk.pretrade.check', json.encode({ portfolio_id: `none-${randomUUID().slice(0, 8)}`, trades: [{ asset_id: 'X', market_value_change: '1' }] }), { timeout: 5000 });
    expect(json.decode(msg.data)).toMatchObject({ error: { status_code: 404, error_type: 'NOT_FOUND' } });
    const viewer = await as('viewer');
    await expect(viewer.request('risk.pretrade.check', json.encode({}), { timeout: 2000 })).rejects.toMatchObject({ code: 'PERMISSIONS_VIOLATION' });
  });

  it('refuses a viewer’s request to risk.portfolio.var at the broker (permission violation)', async () => {
    const nc = await as('viewer');
    await expect(nc.request('risk.portfolio.var', json.encode({ portfolio_id: 'x' }), { timeout: 2000 })).rejects.toMatchObject({
      code: 'PERMISSIONS_VIOLATION',
      permissionContext: { operation: 'publish', subject: 'risk.portfolio.var' },
    });
  });

  it.each(['viewer', 'analyst'] as const)('refuses a %s’s publish to risk.nav.updated at the broker', async (user) => {
    const nc = await as(user);
    const violation = nextPermissionError(nc);
    nc.publish('risk.nav.updated', json.encode({ portfolio_id: 'x', value: '1' }));
    await nc.flush();
    await expect(violation).resolves.toMatchObject({ type: 'error' });
  });

  it('refuses a viewer’s subscription to a request subject (requests stay private to the service)', async () => {
    const nc = await as('viewer');
    const violation = nextPermissionError(nc);
    nc.subscribe('risk.var.calculate');
    await nc.flush();
    await expect(violation).resolves.toMatchObject({ type: 'error' });
  });

  it('gives the service every permission it uses (the broker logs no violation by risk-service)', async () => {
    const nc = await as('analyst');
    await nc.request('risk.var.calculate', json.encode({ returns: RETURNS, confidence: 95 }), { timeout: 5000 });
    await nc.request('risk.var.calculate', json.encode({ returns: [1] }), { timeout: 5000 }); // an error reply too
    await app.get(NatsConnectionService).jetstream();
    await nc.flush();
    expect(server.log).not.toMatch(/Violation - User "risk-service"/);
    expect(server.log).toMatch(/Server is ready/);
  });

  it('refuses a wrong password', async () => {
    await expect(connect({ servers: natsUrl, user: 'analyst', pass: 'wrong' })).rejects.toMatchObject({ code: 'AUTHORIZATION_VIOLATION' });
  });

  it('applies a risk manager’s NAV update (the service consumes JetStream with its permissions)', async () => {
    const admin = api(url);
    const pid = `na-${randomUUID().slice(0, 8)}`;
    expect((await admin.post('/v1/portfolios', { id: pid, name: 'nats auth' })).status).toBe(201);
    const nc = await as('risk_manager');
    nc.publish('risk.nav.updated', json.encode({ portfolio_id: pid, value: '1012345.67', at: '2026-11-25T16:30:00Z' }));
    await nc.flush();
    let drawdown: { status: number; body: { current_value?: string } } = { status: 0, body: {} };
    for (let i = 0; i < 100 && drawdown.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      drawdown = await admin.get(`/v1/portfolios/${pid}/drawdown`);
    }
    expect(drawdown.status).toBe(200);
    expect(drawdown.body.current_value).toBe('1012345.67');
  });

  it('answers an analyst’s risk.portfolio.var and delivers the risk.var.calculated event to a viewer', async () => {
    const admin = api(url);
    const pid = `nv-${randomUUID().slice(0, 8)}`;
    const asset = `${pid}-A`;
    const dates = businessDays(RETURNS.length * 3);
    expect((await admin.put(`/v1/assets/${asset}/returns`, dates.map((d, i) => ({ date: d, return_pct: RETURNS[i % RETURNS.length] })))).status).toBe(200);
    expect((await admin.post('/v1/portfolios', { id: pid, name: 'nats var' })).status).toBe(201);
    expect((await admin.put(`/v1/portfolios/${pid}/positions`, [{ asset_id: asset, market_value: '1000' }])).status).toBe(200);
    const viewer = await as('viewer');
    const events = viewer.subscribe('risk.var.calculated');
    await viewer.flush();
    const analyst = await as('analyst');
    const msg = await analyst.request('risk.portfolio.var', json.encode({ portfolio_id: pid, confidence: 95 }), { timeout: 5000 });
    const result = json.decode(msg.data) as { id: string; portfolio_id: string };
    expect(result.portfolio_id).toBe(pid);
    const deadline = setTimeout(() => events.unsubscribe(), 10_000);
    let seen: { data?: { result_id?: string } } | undefined;
    for await (const m of events) {
      const e = json.decode(m.data) as { portfolio_id: string; data: { result_id: string } };
      if (e.portfolio_id === pid) {
        seen = e;
        break;
      }
    }
    clearTimeout(deadline);
    expect(seen?.data?.result_id).toBe(result.id);
  });
});

describe('NATS token and TLS credentials', () => {
  const server = new PrivateNatsServer();
  const token = `tok-${randomUUID()}`;
  let natsUrl: string;
  let ca: string;

  beforeAll(async () => {
    // A throwaway CA and a server certificate for localhost.
    const dir = server.tempDir;
    const file = (n: string) => join(dir, n);
    const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
    ssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', file('ca-key.pem'), '-out', file('ca.pem'), '-days', '1', '-subj', '/CN=risk test CA');
    ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', file('server-key.pem'), '-out', file('server.csr'), '-subj', '/CN=localhost');
    writeFileSync(file('san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
    ssl('x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca-key.pem'), '-CAcreateserial', '-out', file('server.pem'), '-days', '1', '-extfile', file('san.ext'));
    ca = file('ca.pem');
    // By name: nats.js checks a TLS certificate against the host name of the URL (an IP URL is checked as "localhost").
    natsUrl = (await server.start(['--tls', '--tlscert', file('server.pem'), '--tlskey', file('server-key.pem'), '--auth', token])).replace('127.0.0.1', 'localhost');
  });
  afterAll(async () => {
    await server.stop();
  });

  it('connects both the events connection and the request handlers with NATS_TOKEN over TLS (NATS_TLS_CA)', async () => {
    const { app } = await startHttpApp({ NATS_URL: natsUrl, NATS_TOKEN: token, NATS_TLS_CA: ca });
    try {
      await app.get(NatsConnectionService).jetstream();
      const client = await connect({ servers: natsUrl, token, tls: { caFile: ca } });
      const msg = await client.request('risk.var.calculate', json.encode({ returns: RETURNS, confidence: 95 }), { timeout: 5000 });
      expect((json.decode(msg.data) as { confidence_level: number }).confidence_level).toBe(95);
      await client.close();
    } finally {
      await app.close();
    }
  });

  it('fails to connect without the CA (the certificate is not trusted)', async () => {
    await expect(connect({ servers: natsUrl, token, tls: {}, timeout: 2000, reconnect: false })).rejects.toThrow(/certificate/i);
  });
});
