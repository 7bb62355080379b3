import fc from 'fast-check';
import { ValidationError } from './errors';
import { checkJsonStrings, checkRequestText, MAX_JSON_DEPTH, nestsDeeperThan, nullFieldsAsAbsent, parseUntrustedJson } from './hostile-input';

/** Nesting depth of a parsed JSON value: a scalar is 0, `[]` is 1. */
function depthOf(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0;
  const children = Array.isArray(v) ? v : Object.values(v);
  return 1 + children.reduce<number>((m, c) => Math.max(m, depthOf(c)), 0);
}

const bytes = (s: string) => Buffer.from(s, 'utf8');

/** JSON values whose strings are full of brackets, quotes and backslashes. */
const tricky = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, true, 1.5),
    fc.stringMatching(/^[[\]{}"\\a]{0,12}$/),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.stringMatching(/^[[\]{}"\\a]{0,4}$/), tie('value'), { maxKeys: 3 }),
  ),
})).value;

describe('nestsDeeperThan', () => {
  it('agrees with the depth of the parsed value, whatever the strings hold', () => {
    fc.assert(
      fc.property(tricky, fc.integer({ min: 0, max: 6 }), (v, max) => {
        expect(nestsDeeperThan(bytes(JSON.stringify(v)), max)).toBe(depthOf(v) > max);
      }),
      { numRuns: 2000 },
    );
  });

  it('allows 64 levels and refuses 65', () => {
    expect(nestsDeeperThan(bytes('['.repeat(64) + ']'.repeat(64)))).toBe(false);
    expect(nestsDeeperThan(bytes('['.repeat(65) + ']'.repeat(65)))).toBe(true);
    expect(MAX_JSON_DEPTH).toBe(64);
  });

  it('stops at the first level too deep of a 10,000,000-deep body', () => {
    expect(nestsDeeperThan(bytes('['.repeat(10_000_000)))).toBe(true);
  });

  it('reads an escaped backslash before a closing quote as the end of the string', () => {
    expect(nestsDeeperThan(bytes('["\\\\", [[1]]]'), 2)).toBe(true);
    expect(nestsDeeperThan(bytes('["\\" [[", 1]'), 1)).toBe(false);
  });
});

describe('parseUntrustedJson', () => {
  it('parses what JSON.parse parses when it is clean and shallow', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (v) => {
        const text = JSON.stringify(v);
        fc.pre(!/\\u0000|\\ud[89a-f]/i.test(text) && !text.includes('__proto__') && !text.includes('\u0000'));
        expect(parseUntrustedJson(bytes(text), 'body')).toEqual(JSON.parse(text));
      }),
      { numRuns: 1000 },
    );
  });

  it('answers anything else with a ValidationError, never another error', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        try {
          parseUntrustedJson(bytes(s), 'body');
        } catch (err) {
          expect(err).toBeInstanceOf(ValidationError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('names the field of a NUL or a lone surrogate', () => {
    expect(() => parseUntrustedJson(bytes('{"a":[{"b":"x\\u0000"}]}'), 'body')).toThrow(/^a\[0\]\.b must not contain NUL/);
    expect(() => parseUntrustedJson(bytes('[1,"\\ud800"]'), 'body')).toThrow(/^\[1\] must be well-formed Unicode/);
    expect(() => parseUntrustedJson(bytes('"\\udfff"'), 'payload')).toThrow(/^payload must be well-formed/);
    expect(() => parseUntrustedJson(bytes('{"\\u0000":1}'), 'body')).toThrow(/^body has a field name that must not contain NUL/);
  });

  it('refuses prototype keys', () => {
    expect(() => parseUntrustedJson(bytes('{"__proto__":{"x":1}}'), 'body')).toThrow(/__proto__/);
    expect(() => parseUntrustedJson(bytes('{"a":{"constructor":{"prototype":{}}}}'), 'body')).toThrow(/^a\.constructor must not have a field named prototype/);
  });

  it('keeps well-formed surrogate pairs', () => {
    expect(parseUntrustedJson(bytes('{"name":"\\ud83d\\ude00 desk"}'), 'body')).toEqual({ name: '😀 desk' });
  });

  it('reports at most 20 problems', () => {
    const body = JSON.stringify(Array.from({ length: 50 }, () => 'x\u0000'));
    try {
      parseUntrustedJson(bytes(body), 'body');
      throw new Error('accepted');
    } catch (err) {
      expect((err as ValidationError).messages).toHaveLength(20);
    }
  });
});

describe('checkJsonStrings and checkRequestText', () => {
  it('accept clean values', () => {
    expect(() => checkJsonStrings({ a: ['b', { c: 'd' }] }, 'body')).not.toThrow();
    expect(() => checkRequestText({ id: 'desk-7', tags: ['a', 'b'] })).not.toThrow();
  });

  it('names the parameter holding a NUL', () => {
    expect(() => checkRequestText({ since: '2024\u0000' })).toThrow(/^since must not contain NUL/);
    expect(() => checkRequestText({ 'x\u0000': 'y' })).toThrow(/^a parameter name must not contain NUL/);
  });
});

describe('nullFieldsAsAbsent', () => {
  const hasNullField = (v: unknown): boolean =>
    Array.isArray(v) ? v.some(hasNullField) : v !== null && typeof v === 'object' && Object.values(v).some((x) => x === null || hasNullField(x));

  it('removes every null field, keeps array elements, never mutates its input', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => {
        const before = JSON.stringify(v);
        const out = nullFieldsAsAbsent(v);
        expect(JSON.stringify(v)).toBe(before);
        expect(hasNullField(out)).toBe(false);
        if (Array.isArray(v)) expect((out as unknown[]).length).toBe(v.length);
      }),
      { numRuns: 1000 },
    );
  });

  it('returns the same object when nothing changes', () => {
    const returns = Array.from({ length: 1000 }, (_, i) => i / 1000);
    const body = { returns, confidence: 99 };
    expect(nullFieldsAsAbsent(body)).toBe(body);
    expect(nullFieldsAsAbsent({ a: 1, b: null })).toEqual({ a: 1 });
  });
});
