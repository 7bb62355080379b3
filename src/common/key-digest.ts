import { hash } from 'node:crypto';

let lastKey: string | undefined;
let lastDigest = '';

/**
 * SHA-256 (hex) of an API key, as stored (api-keys.service.ts) and as the rate limit counts it
 * (rate-limit.ts). The last key's digest is remembered: both onRequest hooks of one request ask
 * for the same key's digest, one after the other (the second SHA-256 was ≈ 0.7 % of a POST
 * /v1/var's CPU). Only the last key is kept, as the last request's headers are.
 */
export function keyDigest(key: string): string {
  if (key !== lastKey) {
    lastDigest = hash('sha256', key, 'hex');
    lastKey = key;
  }
  return lastDigest;
}
