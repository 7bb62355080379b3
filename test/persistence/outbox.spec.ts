import { randomUUID } from 'node:crypto';
import { TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { COMMIT_WITHOUT_FLUSH } from '../../src/persistence/typeorm/sql';
import { OutboxRepository, TransactionRunner } from '../../src/persistence/repositories';
import { startPersistence } from './support';

describe('outbox on PostgreSQL', () => {
  let moduleRef: TestingModule;
  let repo: OutboxRepository;
  const event = (id = randomUUID()) => ({ id, subject: 'risk.test', payload: { id, n: 1 }, headers: { 'x-correlation-id': 'c' }, correlationId: 'c', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' });
  const mine = <T extends { id: string }>(rows: T[], ids: string[]) => rows.filter((e) => ids.includes(e.id));

  beforeAll(async () => {
    moduleRef = await startPersistence();
    repo = moduleRef.get(OutboxRepository);
  });
  afterAll(async () => {
    await moduleRef.close();
  });

  it('writes events with the transaction that announces them, or not at all', async () => {
    const [kept, dropped] = [event(), event()];
    const tx = moduleRef.get(TransactionRunner);
    await tx.run((t) => repo.add([kept], t));
    await expect(tx.run(async (t) => {
      await repo.add([dropped], t);
      throw new Error('abort');
    })).rejects.toThrow('abort');
    const claimed = mine(await repo.claimDue(1000, 60_000), [kept.id, dropped.id]);
    expect(claimed).toEqual([{ ...kept, createdAt: expect.any(Date), attempts: 0 }]);
    await repo.markSent([kept.id]);
  });

  it('leases events so that two relays do not take the same one, and retries a failed one when due', async () => {
    const ids = Array.from({ length: 20 }, () => randomUUID());
    await repo.add(ids.map((id) => event(id)));
    // Two relays at once: every event goes to exactly one of them.
    const [a, b] = await Promise.all([repo.claimDue(10, 60_000), repo.claimDue(10, 60_000)]);
    const taken = [...mine(a, ids), ...mine(b, ids)].map((e) => e.id);
    expect(new Set(taken).size).toBe(taken.length);
    const rest = mine(await repo.claimDue(1000, 60_000), ids).map((e) => e.id);
    expect([...taken, ...rest].sort()).toEqual([...ids].sort());
    expect(mine(await repo.claimDue(1000, 60_000), ids)).toEqual([]); // all leased
    expect(await repo.countPending()).toBeGreaterThanOrEqual(20);

    await repo.markFailed(ids[0], 'broker down', new Date(Date.now() - 1));
    await repo.markFailed(ids[1], 'broker down', new Date(Date.now() + 60_000)); // not due yet
    const retry = mine(await repo.claimDue(1000, 60_000), ids);
    expect(retry.map((e) => [e.id, e.attempts])).toEqual([[ids[0], 1]]);
    const pending = await repo.countPending();
    expect(await repo.markSent(ids)).toBe(pending - 20); // what is left, counted by the same statement
    expect(await repo.countPending()).toBe(pending - 20);
    expect(await repo.markSent([])).toBe(pending - 20);
    expect(mine(await repo.claimDue(1000, 1), ids)).toEqual([]);
  });

  it('claims oldest first and lets a lease lapse: the event is claimable again after leaseMs', async () => {
    const ids = [randomUUID(), randomUUID()];
    await repo.add(ids.map((id) => event(id))); // one INSERT: the rows may share a created_at, seq keeps their order
    const first = mine(await repo.claimDue(1000, 150), ids);
    expect(first.map((e) => e.id)).toEqual(ids);
    expect(first[0].createdAt.getTime()).toBeLessThanOrEqual(first[1].createdAt.getTime());
    expect(mine(await repo.claimDue(1000, 150), ids)).toEqual([]);
    await new Promise((r) => setTimeout(r, 250)); // the lease is a time: waiting for it to pass is the behaviour under test
    const again = mine(await repo.claimDue(1000, 60_000), ids);
    expect(again.map((e) => e.id)).toEqual(ids);
    expect(again[0]).toMatchObject({ subject: 'risk.test', payload: { id: ids[0], n: 1 }, headers: { 'x-correlation-id': 'c' }, correlationId: 'c', attempts: 0 });
    await repo.markSent(ids);
  });

  it('reads no more pages to claim after 2,000 events were sent and the table vacuumed', async () => {
    const ds = moduleRef.get(DataSource);
    // Pages the claim's row choice reads (its SELECT … FOR UPDATE SKIP LOCKED, executed by EXPLAIN ANALYZE).
    const pagesRead = async () => {
      const [{ 'QUERY PLAN': [plan] }] = await ds.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)
        SELECT id FROM outbox_events WHERE sent_at IS NULL AND next_attempt_at <= clock_timestamp()
           AND (claimed_until IS NULL OR claimed_until < clock_timestamp()) ORDER BY seq LIMIT 200 FOR UPDATE SKIP LOCKED`);
      return (plan.Plan['Shared Hit Blocks'] as number) + (plan.Plan['Shared Read Blocks'] as number);
    };
    await repo.vacuum();
    const before = await pagesRead();
    const ids = Array.from({ length: 2000 }, () => randomUUID());
    await repo.add(ids.map((id) => event(id)));
    for (let left = new Set<string>(ids); left.size > 0;) {
      const sent = mine(await repo.claimDue(200, 1), [...left]).map((e) => e.id);
      await repo.markSent(sent);
      for (const id of sent) left.delete(id);
    }
    // Until a VACUUM, the index entries of sent events stay, and every claim reads their pages (≈ 17 more here; ≈ 46 with the old index on next_attempt_at).
    await repo.vacuum();
    expect((await pagesRead()) - before).toBeLessThan(4);
  });

  it('deletes the events sent before the cut-off, never one not yet sent', async () => {
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    await repo.add(ids.map((id) => event(id)));
    const sentIds = ids.slice(0, 2);
    expect(mine(await repo.claimDue(1000, 60_000), ids).map((e) => e.id)).toEqual(ids);
    await repo.markSent(sentIds);
    const left = async () => ((await moduleRef.get(DataSource).query('SELECT id FROM outbox_events WHERE id = ANY($1::uuid[]) ORDER BY seq', [ids])) as Array<{ id: string }>).map((r) => r.id);
    await repo.deleteSent(new Date(Date.now() - 60_000), 10_000); // sent a minute ago: not these
    expect(await left()).toEqual(ids);
    expect(await repo.deleteSent(new Date(Date.now() + 1000), 1)).toBe(1); // at most `limit`
    while ((await repo.deleteSent(new Date(Date.now() + 1000), 1000)) > 0);
    expect(await left()).toEqual([ids[2]]);
    await repo.markSent([ids[2]]);
  });

  it('commits the relay\'s bookkeeping without a flush in its own transaction only', async () => {
    const runner = moduleRef.get(DataSource).createQueryRunner();
    try {
      const setting = async () => ((await runner.query('SHOW synchronous_commit')) as Array<{ synchronous_commit: string }>)[0].synchronous_commit;
      await runner.query(`SELECT 1 AS one, ${COMMIT_WITHOUT_FLUSH}`);
      expect(await setting()).toBe('on'); // the connection goes back to the pool as it was
      await runner.startTransaction();
      await runner.query(`SELECT 1 AS one, ${COMMIT_WITHOUT_FLUSH}`);
      expect(await setting()).toBe('off');
      await runner.commitTransaction();
      expect(await setting()).toBe('on');
    } finally {
      await runner.release();
    }
  });
});
