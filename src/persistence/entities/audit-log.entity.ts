import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Who changed what, when: limits, positions, returns, API keys, alerts. Append-only. */
@Entity('audit_log')
export class AuditLogEntity {
  /** bigserial: pg returns int8 as text, so it stays a string. */
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  actor!: string;

  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'text' })
  entity!: string;

  @Column({ name: 'entity_id', type: 'text', nullable: true })
  entityId!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  details!: object | null;

  @Column({ name: 'correlation_id', type: 'text', nullable: true })
  correlationId!: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;
}
