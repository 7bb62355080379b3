/**
 * Work that only one replica may do at a time (the NAV consumer: one replica applies the NAV stream,
 * so each portfolio's updates reach the database in stream order). On PostgreSQL a session-level
 * advisory lock on a connection of its own, held until released or until that session ends (the
 * process dies, the connection drops): the other replicas then take it over. On embedded PGlite
 * (one process per database) always granted.
 */
export abstract class ExclusiveLease {
  /** Takes the lease named `name` if free; false when another session holds it; rejects when the database is unavailable. */
  abstract tryAcquire(name: string): Promise<boolean>;
  /** Whether the lease taken is still held (its session answers); false also when never taken. */
  abstract held(): Promise<boolean>;
  /** Gives the lease back (no-op when not held). */
  abstract release(): Promise<void>;
}
