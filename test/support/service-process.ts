import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = resolve(__dirname, '../..');

/** Compiles dist/ when it is older than the sources (scripts/ensure-build.js, as npm start does). */
export function ensureBuilt(): void {
  execFileSync(process.execPath, ['scripts/ensure-build.js'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NODE_OPTIONS: '' }, timeout: 180_000 });
}

/** A free loopback port (the OS picks it; released before the service binds it). */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** One pino log line of a service process, parsed. */
export type LogLine = { time: number; level: number; msg: string; [k: string]: unknown };

/**
 * The built service (`node dist/src/main.js`) as a child process, as production runs it, on the
 * environment of the test run plus `env`. Keeps its JSON log lines for the test to read.
 */
export class ServiceProcess {
  readonly lines: LogLine[] = [];
  readonly url: string;
  private readonly proc: ChildProcess;
  private readonly exited: Promise<void>;
  private waiters: Array<() => void> = [];

  private constructor(readonly name: string, port: number, env: Record<string, string>) {
    this.url = `http://127.0.0.1:${port}`;
    this.proc = spawn(process.execPath, ['dist/src/main.js'], {
      cwd: ROOT,
      // NODE_OPTIONS of the test runner (--experimental-vm-modules) are not the service's.
      env: { ...process.env, NODE_OPTIONS: '', HOST: '127.0.0.1', PORT: String(port), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = once(this.proc, 'exit').then(() => undefined);
    createInterface({ input: this.proc.stdout! }).on('line', (text) => {
      if (!text.startsWith('{')) return;
      try {
        this.lines.push(JSON.parse(text) as LogLine);
      } catch {
        return;
      }
      for (const w of this.waiters.splice(0)) w();
    });
    this.proc.stderr!.on('data', (d: Buffer) => process.stderr.write(`[${name}] ${d.toString()}`));
  }

  static async start(name: string, env: Record<string, string> = {}): Promise<ServiceProcess> {
    const s = new ServiceProcess(name, await freePort(), env);
    await s.ready();
    return s;
  }

  get pid(): number {
    return this.proc.pid!;
  }

  /** Resolves when /health/ready answers 200 (rejects after `ms` or when the process exits). */
  async ready(ms = 60_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (this.proc.exitCode !== null) throw new Error(`${this.name} exited with ${this.proc.exitCode}`);
      const ok = await fetch(`${this.url}/health/ready`).then((r) => r.ok, () => false);
      if (ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${this.name} not ready within ${ms} ms`);
  }

  /** The first log line (already seen or to come) matching `match`; rejects after `ms`. */
  async waitForLine(match: (l: LogLine) => boolean, ms = 30_000): Promise<LogLine> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.lines.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`${this.name}: no matching log line within ${ms} ms`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, 200);
        this.waiters.push(() => (clearTimeout(t), r()));
      });
    }
  }

  /** Sends `signal` and waits for the process to end. */
  async kill(signal: NodeJS.Signals): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill(signal);
    await this.exited;
  }

  /** SIGTERM, then SIGKILL when it has not ended within `ms`. */
  async stop(ms = 10_000): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    this.proc.kill('SIGTERM');
    const t = setTimeout(() => this.proc.kill('SIGKILL'), ms);
    await this.exited;
    clearTimeout(t);
  }
}
