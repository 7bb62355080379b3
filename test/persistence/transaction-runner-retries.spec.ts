import { TestingModule } from '@nestjs/testing';
import { TypeOrmTx } from '../../src/persistence/typeorm/typeorm-tx';
import { ConflictError } from '../../src/common/errors';
import { PortfolioRepository, TransactionRunner } from '../../src/persistence/repositories';
import { startPersistence, uid } from './support';

/** The transaction runner on PostgreSQL: a deadlock victim or a serialization failure is run again. */
describe('TransactionRunner retries on PostgreSQL', () => {
  let moduleRef: TestingModule;
  let tx: TransactionRunner;
  let portfolios: PortfolioRepository;

  beforeAll(async () => {
    moduleRef = await startPersistence();
    tx = moduleRef.get(TransactionRunner);
    portfolios = moduleRef.get(PortfolioRepository);
  });
  afterAll(async () => {
    await moduleRef.close();
  });

  it('runs a deadlock victim again, so both transactions of a lock-order deadlock commit', async () => {
    const [a, b] = [`tx-${uid()}`, `tx-${uid()}`];
    await portfolios.create({ id: a, name: 'a', baseCurrency: 'USD' });
    await portfolios.create({ id: b, name: 'b', baseCurrency: 'USD' });
    // Each transaction locks its first row, waits until the other holds its own, then asks for it.
    let held = 0;
    const bothHold = () => new Promise<void>((resolve) => {
      const poll = () => (held >= 2 ? resolve() : setTimeout(poll, 5));
      poll();
    });
    const attempts = { ab: 0, ba: 0 };
    const lockInOrder = (first: string, second: string, key: 'ab' | 'ba') =>
      tx.run(async (t) => {
        attempts[key]++;
        await portfolios.lock(first, t);
        if (attempts[key] === 1) {
          held++;
          await bothHold();
        }
        await portfolios.lock(second, t);
        await (t as unknown as TypeOrmTx).manager.query('UPDATE portfolios SET name = $1 WHERE id = $2', [key, first]);
      });
    await expect(Promise.all([lockInOrder(a, b, 'ab'), lockInOrder(b, a, 'ba')])).resolves.toBeDefined();
    // PostgreSQL aborted one of them (40P01); the runner ran it a second time.
    expect(attempts.ab + attempts.ba).toBe(3);
  });

  it('answers 409 CONFLICT when every attempt is a serialization failure', async () => {
    let attempts = 0;
    const always = tx.run(async (t) => {
      attempts++;
      await (t as unknown as TypeOrmTx).manager.query(`DO $$ BEGIN RAISE EXCEPTION 'simulated' USING ERRCODE = '40001'; END $$`);
    });
    await expect(always).rejects.toBeInstanceOf(ConflictError);
    expect(attempts).toBe(5);
  });

  it('does not run other failures again', async () => {
    let attempts = 0;
    await expect(
      tx.run(async (t) => {
        attempts++;
        await (t as unknown as TypeOrmTx).manager.query(`DO $$ BEGIN RAISE EXCEPTION 'not retryable' USING ERRCODE = '22003'; END $$`);
      }),
    ).rejects.toThrow(/not retryable/);
    expect(attempts).toBe(1);
  });
});
