import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from 'typescript';
import { NOT_HANDLED, parseJsonFast } from './json-fast-path';

/** Same value, same number bits (-0 is not 0), same key order, plain prototypes: what JSON.parse builds. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' || typeof b === 'number') return Object.is(a, b);
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, (b as unknown[])[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

const bytes = (s: string) => Buffer.from(s, 'utf8');

/** The fast path either declines or gives exactly what JSON.parse gives; it never accepts what JSON.parse refuses. */
function agreesWithJsonParse(text: string): 'handled' | 'declined' {
  const fast = parseJsonFast(bytes(text));
  if (fast === NOT_HANDLED) return 'declined';
  let expected: unknown;
  try {
    expected = JSON.parse(text);
  } catch (err) {
    throw new Error(`fast path accepted ${JSON.stringify(text)}, which JSON.parse refuses: ${(err as Error).message}`);
  }
  if (!same(fast, expected)) throw new Error(`fast path read ${JSON.stringify(text)} differently from JSON.parse`);
  return 'handled';
}

/** Decimal texts in JSON's number grammar, with the lengths and exponents that straddle the fast path's bounds. */
const decimalText = fc
  .tuple(
    fc.boolean(),
    fc.oneof(fc.constant('0'), fc.stringMatching(/^[1-9][0-9]{0,22}$/)),
    fc.option(fc.stringMatching(/^[0-9]{1,24}$/), { nil: undefined }),
    fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.stringMatching(/^[0-9]{1,4}$/)), { nil: undefined }),
  )
  .map(([neg, int, frac, exp]) => `${neg ? '-' : ''}${int}${frac === undefined ? '' : `.${frac}`}${exp === undefined ? '' : exp.join('')}`);

