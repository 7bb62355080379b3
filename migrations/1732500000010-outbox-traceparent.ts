import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * outbox_events.traceparent: the W3C trace context of the request that wrote the event, so the
 * relay (later, possibly in another replica) publishes the event inside that trace. NULL when
 * tracing is off or the event had no trace.
 */
export class OutboxTraceparent1732500000010 implements MigrationInterface {
  name = 'OutboxTraceparent1732500000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE outbox_events ADD COLUMN traceparent text');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE outbox_events DROP COLUMN traceparent');
  }
}
