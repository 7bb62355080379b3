import { randomUUID } from 'node:crypto';
import { DynamicModule, Type } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { ClsModule } from 'nestjs-cls';
import { DataSource } from 'typeorm';
import { ConfigModule } from '../../src/config/config.module';
import { ObservabilityModule } from '../../src/observability/observability.module';
import { PersistenceModule } from '../../src/persistence/persistence.module';
import { PortfolioRepository, PositionRepository, ReturnsRepository, RiskLimitRepository } from '../../src/persistence/repositories';

/** A short unique suffix: every test writes its own portfolios and assets (no order dependence). */
export const uid = (): string => randomUUID().slice(0, 8);

/**
 * The feature modules under test with the real infrastructure (config, correlation context,
 * PostgreSQL, Redis, metrics), initialised. NATS is left out: the outbox relay then marks events delivered
 * without publishing, and the rows stay in outbox_events for the assertions.
 */
export async function startServices(...modules: Array<Type<unknown> | DynamicModule>): Promise<TestingModule> {
  const savedNats = process.env.NATS_URL;
  delete process.env.NATS_URL;
  try {
    const moduleRef = await Test.createTestingModule({ imports: [ConfigModule, ClsModule.forRoot({ global: true }), ObservabilityModule, PersistenceModule, ...modules] }).compile();
    moduleRef.useLogger(false);
    await moduleRef.init();
    return moduleRef;
  } finally {
    if (savedNats !== undefined) process.env.NATS_URL = savedNats;
  }
}

/** Builds test data through the repositories (the services under test are not used to set up). */
export class Fixtures {
  constructor(private readonly moduleRef: TestingModule) {}

  private get<T>(token: abstract new (...a: never[]) => T): T {
    return this.moduleRef.get(token as never) as T;
  }

  async portfolio(prefix = 'p'): Promise<string> {
    const id = `${prefix}-${uid()}`;
    await this.get(PortfolioRepository).create({ id, name: id, baseCurrency: 'USD' });
    return id;
  }

  /** A limit version in force since `effectiveDate` (default: a minute ago). */
  async limits(portfolioId: string, l: { maxVarPercent?: number | null; maxDrawdownPercent?: number | null; maxPositionSizePercent?: number | null; horizonDays?: number; effectiveDate?: Date }): Promise<void> {
    await this.get(RiskLimitRepository).addVersion({
      id: randomUUID(),
      portfolioId,
      maxVarPercent: l.maxVarPercent ?? null,
      maxDrawdownPercent: l.maxDrawdownPercent ?? null,
      maxPositionSizePercent: l.maxPositionSizePercent ?? null,
      confidenceLevel: 95,
      horizonDays: l.horizonDays ?? 1,
      effectiveDate: l.effectiveDate ?? new Date(Date.now() - 60_000),
      createdAt: new Date(),
      createdBy: 'test',
    });
  }

  /** Stores `returns` for a new asset on consecutive days from 2020-01-01; answers its id. */
  async asset(returns: readonly number[], prefix = 'A'): Promise<string> {
    const id = `${prefix}-${uid()}`;
    await this.get(ReturnsRepository).upsert(returns.map((r, i) => ({ assetId: id, date: dayOf(i), returnPct: String(r) })));
    return id;
  }

  async book(portfolioId: string, positions: Array<[assetId: string, marketValue: string]>): Promise<void> {
    await this.get(PositionRepository).replaceBook(portfolioId, positions.map(([assetId, marketValue]) => ({ assetId, marketValue })));
  }

  /** The outbox events of a portfolio, in the order they were written. */
  async events(portfolioId: string): Promise<Array<{ subject: string; payload: { id: string; correlation_id: string | null; data: Record<string, any> } }>> {
    return this.get(DataSource).query(`SELECT subject, payload FROM outbox_events WHERE payload->>'portfolio_id' = $1 ORDER BY seq`, [portfolioId]);
  }
}

/** 'YYYY-MM-DD' of day i after 2020-01-01. */
export function dayOf(i: number): string {
  return new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
}

/** Deterministic daily returns with fat-ish tails, reproducible without a data file. */
export function syntheticReturns(n: number, seed: number, scale = 0.01): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = Math.sin((i + 1) * 12.9898 + seed * 78.233) * 43758.5453;
    const x = u - Math.floor(u) - 0.5; // uniform on (−0.5, 0.5)
    out.push(Math.round(scale * 4 * x * Math.abs(x) * 1e6 + scale * 0.3 * x * 1e6) / 1e6);
  }
  return out;
}
