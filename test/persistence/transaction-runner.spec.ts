import { TestingModule } from '@nestjs/testing';
import { PortfolioRepository, TransactionRunner, Tx } from '../../src/persistence/repositories';
import { startPersistence, uid } from './support';

describe('TransactionRunner on PostgreSQL', () => {
  let moduleRef: TestingModule;
  let runner: TransactionRunner;
  let portfolios: PortfolioRepository;

  beforeAll(async () => {
    moduleRef = await startPersistence();
    runner = moduleRef.get(TransactionRunner);
    portfolios = moduleRef.get(PortfolioRepository);
  });
  afterAll(async () => {
    await moduleRef.close();
  });

  it('runs after-commit hooks once the commit is visible to other sessions, in the order they were added', async () => {
    const id = `hook-${uid()}`;
    const seen: Array<[string, Promise<boolean>]> = [];
    await runner.run(async (t) => {
      await portfolios.create({ id, name: 'Hooked', baseCurrency: 'USD' }, t);
      // Read without the tx, i.e. from another session: only true once the commit is done.
      t.afterCommit(() => seen.push(['first', portfolios.findById(id).then((p) => p !== null)]));
      t.afterCommit(() => seen.push(['second', Promise.resolve(true)]));
      expect(seen).toEqual([]);
    });
    expect(seen.map(([name]) => name)).toEqual(['first', 'second']);
    expect(await seen[0][1]).toBe(true);
  });

  it('never runs after-commit hooks of a transaction that rolls back', async () => {
    const ran: string[] = [];
    await expect(
      runner.run(async (t) => {
        t.afterCommit(() => ran.push('hook'));
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(ran).toEqual([]);
  });

  it('keeps the commit and the later hooks when one hook throws', async () => {
    const id = `hook-${uid()}`;
    const ran: string[] = [];
    const value = await runner.run(async (t) => {
      await portfolios.create({ id, name: 'Kept', baseCurrency: 'USD' }, t);
      t.afterCommit(() => {
        throw new Error('hook failed');
      });
      t.afterCommit(() => ran.push('after the failing one'));
      return 42;
    });
    expect(value).toBe(42);
    expect(ran).toEqual(['after the failing one']);
    expect(await portfolios.findById(id)).not.toBeNull();
  });

  it('refuses an object that did not come from the runner, when compiling and when running', async () => {
    // `npm test` type-checks first: the directive fails the build if a look-alike ever type-checks as a Tx.
    // @ts-expect-error an object with the right method is still not a Tx (branded)
    const forged: Tx = { afterCommit: () => undefined };
    await expect(portfolios.findById('any', forged)).rejects.toThrow(/not a transaction of TransactionRunner.run/);
  });
});
