import { ValidationError } from './errors';
import { NOT_HANDLED, parseJsonFast } from './json-fast-path';

/**
 * One layer for untrusted JSON, REST bodies and NATS payloads alike (api.md Hardening):
 * - nesting deeper than MAX_JSON_DEPTH levels is refused by a scan of the bytes before they are
 *   parsed (linear, no recursion, nothing allocated), so a 2,000- or 10,000,000-deep body costs a
 *   pass over its bytes, not a parse and a stack overflow later;
 * - every string, keys included, must be free of NUL characters and lone surrogates (PostgreSQL
 *   text cannot hold NUL; a lone surrogate is not Unicode text);
 * - `__proto__` keys and `constructor.prototype` are refused (prototype poisoning), as Fastify's
 *   own JSON parser does.
 * Problems are 400 INVALID_INPUT naming the field (`name`, `[2].asset_id`).
 */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/** True when the JSON text nests arrays / objects more than `max` levels deep (brackets inside strings do not count). */
export function nestsDeeperThan(bytes: Uint8Array, max = MAX_JSON_DEPTH): boolean {
  const buf = asBuffer(bytes);
  if (opensAtMost(buf, max)) return false;
  let depth = 0;
  for (let i = 0, n = buf.length; i < n; i++) {
    const c = buf[i];
    if (c === QUOTE) {
      // Jump to the closing quote: the next quote not escaped by an odd run of backslashes.
      for (;;) {
        i = buf.indexOf(QUOTE, i + 1);
        if (i < 0) return false; // unterminated: JSON.parse reports it
        let backslashes = 0;
        for (let k = i - 1; buf[k] === BACKSLASH; k--) backslashes++;
        if ((backslashes & 1) === 0) break;
      }
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > max) return true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
    }
  }
  return false;
}

/** The same bytes as a Buffer (a view, not a copy): NATS payloads are plain Uint8Arrays. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * True when the bytes hold at most `max` opening brackets in all (inside strings or not): they
 * cannot nest deeper. A few native searches (memchr) instead of a JavaScript loop over every byte,
 * which is most bodies (a 1,000-number array has one `[`; issue 11).
 */
function opensAtMost(buf: Buffer, max: number): boolean {
  let n = 0;
  for (const open of [OPEN_ARRAY, OPEN_OBJECT]) {
    for (let i = buf.indexOf(open); i >= 0; i = buf.indexOf(open, i + 1)) if (++n > max) return false;
  }
  return true;
}

/** Why a string may not be stored or processed, or null when it is fine. */
export function textProblem(s: string): string | null {
  if (s.indexOf('\u0000') >= 0) return 'must not contain NUL characters (\\u0000)';
  if (!(s as unknown as { isWellFormed(): boolean }).isWellFormed()) return 'must be well-formed Unicode text (it contains a lone surrogate)';
  return null;
}

/** A JSON value's location, kept as a parent chain so that a path is only built for an error. */
interface Frame {
  value: unknown;
  parent: Frame | null;
  key: string | number | null;
}

function pathOf(frame: Frame | null, key: string | number | null): string {
  const parts: Array<string | number> = [];
  if (key !== null) parts.push(key);
  for (let f = frame; f && f.key !== null; f = f.parent) parts.push(f.key);
  let out = '';
  for (let i = parts.length - 1; i >= 0; i--) {
    const p = parts[i];
    out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  }
  return out;
}

/**
 * Checks every string (and key) of a parsed JSON value, iteratively. `label` names the root when a
 * problem is at the top level (e.g. "body"). Throws one ValidationError listing up to 20 problems.
 */
export function checkJsonStrings(root: unknown, label: string): void {
  const problems: string[] = [];
  const report = (where: string, what: string) => {
    if (problems.length < 20) problems.push(`${where || label} ${what}`);
  };
  const stack: Frame[] = [{ value: root, parent: null, key: null }];
  if (typeof root === 'string') {
    const p = textProblem(root);
    if (p) report('', p);
  }
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const v = frame.value;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const item = v[i];
        if (typeof item === 'string') {
          const p = textProblem(item);
          if (p) report(pathOf(frame, i), p);
        } else if (item !== null && typeof item === 'object') {
          stack.push({ value: item, parent: frame, key: i });
        }
      }
    } else if (v !== null && typeof v === 'object') {
      for (const key of Object.keys(v)) {
        const keyProblem = textProblem(key);
        if (keyProblem) report(pathOf(frame, null) || label, `has a field name that ${keyProblem}`);
        if (key === '__proto__') report(pathOf(frame, null) || label, 'must not have a field named __proto__');
        const item = (v as Record<string, unknown>)[key];
        if (key === 'constructor' && item !== null && typeof item === 'object' && Object.hasOwn(item, 'prototype')) {
          report(pathOf(frame, key), 'must not have a field named prototype');
        }
        if (typeof item === 'string') {
          const p = textProblem(item);
          if (p) report(pathOf(frame, key), p);
        } else if (item !== null && typeof item === 'object') {
          stack.push({ value: item, parent: frame, key });
        }
      }
    }
  }
  if (problems.length > 0) throw new ValidationError(problems);
}

/**
 * Parses untrusted JSON bytes under the rules above. `label` names the input in messages ("body",
 * "payload").
 */
export function parseUntrustedJson(bytes: Uint8Array, label: string): unknown {
  const buf = asBuffer(bytes);
  if (nestsDeeperThan(buf)) throw new ValidationError(`${label} is nested more than ${MAX_JSON_DEPTH} levels deep`);
  // Numeric bodies are read by the fast path; JSON.parse has the last word on anything else.
  let value = parseJsonFast(buf);
  if (value === NOT_HANDLED) {
    try {
      value = JSON.parse(buf.toString('utf8'));
    } catch (err) {
      throw new ValidationError(`${label} is not valid JSON: ${(err as Error).message}`);
    }
  }
  checkJsonStrings(value, label);
  return value;
}

/** Path parameters and query strings: every value must be clean text too (`id`, `since`). */
export function checkRequestText(values: unknown): void {
  if (!values || typeof values !== 'object') return;
  const problems: string[] = [];
  for (const [key, raw] of Object.entries(values as Record<string, unknown>)) {
    for (const v of Array.isArray(raw) ? raw : [raw]) {
      if (typeof v !== 'string') continue;
      const p = textProblem(key) ?? textProblem(v);
      if (p) {
        problems.push(`${textProblem(key) ? 'a parameter name' : key} ${p}`);
        break;
      }
    }
  }
  if (problems.length > 0) throw new ValidationError(problems);
}

/**
 * `null` for a field is the field left out (api.md: null for an optional field is absent): removes
 * null-valued properties of plain objects, at every level. Array elements are kept (an element is
 * not a field). Never mutates: a changed object or array is a copy; an unchanged one is returned as is.
 */
export function nullFieldsAsAbsent(value: unknown): unknown {
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (item === null || typeof item !== 'object') continue;
      const cleaned = nullFieldsAsAbsent(item);
      if (cleaned !== item) (copy ??= value.slice())[i] = cleaned;
    }
    return copy ?? value;
  }
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value;
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null) {
      changed = true;
      continue;
    }
    const cleaned = nullFieldsAsAbsent(v);
    if (cleaned !== v) changed = true;
    out[k] = cleaned;
  }
  return changed ? out : value;
}
