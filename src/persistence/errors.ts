import { ConflictError } from '../common/errors';

/**
 * A row with that key exists already (PostgreSQL unique_violation, 23505). A ConflictError, so
 * the global filter answers 409 CONFLICT without the caller translating it.
 */
export class DuplicateKeyError extends ConflictError {}

/** Optimistic locking: the row changed (its version moved) since it was read. */
export class StaleVersionError extends ConflictError {}
