import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const PROM = resolve(ROOT, 'deploy/prometheus');

/** Runs a tool (installed by .ci/run from Debian: prometheus → promtool, docker-compose v1). */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(cmd, args, { cwd: ROOT, env, encoding: 'utf8' });
  if (r.error) throw new Error(`${cmd} is not installed (apt-get install ${cmd === 'promtool' ? 'prometheus' : cmd}; .ci/run does it): ${r.error.message}`);
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('Prometheus configuration (promtool)', () => {
  it('check config accepts prometheus.yml and finds the rule files', () => {
    const r = run('promtool', ['check', 'config', resolve(PROM, 'prometheus.yml')]);
    expect(r.out).toMatch(/SUCCESS: 1 rule files found/);
    expect(r.code).toBe(0);
  });

  it('check rules accepts every rule file', () => {
    const files = readdirSync(resolve(PROM, 'rules')).map((f) => resolve(PROM, 'rules', f));
    const r = run('promtool', ['check', 'rules', ...files]);
    expect(r.out).not.toMatch(/FAILED/);
    expect(r.code).toBe(0);
  });

  it('test rules: every alert fires on its synthetic series and stays silent on a near miss', () => {
    const r = run('promtool', ['test', 'rules', resolve(PROM, 'tests/risk-service.test.yml')]);
    expect(r.out).toMatch(/SUCCESS/);
    expect(r.code).toBe(0);
  });
});

describe('docker-compose.yml (docker-compose v1 config)', () => {
  // An empty env file, so that a developer's own .env cannot make the checks pass.
  const emptyEnv = join(mkdtempSync(join(tmpdir(), 'compose-')), 'empty.env');
  writeFileSync(emptyEnv, '');
  const required = [...readFileSync(resolve(ROOT, 'docker-compose.yml'), 'utf8').matchAll(/\$\{(\w+):\?/g)].map((m) => m[1]);
  const withVars = (vars: Record<string, string>) => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
    return { ...env, ...vars };
  };
  const all = () => Object.fromEntries(required.map((v) => [v, `test-${v.toLowerCase()}-value`]));

  it('is valid when the required variables are set', () => {
    expect(required.length).toBeGreaterThan(0);
    const r = run('docker-compose', ['--env-file', emptyEnv, 'config', '-q'], withVars(all()));
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  });

  it.each(['ADMIN_API_KEY', 'POSTGRES_PASSWORD', 'GRAFANA_ADMIN_PASSWORD'])('refuses to run without %s, naming it', (name) => {
    expect(required).toContain(name);
    const vars = all();
    delete vars[name];
    const r = run('docker-compose', ['--env-file', emptyEnv, 'config', '-q'], withVars(vars));
    expect(r.code).not.toBe(0);
    expect(r.out).toContain(name);
  });

  it('gives every service a healthcheck, and the app waits for healthy dependencies', () => {
    const config = JSON.parse(
      execFileSync('python3', ['-c', 'import json,sys,yaml; print(json.dumps(yaml.safe_load(sys.stdin)))'], {
        input: run('docker-compose', ['--env-file', emptyEnv, 'config'], withVars(all())).out,
        encoding: 'utf8',
      }),
    ) as { services: Record<string, { healthcheck?: { test?: unknown }; depends_on?: Record<string, { condition: string }> }> };
    const unchecked = Object.entries(config.services).filter(([, s]) => !s.healthcheck?.test).map(([n]) => n);
    expect(unchecked).toEqual([]);
    expect(config.services.app.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
      nats: { condition: 'service_healthy' },
    });
  });

  it('documents every required variable in .env.example', () => {
    const example = readFileSync(resolve(ROOT, '.env.example'), 'utf8');
    expect(required.filter((v) => !new RegExp(`^#?\\s*${v}=`, 'm').test(example))).toEqual([]);
  });
});
