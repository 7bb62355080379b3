import {
  Alert,
  AlertStatus,
  ApiKey,
  AuditEntry,
  BreachType,
  DrawdownEvent,
  DrawdownState,
  LimitBreach,
  OutboxEvent,
  Portfolio,
  Position,
  ReturnRow,
  ReturnSeries,
  RiskLimit,
  VarResult,
} from './models';

/**
 * Opaque transaction handle. Every repository method takes it as its optional last argument:
 * given, the call joins that transaction; absent, it runs on its own.
 */
export type Tx = { readonly __tx: unique symbol } | object;

/** Runs work in one database transaction (serialised on the embedded database). */
export abstract class TransactionRunner {
  abstract run<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /** SELECT 1: the readiness probe. */
  abstract ping(): Promise<void>;
}

export abstract class PortfolioRepository {
  /** Throws ConflictError when the id exists. */
  abstract create(p: { id: string; name: string; baseCurrency: string }, tx?: Tx): Promise<Portfolio>;
  abstract findById(id: string, tx?: Tx): Promise<Portfolio | null>;
  abstract list(tx?: Tx): Promise<Portfolio[]>;
  abstract touch(id: string, tx?: Tx): Promise<void>;
  /** Locks the portfolio row for the transaction (serialises writes of its results, alerts and drawdown); false if absent. */
  abstract lock(id: string, tx: Tx): Promise<boolean>;
}

export abstract class PositionRepository {
  /** Deletes the book and writes the given one (call inside a transaction). */
  abstract replaceBook(portfolioId: string, positions: Position[], tx?: Tx): Promise<void>;
  abstract findByPortfolio(portfolioId: string, tx?: Tx): Promise<Position[]>;
}

export abstract class ReturnsRepository {
  /** Idempotent upsert on (asset_id, date): an unchanged row counts as neither inserted nor updated. */
  abstract upsert(rows: ReturnRow[], tx?: Tx): Promise<{ inserted: number; updated: number }>;
  /** Each asset's series ascending by date (assets without rows are absent). */
  abstract getSeries(assetIds: string[], tx?: Tx): Promise<Map<string, ReturnSeries>>;
}

export abstract class VarResultRepository {
  abstract insert(r: VarResult, tx?: Tx): Promise<void>;
  abstract history(portfolioId: string, opts: { since?: Date; limit: number }, tx?: Tx): Promise<VarResult[]>;
}

export abstract class RiskLimitRepository {
  abstract addVersion(l: RiskLimit, tx?: Tx): Promise<void>;
  /** The version with the latest effective_date ≤ at (ties: the latest created). */
  abstract findInForce(portfolioId: string, at: Date, tx?: Tx): Promise<RiskLimit | null>;
  abstract history(portfolioId: string, tx?: Tx): Promise<RiskLimit[]>;
}

export abstract class LimitBreachRepository {
  abstract insert(b: LimitBreach, tx?: Tx): Promise<void>;
  abstract list(portfolioId: string, since?: Date, tx?: Tx): Promise<LimitBreach[]>;
}

export abstract class AlertRepository {
  /** The open (active or acknowledged) alert of that type, locked for update. */
  abstract findOpen(portfolioId: string, type: BreachType, tx?: Tx): Promise<Alert | null>;
  abstract insert(a: Alert, tx?: Tx): Promise<void>;
  abstract update(a: Alert, tx?: Tx): Promise<void>;
  abstract findById(id: string, tx?: Tx, forUpdate?: boolean): Promise<Alert | null>;
  abstract list(filter: { portfolioId?: string; status?: AlertStatus; limit?: number }, tx?: Tx): Promise<Alert[]>;
}

export abstract class DrawdownStateRepository {
  abstract get(portfolioId: string, tx?: Tx, forUpdate?: boolean): Promise<DrawdownState | null>;
  abstract save(s: DrawdownState, tx?: Tx): Promise<void>;
}

export abstract class DrawdownEventRepository {
  abstract insert(e: DrawdownEvent, tx?: Tx): Promise<void>;
  abstract list(portfolioId: string, tx?: Tx): Promise<DrawdownEvent[]>;
}

export abstract class OutboxRepository {
  abstract add(events: Array<{ id: string; subject: string; payload: object; headers: Record<string, string>; correlationId: string | null }>, tx?: Tx): Promise<void>;
  /** Leases up to `limit` due events for `leaseMs` (other relays skip them meanwhile), oldest first. */
  abstract claimDue(limit: number, leaseMs: number): Promise<OutboxEvent[]>;
  abstract markSent(ids: string[]): Promise<void>;
  abstract markFailed(id: string, error: string, nextAttemptAt: Date): Promise<void>;
  abstract countPending(): Promise<number>;
}

export abstract class ApiKeyRepository {
  abstract insert(k: ApiKey & { keyHash: string }, tx?: Tx): Promise<void>;
  abstract findActiveByHash(hash: string): Promise<ApiKey | null>;
  abstract list(): Promise<ApiKey[]>;
  abstract revoke(id: string, at: Date, tx?: Tx): Promise<boolean>;
  abstract countActive(): Promise<number>;
}

export abstract class AuditLogRepository {
  abstract append(e: AuditEntry, tx?: Tx): Promise<void>;
  abstract list(limit: number): Promise<Array<AuditEntry & { at: Date }>>;
}
