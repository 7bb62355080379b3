import { Check, Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { Role } from '../api-key.repository';

/** An API key: only its SHA-256 hash and a short prefix (to recognise it) are kept. */
@Entity('api_keys')
@Unique('api_keys_key_hash_key', ['keyHash'])
@Check('api_keys_role_check', `role IN ('viewer', 'analyst', 'risk_manager', 'admin')`)
export class ApiKeyEntity {
  /** Given by the service; else the database's gen_random_uuid(). */
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  role!: Role;

  @Column({ name: 'key_hash', type: 'text' })
  keyHash!: string;

  @Column({ name: 'key_prefix', type: 'text' })
  keyPrefix!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'created_by', type: 'text', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  /** The portfolios the key may see; NULL = every portfolio. */
  @Column({ type: 'text', array: true, nullable: true })
  portfolios!: string[] | null;
}
