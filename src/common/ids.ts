/** Ids a client chooses (portfolios, assets): 1 to 64 characters of letters, digits and `. _ : -`. */
export const ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;
export const ID_MESSAGE = 'must be 1 to 64 characters of letters, digits and . _ : -';

/** Ids the service gives (alerts, API keys): UUIDs. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const UUID_MESSAGE = 'must be a UUID, e.g. "3f2b6c1e-9a4d-4e8f-b1c2-7d5e0a9b8c6f"';
