import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { keyDigest } from './key-digest';

describe('keyDigest', () => {
  it('is the SHA-256 (hex) of each key, whatever key came before (the remembered digest is never another key\'s)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom('rk_a', 'rk_b', 'rk_a '), fc.string()), { minLength: 1, maxLength: 20 }), (keys) => {
        for (const k of keys) expect(keyDigest(k)).toBe(createHash('sha256').update(k).digest('hex'));
      }),
    );
  });
});
