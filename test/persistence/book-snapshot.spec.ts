import { TestingModule } from '@nestjs/testing';
import { BookSnapshotRepository, PortfolioRepository, PositionRepository, ReturnsRepository, RiskLimitRepository } from '../../src/persistence/repositories';
import { startPersistence, uid } from './support';

describe('BookSnapshotRepository: the book, series versions and limits of a portfolio in one statement', () => {
  let moduleRef: TestingModule;
  beforeAll(async () => {
    moduleRef = await startPersistence();
  });
  afterAll(async () => {
    await moduleRef.close();
  });

  const limit = (portfolioId: string, maxVarPercent: number, effectiveDate: Date) => ({
    id: crypto.randomUUID(),
    portfolioId,
    maxVarPercent,
    maxDrawdownPercent: null,
    maxPositionSizePercent: 20,
    confidenceLevel: 99,
    horizonDays: 10,
    effectiveDate,
    createdAt: new Date(),
    createdBy: 'test',
  });

  it('answers null for an unknown portfolio, and an empty book with no limit', async () => {
    const snapshots = moduleRef.get(BookSnapshotRepository);
    expect(await snapshots.load(`none-${uid()}`)).toBeNull();
    const id = `snap-${uid()}`;
    await moduleRef.get(PortfolioRepository).create({ id, name: 'Snap', baseCurrency: 'CHF' });
    expect(await snapshots.load(id)).toMatchObject({ portfolioId: id, portfolio: { id, name: 'Snap', baseCurrency: 'CHF' }, positions: [], versions: new Map(), limit: null, nextLimitAt: null });
  });

  it('reads exact market values in asset order, each asset’s series version, the limit in force and the next one scheduled', async () => {
    const id = `snap-${uid()}`;
    const [a, b] = [`B-${uid()}`, `A-${uid()}`];
    await moduleRef.get(PortfolioRepository).create({ id, name: 'Snap', baseCurrency: 'USD' });
    await moduleRef.get(PositionRepository).replaceBook(id, [{ assetId: a, marketValue: '123456789012.345678' }, { assetId: b, marketValue: '-0.01' }]);
    const returns = moduleRef.get(ReturnsRepository);
    await returns.upsert([{ assetId: a, date: '2024-01-02', returnPct: '0.01' }]);
    await returns.upsert([{ assetId: a, date: '2024-01-02', returnPct: '0.02' }]);
    const limits = moduleRef.get(RiskLimitRepository);
    const now = Date.now();
    await limits.addVersion(limit(id, 5, new Date(now - 60_000)));
    await limits.addVersion(limit(id, 3, new Date(now - 1_000)));
    await limits.addVersion(limit(id, 9, new Date(now + 3_600_000)));
    await limits.addVersion(limit(id, 8, new Date(now + 7_200_000)));
    const s = (await moduleRef.get(BookSnapshotRepository).load(id))!;
    expect(s.positions).toEqual(await moduleRef.get(PositionRepository).findByPortfolio(id));
    expect(s.positions.map((p) => p.marketValue)).toEqual(['-0.01', '123456789012.345678']);
    expect(s.versions).toEqual((await returns.versions([b, a])));
    expect(s.versions.get(b)).toBe('0');
    expect(s.limit).toEqual(await limits.findInForce(id, new Date()));
    expect(s.limit!.maxVarPercent).toBe(3);
    expect(s.nextLimitAt!.getTime()).toBe(now + 3_600_000);
  });
});
