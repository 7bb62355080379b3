import { ConfigValidationError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('runs on embedded defaults when nothing is configured', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.dataDir).toBe('./data');
    expect(c.databaseUrl).toBeUndefined();
    expect(c.natsUrl).toBeUndefined();
    expect(c.limitThresholds).toEqual({ warning: 0.8, breach: 1, critical: 1.25 });
  });

  it('parses numbers and booleans from strings', () => {
    const c = loadConfig({ PORT: '8080', METRICS_REQUIRE_API_KEY: 'true', NATS_URL: 'nats://127.0.0.1:4222' });
    expect(c.port).toBe(8080);
    expect(c.metricsRequireApiKey).toBe(true);
    expect(c.natsUrl).toBe('nats://127.0.0.1:4222');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
  });

  it('fails fast naming the bad variable', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(ConfigValidationError);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
    expect(() => loadConfig({ METRICS_REQUIRE_API_KEY: 'maybe' })).toThrow(/METRICS_REQUIRE_API_KEY/);
  });

  it('rejects limit thresholds out of order', () => {
    expect(() => loadConfig({ LIMIT_WARNING_UTILIZATION: '1.1' })).toThrow(/LIMIT_WARNING_UTILIZATION/);
  });

  it('reads NATS credentials: user and password, token, creds file, TLS files', () => {
    expect(loadConfig({ NATS_USER: 'risk-service', NATS_PASS: 's3cret' }).natsCredentials).toEqual({ user: 'risk-service', pass: 's3cret' });
    expect(loadConfig({ NATS_TOKEN: 't0ken' }).natsCredentials).toEqual({ token: 't0ken' });
    expect(loadConfig({ NATS_CREDS: __filename }).natsCredentials).toEqual({ credsFile: __filename });
    expect(loadConfig({ NATS_TLS_CA: __filename, NATS_TLS_CERT: __filename, NATS_TLS_KEY: __filename }).natsCredentials).toEqual({
      tls: { caFile: __filename, certFile: __filename, keyFile: __filename },
    });
    expect(loadConfig({}).natsCredentials).toEqual({});
  });

  it('refuses NATS credentials that cannot work, naming the variables and never echoing a secret', () => {
    expect(() => loadConfig({ NATS_USER: 'risk-service' })).toThrow(/NATS_USER and NATS_PASS go together/);
    expect(() => loadConfig({ NATS_PASS: 'hunter2' })).toThrow(/NATS_USER and NATS_PASS/);
    expect(() => loadConfig({ NATS_USER: 'u', NATS_PASS: 'p', NATS_TOKEN: 'hunter2' })).toThrow(/one kind of NATS credentials, not NATS_USER\/NATS_PASS and NATS_TOKEN/);
    expect(() => loadConfig({ NATS_TLS_CERT: __filename })).toThrow(/NATS_TLS_CERT and NATS_TLS_KEY go together/);
    expect(() => loadConfig({ NATS_CREDS: '/no/such/file.creds' })).toThrow(/NATS_CREDS names a file that cannot be read/);
    expect(() => loadConfig({ NATS_TLS_CA: '/no/such/ca.pem' })).toThrow(/NATS_TLS_CA/);
    try {
      loadConfig({ NATS_USER: 'u', NATS_PASS: 'p', NATS_TOKEN: 'hunter2' });
    } catch (err) {
      expect((err as Error).message).not.toContain('hunter2');
    }
  });
});
