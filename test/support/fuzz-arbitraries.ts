import fc from 'fast-check';

/**
 * Hostile JSON for the fuzz suite. Values are generated as trees whose leaves may be raw JSON
 * text (`Raw`), so that what JSON.stringify cannot write reaches the service too: number literals
 * beyond a double (1e400, 200,000 digits), nesting thousands of levels deep, lone surrogates as
 * escapes.
 */
export class Raw {
  constructor(readonly text: string) {}
}

export function toJsonText(v: unknown): string {
  if (v instanceof Raw) return v.text;
  if (Array.isArray(v)) return `[${v.map(toJsonText).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${JSON.stringify(k)}:${toJsonText(x)}`).join(',')}}`;
  }
  const text = JSON.stringify(v);
  return text === undefined ? 'null' : text;
}

const nested = (depth: number, open: '[' | '{"a":') => (open === '[' ? '['.repeat(depth) + '1' + ']'.repeat(depth) : open.repeat(depth) + '1' + '}'.repeat(depth));

/** Strings that have broken things: signs, exponents, huge digit runs, NUL, lone surrogates, look-alike digits. */
export const hostileString: fc.Arbitrary<string | Raw> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom(
    '', ' ', '\u0000', 'a\u0000b', '+1', '+0.5', '-0', '1e-20000', '1e99999', '1E+400', '.', '-', '1.', '.5', 'NaN', 'Infinity', '-Infinity',
    '0x10', '1_000', '1,000.00', ' 1 ', '١٢٣', '９９', '1e', 'e1', '--1', 'null', 'true', '[]', '{}', '2024-02-30', '2024-01-02', '9999-12-31',
    '0000-00-00', '2024-01-02T00:00:00Z', '+275760-09-13T00:00:00.000Z', 'historical', 'monte_carlo', 'admin', 'desk-7', '../../etc/passwd',
    "'; DROP TABLE portfolios; --", '%00', '\t\n', '😀', 'x'.repeat(300),
  ),
  fc.constantFrom('\\ud800', '\\udfff', 'a\\u0000', '\\ud83d\\ude00').map((e) => new Raw(`"${e}"`)),
  fc.integer({ min: 1, max: 5 }).map((k) => '9'.repeat(10 ** k)),
  fc.integer({ min: 1, max: 5 }).map((k) => `0.${'1'.repeat(10 ** k)}`),
);

export const hostileNumber: fc.Arbitrary<number | Raw> = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(0, -0, 1, -1, 0.5, -0.5, 0.95, 95, 99, 99.9, 100, 1e6, 1e9, 2 ** 53, 1e308, -1e308, 5e-324, Number.MAX_VALUE),
  fc.constantFrom('1e400', '-1e400', '1e-400', '1.5E+3', '-0.0').map((t) => new Raw(t)),
  fc.integer({ min: 1, max: 5 }).map((k) => new Raw('9'.repeat(10 ** k))),
);

/** Nesting around the edge of the limit, and far beyond it. */
export const deepValue: fc.Arbitrary<Raw> = fc
  .tuple(fc.constantFrom(63, 64, 65, 66, 200, 2_000, 100_000), fc.constantFrom<'[' | '{"a":'>('[', '{"a":'))
  .map(([d, open]) => new Raw(nested(d, open)));

const key = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'prototype', 'returns', 'portfolio_id', 'a\u0000', 'x'));

export const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    deepValue,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(key, tie('value'), { maxKeys: 5 }),
  ),
})).value;

/** A field: mostly a plausible value (so that the request gets deep into the service), sometimes anything. */
export function field<T>(good: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 3, arbitrary: good }, { weight: 1, arbitrary: hostileValue });
}

/**
 * A body: an object with any subset of the given fields (each plausible or hostile), sometimes an
 * unknown field, or anything at all (an array, a scalar, deep nesting, garbage).
 */
export function body(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  const known = fc.record(Object.fromEntries(Object.entries(fields).map(([k, a]) => [k, field(a)])), { requiredKeys: [] });
  const withExtra = fc.tuple(known, fc.dictionary(key, hostileValue, { maxKeys: 2 })).map(([k, extra]) => ({ ...extra, ...k }));
  return fc.oneof({ weight: 6, arbitrary: known }, { weight: 1, arbitrary: withExtra }, { weight: 2, arbitrary: hostileValue });
}

export const returnsArray = fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { minLength: 0, maxLength: 300 });
export const confidence = fc.oneof(fc.constantFrom(90, 95, 97.5, 99), fc.double({ min: 50, max: 100, noNaN: true }));
export const money = fc.oneof(fc.integer({ min: -1_000_000, max: 10_000_000 }).map(String), fc.double({ min: 0.01, max: 1e7, noNaN: true }), fc.constantFrom('1000000', '0.01', '1e6'));
export const isoTime = fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
export const isoDate = fc.date({ min: new Date('1990-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

/** A path segment: usually one of `known`, else arbitrary bytes percent-encoded (bad UTF-8, NUL, 500 bytes …). */
export function segment(known: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...known) },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 120 }).map((b) => [...b].map((x) => `%${x.toString(16).padStart(2, '0')}`).join('')) },
    { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9._:-]{1,70}$/) },
    { weight: 1, arbitrary: fc.uuid() },
  );
}

/** A query string with the given keys (plausible or hostile values) and sometimes unknown keys; percent-encoded bytes included. */
export function query(fields: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<string> {
  const enc = (s: string) => {
    try {
      return encodeURIComponent(s);
    } catch {
      return '%ED%A0%80'; // a lone surrogate cannot be encoded: send its UTF-8-like bytes instead
    }
  };
  const pairs = fc.array(
    fc.oneof(
      ...Object.entries(fields).map(([k, a]) => fc.oneof(a, hostileString.filter((s): s is string => typeof s === 'string')).map((v) => `${k}=${enc(v)}`)),
      fc.uint8Array({ maxLength: 20 }).map((b) => `${[...b].map((x) => `%${x.toString(16).padStart(2, '0')}`).join('')}=1`),
    ),
    { maxLength: 4 },
  );
  return pairs.map((p) => (p.length ? `?${p.join('&')}` : ''));
}

/**
 * Bodies around a valid one: the valid body itself, the valid body with one field replaced by
 * anything, set to null or left out, or anything at all. This gets hostile values past the checks
 * of the other fields, deep into the use cases.
 */
export function around(valid: fc.Arbitrary<Record<string, unknown>>, keys: string[]): fc.Arbitrary<unknown> {
  const oneHostile = fc.tuple(valid, fc.constantFrom(...keys), hostileValue).map(([v, k, h]) => ({ ...v, [k]: h }));
  const oneNull = fc.tuple(valid, fc.constantFrom(...keys)).map(([v, k]) => ({ ...v, [k]: null }));
  const oneMissing = fc.tuple(valid, fc.constantFrom(...keys)).map(([v, k]) => {
    const copy = { ...v };
    delete copy[k];
    return copy;
  });
  return fc.oneof(
    { weight: 3, arbitrary: valid },
    { weight: 5, arbitrary: oneHostile },
    { weight: 1, arbitrary: oneNull },
    { weight: 1, arbitrary: oneMissing },
    { weight: 1, arbitrary: hostileValue },
  );
}
