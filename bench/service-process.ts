import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

/** The repository root (the folder holding package.json), from this file's place in the sources or in dist/. */
export const ROOT = (() => {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'scripts', 'ensure-build.js'))) return dir;
    if (dirname(dir) === dir) throw new Error('repository root not found');
  }
})();

/** Compiles dist/ when it is older than the sources (scripts/ensure-build.js, as npm start does). */
export function ensureBuilt(): void {
  execFileSync(process.execPath, ['scripts/ensure-build.js'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NODE_OPTIONS: '' }, timeout: 180_000 });
}

/** `npm start`'s command without npm (its node flags included): what the service runs as. */
export function startCommand(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const words = pkg.scripts.start.split(/\s+/);
  if (words[0] !== 'node') throw new Error(`npm start is not a node command: ${pkg.scripts.start}`);
  return words.slice(1);
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

export interface ServiceProcessOptions {
  /** What to run, from the repository root: npm start's node command (`node … dist/src/main.js`) unless told. */
  command?: string;
  args?: string[];
  /** Added to the environment of this process (NODE_OPTIONS is cleared). */
  env?: Record<string, string | undefined>;
  /** Answers 200 when the process is ready (default /health/ready). */
  readyPath?: string;
  /** Keep the JSON log lines of stdout (else stdout is discarded). */
  captureLogs?: boolean;
}

/**
 * The built service (npm start's `node … dist/src/main.js`, or any command) as a child process on a free
 * loopback port, as production runs it: started, waited for, measured (RSS), stopped.
 */
export class ServiceProcess {
  readonly lines: LogLine[] = [];
  readonly url: string;
  /** ms from spawn to the first 200 on readyPath. */
  readyMs = NaN;
  private readonly proc: ChildProcess;
  private readonly exited: Promise<void>;
  private readonly spawnedAt = performance.now();
  private waiters: Array<() => void> = [];

  private constructor(readonly name: string, readonly port: number, private readonly opts: ServiceProcessOptions) {
    this.url = `http://127.0.0.1:${port}`;
    const env: Record<string, string | undefined> = { ...process.env, NODE_OPTIONS: '', HOST: '127.0.0.1', PORT: String(port), ...opts.env };
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
    this.proc = spawn(opts.command ?? process.execPath, opts.args ?? startCommand(), {
      cwd: ROOT,
      env: env as NodeJS.ProcessEnv,
      stdio: ['ignore', opts.captureLogs ? 'pipe' : 'ignore', 'pipe'],
      detached: true, // its own process group: stop() reaches `npm start`'s node child too
    });
    this.exited = once(this.proc, 'exit').then(() => undefined);
    if (opts.captureLogs) {
      createInterface({ input: this.proc.stdout! }).on('line', (text) => {
        if (!text.startsWith('{')) return;
        try {
          this.lines.push(JSON.parse(text) as LogLine);
        } catch {
          return;
        }
        for (const w of this.waiters.splice(0)) w();
      });
    }
    this.proc.stderr!.on('data', (d: Buffer) => process.stderr.write(`[${name}] ${d.toString()}`));
  }

  static async start(name: string, opts: ServiceProcessOptions = {}): Promise<ServiceProcess> {
    const s = new ServiceProcess(name, await freePort(), opts);
    try {
      await s.ready();
    } catch (err) {
      await s.stop();
      throw err;
    }
    return s;
  }

  get pid(): number {
    return this.proc.pid!;
  }

  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Resolves when readyPath answers 200 (rejects after `ms` or when the process exits). */
  async ready(ms = 120_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} exited with ${this.proc.exitCode ?? this.proc.signalCode}`);
      const ok = await fetch(`${this.url}${this.opts.readyPath ?? '/health/ready'}`).then((r) => r.ok, () => false);
      if (ok) {
        if (Number.isNaN(this.readyMs)) this.readyMs = performance.now() - this.spawnedAt;
        return;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`${this.name} not ready within ${ms} ms`);
  }

  /** Resident set size of the process (Linux /proc VmRSS), bytes. */
  rssBytes(): number {
    return this.status('VmRSS');
  }

  /** The highest resident set size of the process so far (VmHWM), bytes. */
  peakRssBytes(): number {
    return this.status('VmHWM');
  }

  private status(field: string): number {
    const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
    if (!kb) throw new Error(`no ${field} for ${this.name}`);
    return Number(kb[1]) * 1024;
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

  /** Sends `signal` to the process group and waits for the process to end. */
  async kill(signal: NodeJS.Signals): Promise<void> {
    if (this.running) process.kill(-this.pid, signal);
    await this.exited;
  }

  /** SIGTERM, then SIGKILL when it has not ended within `ms`. */
  async stop(ms = 10_000): Promise<void> {
    if (!this.running) return;
    process.kill(-this.pid, 'SIGTERM');
    const t = setTimeout(() => this.running && process.kill(-this.pid, 'SIGKILL'), ms);
    await this.exited;
    clearTimeout(t);
  }
}
