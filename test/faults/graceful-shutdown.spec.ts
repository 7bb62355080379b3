import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import http from 'node:http';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

/**
 * One HTTP request on `agent`; resolves with the status, the Connection header and the body.
 * `sent` resolves once the whole request is handed to the socket.
 */
function call(port: number, agent: http.Agent, method: string, path: string, body?: unknown, sent?: () => void): Promise<{ status: number; connection?: string; body: string }> {
  return new Promise((resolvePromise, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      { host: '127.0.0.1', port, method, path, agent, headers: { 'x-api-key': process.env.ADMIN_API_KEY!, ...(data ? { 'content-type': 'application/json' } : {}) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolvePromise({ status: res.statusCode!, connection: res.headers.connection, body: text }));
      },
    );
    req.on('error', reject);
    req.on('finish', () => sent?.());
    req.end(data);
  });
}

describe('SIGTERM with requests in flight (the built service as a child process)', () => {
  let child: ChildProcess;
  const port = 31000 + Math.floor(Math.random() * 1000);

  beforeAll(async () => {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'ignore' });
    child = spawn(process.execPath, ['dist/src/main.js'], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', NODE_OPTIONS: '' },
      stdio: ['ignore', 'ignore', 'pipe'], // (a pipe nobody reads would fill up and block the service)
    });
    child.stderr!.resume();
    const agent = new http.Agent();
    for (const end = Date.now() + 30_000; ; ) {
      const up = await call(port, agent, 'GET', '/health/live').then((r) => r.status === 200, () => false);
      if (up) break;
      if (Date.now() > end || child.exitCode !== null) throw new Error('the service did not start');
      await new Promise((r) => setTimeout(r, 200));
    }
    agent.destroy();
  }, 120_000);
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('answers all 50 requests, closes idle keep-alive connections at once, and exits 0 within 10 s', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 60 });
    // An idle keep-alive connection: it must not hold the process.
    expect((await call(port, agent, 'GET', '/health/live')).status).toBe(200);
    const returns = Array.from({ length: 250 }, (_, i) => 0.01 * Math.sin(i + 1));
    const sent: Array<Promise<void>> = [];
    const inFlight = Array.from({ length: 50 }, (_, i) => {
      let done!: () => void;
      sent.push(new Promise<void>((r) => (done = r)));
      return call(port, agent, 'POST', '/v1/var', { returns, method: 'monte_carlo', simulations: 50_000, horizon_days: 20, seed: i, confidence: 99 }, done);
    });
    await Promise.all(sent);
    await new Promise((r) => setTimeout(r, 100)); // the service has read them (its event loop is free)
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>((r) => {
      const t0 = performance.now();
      child.once('exit', (code, signal) => r({ code, signal, ms: performance.now() - t0 }));
    });
    child.kill('SIGTERM');
    const answers = await Promise.allSettled(inFlight);
    const { code, signal, ms } = await exited;
    agent.destroy();
    const ok = answers.filter((a) => a.status === 'fulfilled' && a.value.status === 200).length;
    console.log(`SIGTERM with 50 in flight: ${ok} answered 200, exit ${code ?? signal} after ${Math.round(ms)} ms`);
    expect(answers.map((a) => (a.status === 'fulfilled' ? a.value.status : String(a.reason)))).toEqual(new Array(50).fill(200));
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(ms).toBeLessThan(10_000);
  }, 60_000);
});
