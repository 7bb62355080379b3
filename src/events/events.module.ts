import { Module } from '@nestjs/common';
import { NatsConnectionService } from './nats-connection.service';
import { OutboxRelayService } from './outbox-relay.service';
import { OutboxService } from './outbox.service';

/** The NATS connection, the transactional outbox and its relay to JetStream. */
@Module({
  providers: [NatsConnectionService, OutboxService, OutboxRelayService],
  exports: [NatsConnectionService, OutboxService, OutboxRelayService],
})
export class EventsModule {}
