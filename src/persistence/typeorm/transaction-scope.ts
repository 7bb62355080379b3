import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Marks the async context of the work inside TransactionRunner.run while its transaction is open.
 * Read by the embedded PGlite pool only (see SerialPGlitePool); on PostgreSQL it changes nothing.
 */
export const transactionScope = new AsyncLocalStorage<{ open: boolean }>();
