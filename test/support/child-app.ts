import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

export interface ChildApp {
  url: string;
  proc: ChildProcess;
  /** Everything the process wrote, line by line (stdout and stderr). */
  lines: string[];
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });
}

/**
 * `src/main.ts` in a child process, exactly as `npm start` runs it (main.ts loads tracing first),
 * from the TypeScript sources (test/support/ts-register.js). Used where the in-process app cannot
 * show the behaviour: OpenTelemetry's module hooks, stdout log lines, start-up failures.
 */
export function spawnApp(env: Record<string, string | undefined>): Omit<ChildApp, 'url'> {
  const merged: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '', LOG_LEVEL: 'info', ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete merged[k];
  const proc = spawn(process.execPath, ['-r', resolve(ROOT, 'test/support/ts-register.js'), resolve(ROOT, 'src/main.ts')], { cwd: ROOT, env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  for (const stream of [proc.stdout!, proc.stderr!]) {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop()!;
      lines.push(...parts.filter((l) => l.length > 0));
    });
    stream.on('end', () => rest && lines.push(rest));
  }
  const exited = new Promise<number | null>((ok) => proc.once('exit', (code) => ok(code)));
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 12_000);
    await exited;
    clearTimeout(timer);
  };
  return { proc, lines, exited, stop };
}

/** Starts the app on a free loopback port and waits until /health/live answers (60 s at most). */
export async function startChildApp(env: Record<string, string | undefined> = {}): Promise<ChildApp> {
  const port = await freePort();
  const child = spawnApp({ HOST: '127.0.0.1', PORT: String(port), ...env });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.proc.exitCode !== null) throw new Error(`the app exited with ${child.proc.exitCode}:\n${child.lines.slice(-20).join('\n')}`);
    try {
      if ((await fetch(`${url}/health/live`)).ok) return { ...child, url };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await child.stop();
      throw new Error(`the app did not answer /health/live within 60 s:\n${child.lines.slice(-20).join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
