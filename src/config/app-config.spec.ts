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
});
