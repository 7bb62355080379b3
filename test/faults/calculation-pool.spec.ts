import { Test } from '@nestjs/testing';
import { CalculationPool } from '../../src/calculation/calculation-pool.service';
import { CalculationTimeoutError } from '../../src/common/errors';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { computeRisk, InsufficientDataError, portfolioRisk, VarMethod } from '../../src/math';
import { syntheticAssets } from '../support/synthetic-returns';

const returns = Float64Array.from({ length: 500 }, (_, i) => 0.01 * Math.sin(i * 1.7) - 0.0004);

async function poolWith(env: Record<string, string>): Promise<CalculationPool> {
  const moduleRef = await Test.createTestingModule({
    providers: [{ provide: AppConfig, useValue: loadConfig({ ...process.env, ...env }) }, CalculationPool],
  }).compile();
  return moduleRef.get(CalculationPool);
}

describe('calculation worker pool', () => {
  let pool: CalculationPool;
  beforeAll(async () => {
    pool = await poolWith({ CALCULATION_TIMEOUT_MS: '30000' });
  });
  afterAll(() => pool.onApplicationShutdown());

  it('gives the same Monte Carlo figure on a worker thread as in process', async () => {
    const input = { returns, confidence: 99, method: 'monte_carlo' as const, simulations: 50_000, seed: 7, horizonDays: 5, wantCvar: true };
    expect(await pool.risk(input)).toEqual(computeRisk(input));
  });

  it.each<VarMethod>(['historical', 'parametric', 'cornish_fisher', 'ewma', 'filtered_historical', 'monte_carlo'])(
    '%s: a book past the inline threshold gets its VaR alone on a worker thread, the figure portfolioRisk gives in process',
    async (method) => {
      // 10 assets × 10,001 dates: over INLINE_MAX_WORK, so on the pool.
      const input = { weights: [0.3, 0.2, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.03, 0.02], assetReturns: syntheticAssets(10, 10_001, 5).map((r) => Float64Array.from(r)), confidence: 97.5, method, horizonDays: 3, seed: 9, simulations: 2000 };
      expect(Object.is(await pool.portfolioVar(input), portfolioRisk(input).varReturn)).toBe(true);
    },
  );

  it('rebuilds a maths error raised on a worker thread with its class and message', async () => {
    const input = { returns: returns.subarray(0, 50), confidence: 99, method: 'monte_carlo' as const, distribution: 'bootstrap' as const, seed: 1 };
    const err = await pool.risk(input).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InsufficientDataError);
    expect((err as Error).message).toMatch(/need at least 100/);
  });

  it('cancels a calculation past CALCULATION_TIMEOUT_MS, then serves the next one', async () => {
    // 1 s: the 1M × 250 Monte Carlo takes several seconds, while the fresh thread that replaces the
    // cancelled one (compiled from TypeScript under Jest) starts well within it even on a busy machine.
    const short = await poolWith({ CALCULATION_TIMEOUT_MS: '1000' });
    try {
      const t0 = performance.now();
      const err = await short.risk({ returns, confidence: 99, method: 'monte_carlo', simulations: 1_000_000, horizonDays: 250, seed: 1 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CalculationTimeoutError);
      expect(performance.now() - t0).toBeLessThan(5000);
      const after = await short.risk({ returns, confidence: 95, method: 'monte_carlo', simulations: 1000, seed: 3 });
      expect(after.varReturn).toBeLessThan(0);
    } finally {
      await short.onApplicationShutdown();
    }
  });
});