describe('parseJsonFast', () => {
  it('reads every number of JSON\'s grammar to the double JSON.parse gives, bit for bit', () => {
    let handled = 0;
    fc.assert(
      fc.property(decimalText, (text) => {
        if (agreesWithJsonParse(text) === 'handled') handled++;
        // Inside an array too (the path a body of returns takes).
        agreesWithJsonParse(`[${text},${text}]`);
      }),
      { numRuns: 20_000 },
    );
    expect(handled).toBe(20_000); // a number alone is never declined: short ones by the fast path, long ones through Number()
  });

  it('reads numbers at the edges of the fast path as JSON.parse does', () => {
    const zeros = (n: number) => '0'.repeat(n);
    for (const text of [
      // The mantissa bound: 2^53 - 1 is exact, 2^53 + 1 is not a double (it must round, not be read as 2^53).
      '9007199254740991', '9007199254740992', '9007199254740993', '9007199254740993e-16', '9007199254740991e-16', '-9007199254740993e-22',
      '900719925474099.3', '0.9007199254740993', '18014398509481985e-5',
      // The exponent range: 10^22 is the largest exact power of ten, 10^23 is not.
      '1e22', '1e23', '1e-22', '1e-23', '123456789e22', '123456789e-30',
      // Exponents too large to accumulate, with fractions long enough to bring `k` back into range.
      `0.${zeros(99_999)}1e1000000`, `-0.${zeros(99_999)}1e1000000`, `[0.${zeros(99_999)}5e1000000]`, `1${zeros(99_999)}e-1000000`,
      `0.${zeros(99_995)}1e100000`, `1e${'9'.repeat(30)}`, `1e-${'9'.repeat(30)}`, '0e999999', '1e400', '-1e-400',
      // Decimals without an exponent around the 22 that 10^k can take exactly (the inlined form's bound).
      `0.${zeros(21)}1`, `0.${zeros(22)}1`, `-0.${zeros(22)}123`, `0.${zeros(30)}7`, `12.${zeros(20)}34`,
    ]) {
      for (const doc of [text, `[${text},${text}]`]) {
        expect([doc.slice(0, 40), same(parseJsonFast(bytes(doc)), JSON.parse(doc))]).toEqual([doc.slice(0, 40), true]);
      }
    }
  });

  it('reads the shortest decimal of any double back to the same double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(parseJsonFast(bytes(JSON.stringify(x)))).toBe(JSON.parse(JSON.stringify(x)));
        expect(Object.is(parseJsonFast(bytes(JSON.stringify([x]))) && (parseJsonFast(bytes(JSON.stringify([x]))) as number[])[0], JSON.parse(JSON.stringify(x)))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('agrees with JSON.parse on any JSON document, in any layout, or declines it', () => {
    let handled = 0;
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 1, 2, '\t', ' \r\n'), (v, space) => {
        if (agreesWithJsonParse(JSON.stringify(v, null, space)) === 'handled') handled++;
      }),
      { numRuns: 5_000 },
    );
    expect(handled).toBeGreaterThan(1_000); // ASCII documents without escapes are the fast path's, and fc.jsonValue makes many
  });

  it('never accepts a broken document: mutations of valid JSON are declined or read as JSON.parse reads them', () => {
    const alphabet = fc.constantFrom(...'[]{}",:0123456789-+.eE \t\n\rtruefalsnul\\\u0000é'.split(''));
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), fc.array(fc.tuple(fc.nat(), fc.nat(2), alphabet), { minLength: 1, maxLength: 4 }), (v, edits) => {
        let text = JSON.stringify(v);
        for (const [at, kind, ch] of edits) {
          const i = text.length === 0 ? 0 : at % (text.length + 1);
          text = kind === 0 ? text.slice(0, i) + ch + text.slice(i) : kind === 1 ? text.slice(0, i) + text.slice(i + 1) : text.slice(0, i) + ch + text.slice(i + 1);
        }
        agreesWithJsonParse(text);
      }),
      { numRuns: 20_000 },
    );
  });

  it('reads a body of returns and declines what only JSON.parse should decide', () => {
    const body = { returns: [0.012345, -0.000001, -0, 1e-7, 2.5e3, 123456789012345680000], confidence: 99, portfolio_value: '1000000' };
    const read = parseJsonFast(bytes(JSON.stringify(body)));
    expect(read).not.toBe(NOT_HANDLED);
    expect(same(read, JSON.parse(JSON.stringify(body)))).toBe(true);
    expect(Object.is((read as { returns: number[] }).returns[2], 0)).toBe(true); // JSON.stringify(-0) is "0"
    expect(Object.is(parseJsonFast(bytes('-0')), -0)).toBe(true);
    for (const text of [
      '{"__proto__":{"admin":true}}', // would set the prototype: JSON.parse makes it an own key, and the caller refuses it
      '{"name":"caf\\u00e9"}', // escapes
      '{"name":"café"}', // non-ASCII
      '"a\u0000b"', // a control character
      '\ufeff[1]', // a byte order mark
      '[01]', '[1.]', '[.5]', '[1e]', '[+1]', '[1,]', '[,1]', '{"a":1,}', '{"a" 1}', '[1] x', '', ' ', 'tru', 'nul',
    ]) {
      expect([text, parseJsonFast(bytes(text))]).toEqual([text, NOT_HANDLED]);
    }
  });

  it('reads arrays of numbers of any length, numbers followed by other values, and numbers nested in them', () => {
    // The numbers at the head of an array go through a scratch buffer that grows (from 1,024) and
    // is copied before any other value is read: lengths across its growth, tails of other values,
    // nested arrays of numbers that reuse the scratch while the outer array is being read.
    // (Values the fast path reads: plain ASCII strings, no escapes.)
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
    const other = fc.oneof(fc.boolean(), fc.constant(null), fc.stringMatching(/^[a-z ]{0,8}$/), fc.array(finite, { maxLength: 50 }), fc.dictionary(fc.stringMatching(/^[a-z]{1,5}$/), finite));
    fc.assert(
      fc.property(fc.array(finite, { maxLength: 3_000 }), fc.array(other, { maxLength: 4 }), fc.array(finite, { maxLength: 20 }), (head, tail, after) => {
        expect(agreesWithJsonParse(JSON.stringify([...head, ...tail, ...after]))).toBe('handled');
        expect(agreesWithJsonParse(JSON.stringify({ a: [head, tail], b: head }))).toBe('handled');
      }),
      { numRuns: 300 },
    );
    // Past the size kept between parses (65,536), then a small body: both read as JSON.parse reads them.
    const big = Array.from({ length: 100_000 }, (_, i) => (i % 7 === 0 ? -i / 1e6 : i / 3));
    expect(agreesWithJsonParse(JSON.stringify({ returns: big }))).toBe('handled');
    expect(agreesWithJsonParse('[1, 2.5 ,-0 , 3e-5]')).toBe('handled');
    // A parse that bails in the middle of a numeric array leaves nothing behind for the next one.
    expect(parseJsonFast(bytes('[1,2,3,4x]'))).toBe(NOT_HANDLED);
    expect(same(parseJsonFast(bytes('[5,6]')), [5, 6])).toBe(true);
  });

  it('answers an array of numbers packed, with its doubles unboxed (what readNumericArray reads without allocating)', () => {
    // V8's own view of the arrays answered (natives syntax), in a process of its own as the service
    // runs: a HOLEY array (new Array(n) filled in a loop) would pass every value test above, and box
    // each double again when read. Not in this Jest process: an earlier test file that puts an
    // element on Object.prototype (and deletes it) or redefines Array.prototype.constructor turns
    // off V8's array fast paths for the whole isolate, and slice then answers HOLEY arrays.
    const dir = mkdtempSync(join(tmpdir(), 'json-fast-path-'));
    try {
      const source = readFileSync(join(__dirname, 'json-fast-path.ts'), 'utf8');
      writeFileSync(join(dir, 'json-fast-path.js'), ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText);
      writeFileSync(
        join(dir, 'probe.js'),
        `const { parseJsonFast } = require('./json-fast-path.js');
         const texts = ['[0.5,-0.25,3]', '{"returns":[1,2,3]}', JSON.stringify(Array.from({ length: 70000 }, (_, i) => i / 7)), '[1.5, 2.5]', '[[1.5,2],[3]]'];
         const out = [];
         for (let round = 0; round < 3; round++) for (const text of texts) {
           const read = parseJsonFast(Buffer.from(text));
           const arrays = Array.isArray(read) ? (Array.isArray(read[0]) ? read : [read]) : [read.returns];
           for (const a of arrays) out.push([text.slice(0, 20), %HasHoleyElements(a), %HasDoubleElements(a)]);
         }
         console.log(JSON.stringify(out));`,
      );
      const seen = JSON.parse(execFileSync(process.execPath, ['--allow-natives-syntax', join(dir, 'probe.js')], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } })) as Array<[string, boolean, boolean]>;
      expect(seen).toHaveLength(18);
      for (const [text, holey, doubles] of seen) expect([text, holey, doubles]).toEqual([text, false, true]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('declines a document nested too deep for its recursion instead of throwing', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    expect(parseJsonFast(bytes(deep))).toBe(NOT_HANDLED);
    expect(same(parseJsonFast(bytes('[[[1]]]')), [[[1]]])).toBe(true); // and is usable afterwards
  });
});
