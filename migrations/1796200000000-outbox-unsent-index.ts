import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox relay's claim reads the unsent events oldest first (ORDER BY seq LIMIT n). The index
 * it had, outbox_pending (next_attempt_at) WHERE sent_at IS NULL, did not give that order, so the
 * claim and the pending count read it as a bitmap and visited the heap page of every entry left
 * behind by an event marked sent since the last VACUUM: with autovacuum off (as on the CI's
 * PostgreSQL) or behind (a table of sent events kept, vacuumed at 20 % dead rows), that grew
 * without bound; 6,175 such entries cost the claim 1.7 ms and the count 1.2 ms.
 * outbox_unsent (seq) WHERE sent_at IS NULL gives the claim its order as an index scan, which
 * marks the entries of sent events dead as it passes them (so later scans, bitmap ones included,
 * skip them), and the table gets its own autovacuum thresholds (1,000 changed rows instead of
 * 20 % of a table that only grows), as a queue table needs.
 */
export class OutboxUnsentIndex1796200000000 implements MigrationInterface {
  name = 'OutboxUnsentIndex1796200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX outbox_pending;
      CREATE INDEX outbox_unsent ON outbox_events (seq) WHERE sent_at IS NULL;
      ALTER TABLE outbox_events SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000,
                                     autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 1000);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE outbox_events RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold,
                                       autovacuum_analyze_scale_factor, autovacuum_analyze_threshold);
      DROP INDEX outbox_unsent;
      CREATE INDEX outbox_pending ON outbox_events (next_attempt_at) WHERE sent_at IS NULL;
    `);
  }
}
