import { randomUUID } from 'node:crypto';
import { TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { OutboxRepository, TransactionRunner } from '../../src/persistence/repositories';
import { eventually, startPersistence } from './support';

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

  it('reads no more pages to claim once the events sent are vacuumed away', async () => {
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
    await repo.markSent(ids);
    // Until a VACUUM the index entries of the events sent stay, and a claim reads their pages (≈ 30 more here).
    // VACUUM (SKIP_LOCKED) skips the table while an autovacuum holds it: tried again then.
    await eventually(async () => {
      await repo.vacuum();
      return (await pagesRead()) - before < 4;
    }, 10_000);
  });

  it('deletes the events sent before the cut-off, oldest first, never one not yet sent', async () => {
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    await repo.add(ids.map((id) => event(id)));
    await repo.markSent(ids.slice(0, 2));
    const left = async () => ((await moduleRef.get(DataSource).query('SELECT id FROM outbox_events WHERE id = ANY($1::uuid[]) ORDER BY seq', [ids])) as Array<{ id: string }>).map((r) => r.id);
    await repo.deleteSent(60_000, 10_000); // sent more than a minute ago: not these
    expect(await left()).toEqual(ids);
    expect(await repo.deleteSent(0, 1)).toBe(1); // at most `limit` (the suites share the database: it may be another's)
    while ((await repo.deleteSent(0, 1000)) > 0);
    expect(await left()).toEqual([ids[2]]);
    await repo.markSent([ids[2]]);
  });

  it('commits the relay\'s lease and sent mark without waiting for the WAL flush, the events themselves durably', async () => {
    const ds = moduleRef.get(DataSource);
    const setting = async () => ((await ds.query('SHOW synchronous_commit')) as Array<{ synchronous_commit: string }>)[0].synchronous_commit;
    const configured = await setting();
    // WAL written but not yet flushed to disk (the WAL writer flushes it within wal_writer_delay, 200 ms).
    const unflushed = async () => ((await ds.query('SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), pg_current_wal_flush_lsn())::float8 AS n')) as Array<{ n: number }>)[0].n;
    const ids = [randomUUID(), randomUUID()];
    await repo.add(ids.map((id) => event(id)));
    expect(await unflushed()).toBe(0);
    expect(mine(await repo.claimDue(1000, 1), ids)).toHaveLength(2);
    expect(await unflushed()).toBeGreaterThan(0);
    const flushed = event();
    await repo.add([flushed]); // a durable commit flushes all WAL before it
    expect(await unflushed()).toBe(0);
    await repo.markSent([...ids, flushed.id]);
    expect(await unflushed()).toBeGreaterThan(0);
    expect(await setting()).toBe(configured); // the pooled connections keep the server's setting
  });
});
