import { MigrationInterface, QueryRunner } from 'typeorm';
import { maintenance, nodePostgresClient } from '../src/persistence/typeorm/sql';

/**
 * The outbox relay's claim reads the unsent events oldest first (ORDER BY seq LIMIT n). The index
 * it had, outbox_pending (next_attempt_at) WHERE sent_at IS NULL, did not give that order, so the
 * claim and the pending count read it as a bitmap and visited the heap page of every entry left
 * behind by an event marked sent since the last VACUUM: with autovacuum off (as on the CI's
 * PostgreSQL) or behind (a table of sent events kept forever, vacuumed at 20 % dead rows), that grew
 * without bound; 6,175 such entries cost the claim 1.7 ms and the pending count 1.2 ms.
 *
 * - outbox_unsent (seq) WHERE sent_at IS NULL gives the claim its order as an index scan, which
 *   marks the entries of sent events dead as it passes them (later scans, bitmap ones included,
 *   skip them);
 * - outbox_sent_at (sent_at) WHERE sent_at IS NOT NULL lets the relay delete the events sent more
 *   than an hour ago (OutboxRelayService housekeeping) without reading the whole table;
 * - the table gets its own autovacuum thresholds (1,000 changed rows instead of 20 % of the table),
 *   as a queue table needs, where autovacuum runs.
 *
 * Outside a transaction and CONCURRENTLY on PostgreSQL, with the statement timeout raised for it: a
 * table that kept every event ever sent may be large, and a plain CREATE INDEX would hold its
 * inserts (every business transaction writing an event) for the whole build. Each step may be
 * repeated (IF [NOT] EXISTS; a build left invalid by an interruption is dropped first).
 */
export class OutboxUnsentIndex1796200000000 implements MigrationInterface {
  name = 'OutboxUnsentIndex1796200000000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    const c = await concurrently(q);
    const invalid = (await q.query(
      `SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
        WHERE x.indexrelid IN (to_regclass('outbox_unsent'), to_regclass('outbox_sent_at')) AND NOT x.indisvalid`,
    )) as Array<{ relname: string }>;
    await maintenance(q, [
      ...invalid.map((r) => `DROP INDEX ${c}IF EXISTS ${r.relname}`),
      `CREATE INDEX ${c}IF NOT EXISTS outbox_unsent ON outbox_events (seq) WHERE sent_at IS NULL`,
      `CREATE INDEX ${c}IF NOT EXISTS outbox_sent_at ON outbox_events (sent_at) WHERE sent_at IS NOT NULL`,
      `DROP INDEX ${c}IF EXISTS outbox_pending`,
      `ALTER TABLE outbox_events SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000,
                                      autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 1000)`,
    ], 60 * 60 * 1000);
  }

  async down(q: QueryRunner): Promise<void> {
    const c = await concurrently(q);
    await maintenance(q, [
      `ALTER TABLE outbox_events RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold,
                                        autovacuum_analyze_scale_factor, autovacuum_analyze_threshold)`,
      `CREATE INDEX ${c}IF NOT EXISTS outbox_pending ON outbox_events (next_attempt_at) WHERE sent_at IS NULL`,
      `DROP INDEX ${c}IF EXISTS outbox_sent_at`,
      `DROP INDEX ${c}IF EXISTS outbox_unsent`,
    ], 60 * 60 * 1000);
  }
}

/** CONCURRENTLY on PostgreSQL outside a transaction (TypeORM reverts a migration inside one whatever it says; PGlite is one session). */
async function concurrently(q: QueryRunner): Promise<string> {
  return (await nodePostgresClient(q)) && !q.isTransactionActive ? 'CONCURRENTLY ' : '';
}
