import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { keyDigest } from './key-digest';

const sha256 = (k: string) => createHash('sha256').update(k).digest('hex');

describe('keyDigest', () => {
  it('is the SHA-256 (hex) of the key, with or without a request, whatever came before', () => {
    const requests = [{}, {}, {}];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.oneof(fc.constantFrom('rk_a', 'rk_b', 'rk_a '), fc.string()), fc.integer({ min: -1, max: 2 })), { minLength: 1, maxLength: 20 }), (calls) => {
        for (const [key, r] of calls) expect(keyDigest(key, r < 0 ? undefined : requests[r])).toBe(sha256(key));
      }),
    );
  });
});
