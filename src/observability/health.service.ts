import { Injectable } from '@nestjs/common';
import { DependencyUnavailableError } from '../common/errors';

/** A dependency the readiness probe asks; modules register theirs (database, NATS, Redis). */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

@Injectable()
export class HealthService {
  private readonly startedAt = Date.now();
  private readonly checks: ReadinessCheck[] = [];

  register(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  live() {
    return { status: 'ok', uptime_seconds: Math.round((Date.now() - this.startedAt) / 1000) };
  }

  /** Every registered check, each bounded to 2 s: name → up | down. */
  async checkAll(): Promise<Record<string, 'up' | 'down'>> {
    const results = await Promise.all(
      this.checks.map(async (c) => {
        try {
          await withTimeout(c.check(), 2000);
          return [c.name, 'up'] as const;
        } catch {
          return [c.name, 'down'] as const;
        }
      }),
    );
    return Object.fromEntries(results);
  }

  async ready() {
    const checks = await this.checkAll();
    const down = Object.keys(checks).filter((n) => checks[n] === 'down');
    if (down.length > 0) throw new DependencyUnavailableError(down.map((n) => `${n} is unavailable`));
    return { status: 'ok', checks };
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timeout')), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    );
  });
}
