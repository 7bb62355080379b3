import { hash } from 'node:crypto';

/** Each request's key and its digest, while the request lives (keyed by the raw request). */
const perRequest = new WeakMap<object, { key: string; digest: string }>();

/**
 * SHA-256 (hex) of an API key, as stored (api-keys.service.ts) and as the rate limit counts it
 * (rate-limit.ts). Keys are 256-bit random, so a fast hash is enough to make a stolen table
 * useless; crypto.hash (one call, no Hash object) takes a third of createHash().update().digest().
 * Given the raw request, the digest is computed once for that request: its key hook and its rate
 * limit both ask for it, one after the other (the second SHA-256 was ≈ 0.7 % of a POST /v1/var's
 * CPU). Nothing outlives the request, and a key is only ever compared with the same request's own
 * header.
 */
export function keyDigest(key: string, request?: object): string {
  if (request) {
    const known = perRequest.get(request);
    if (known && known.key === key) return known.digest;
  }
  const digest = hash('sha256', key, 'hex');
  if (request) perRequest.set(request, { key, digest });
  return digest;
}
