import { Tx } from './transaction-runner';

export interface AuditEntry {
  actor: string;
  action: string;
  entity: string;
  entityId: string | null;
  details?: unknown;
  correlationId?: string | null;
}

export abstract class AuditLogRepository {
  abstract append(e: AuditEntry, tx?: Tx): Promise<void>;
  /** Newest first. */
  abstract list(limit: number): Promise<Array<AuditEntry & { at: Date }>>;
}
