/**
 * A faster reading of the JSON bodies this service mostly receives (arrays of decimal numbers:
 * returns, prices, NAVs), with JSON.parse as the arbiter of everything else.
 *
 * V8's JSON.parse converts each decimal number through a general string-to-double routine: a
 * 1,000-return body (≈ 20 KB) takes ≈ 70 µs, a fifth of a POST /v1/var's CPU (issue 11). Here a
 * number whose digits form an integer m below 2^53 with a decimal exponent of at most 22 in size is
 * read as the exact integer m and scaled by an exact power of ten, `m / 10^k` or `m * 10^k`: one IEEE
 * operation on two exact doubles, so the result is the correctly rounded value of the decimal, the
 * double JSON.parse gives (Clinger's fast path, "How to read floating point numbers accurately",
 * 1990). Longer numbers are converted by Number(), which rounds as JSON.parse does.
 *
 * The reader accepts only a plain subset of JSON: ASCII strings without escapes or control
 * characters, no `__proto__` key. On anything else (an escape, a non-ASCII byte, a syntax error,
 * trailing bytes) it answers NOT_HANDLED and the caller uses JSON.parse, so results, error
 * messages and edge cases are JSON.parse's own; where it answers, the value equals JSON.parse's
 * (json-fast-path.spec.ts compares both on generated documents and mutations of them).
 * Nesting depth is bounded by the caller's scan (hostile-input.ts) before this runs.
 */
export const NOT_HANDLED: unique symbol = Symbol('json-fast-path: not handled');

const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

const TWO_POW_53 = 9007199254740992;
/** Exponent digits stop being accumulated here (any exponent this large takes the Number() path). */
const EXPONENT_CAP = 100_000;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/** Thrown inside the reader to leave it; never escapes this module. */
class Bail {}
const BAIL = new Bail();

const EMPTY = Buffer.alloc(0);
let buf: Buffer = EMPTY;
let pos = 0;
let end = 0;

/** The value of the JSON document in `bytes` (UTF-8), or NOT_HANDLED when JSON.parse must decide. */
export function parseJsonFast(bytes: Buffer): unknown {
  buf = bytes;
  pos = 0;
  end = bytes.length;
  try {
    skipSpace();
    const value = readValue();
    skipSpace();
    return pos === end ? value : NOT_HANDLED;
  } catch {
    // BAIL, or anything unforeseen (a stack overflow): JSON.parse decides.
    return NOT_HANDLED;
  } finally {
    buf = EMPTY;
    if (numbers.length > SCRATCH_KEPT) numbers = packedDoubles(SCRATCH_INITIAL);
  }
}

/** JSON's whitespace: space, line feed, carriage return, tab (not \v, \f, NBSP or a BOM). */
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function skipSpace(): void {
  const b = buf;
  let p = pos;
  while (p < end && isSpace(b[p])) p++;
  pos = p;
}

function readValue(): unknown {
  if (pos >= end) throw BAIL;
  const c = buf[pos];
  if (c === OPEN_ARRAY) return readArray();
  if (c === OPEN_OBJECT) return readObject();
  if (c === QUOTE) return readString();
  if (c === MINUS || (c >= ZERO && c <= NINE)) {
    readNumberInto(ONE, 0);
    return ONE[0];
  }
  if (c === 0x74) return literal('true', true); // t
  if (c === 0x66) return literal('false', false); // f
  if (c === 0x6e) return literal('null', null); // n
  throw BAIL;
}

function literal<T>(word: string, value: T): T {
  if (pos + word.length > end) throw BAIL;
  for (let k = 0; k < word.length; k++) if (buf[pos + k] !== word.charCodeAt(k)) throw BAIL;
  pos += word.length;
  return value;
}

/**
 * The numbers at the head of an array are written into this scratch, a JS array of doubles
 * (PACKED_DOUBLE_ELEMENTS: it only ever holds numbers and grows by push), and the array answered is
 * `numbers.slice(0, n)`: one copy at its final length, packed as JSON.parse's arrays are.
 * Pushing each number onto a new array instead boxed it (the reader returned a double) and copied
 * the array at every growth: ≈ 44 KB of garbage for 1,000 returns, against the 8 KB answered here;
 * an array made by `new Array(n)` is HOLEY, and reading a holey array's doubles boxes them again
 * (readNumericArray: 16 KB). `slice` answers a packed array while V8's array fast paths are on for
 * the process; code that puts an element on Object.prototype (even briefly) or redefines
 * Array.prototype.constructor turns them off for good, and slice then answers HOLEY arrays: the
 * same values, only the boxing comes back. The scratch is dropped after a parse that grew it past
 * SCRATCH_KEPT, so that one large body does not hold megabytes for the process's life.
 */
const SCRATCH_INITIAL = 1024;
const SCRATCH_KEPT = 65_536;
let numbers = packedDoubles(SCRATCH_INITIAL);
/** readNumberInto's one-element target when a number is read as a value (not at an array's head). */
const ONE = packedDoubles(1);

function packedDoubles(n: number): number[] {
  const a: number[] = [];
  for (let i = 0; i < n; i++) a.push(0.5);
  return a;
}

function readArray(): unknown[] {
  pos++; // [
  skipSpace();
  if (buf[pos] === CLOSE_ARRAY) {
    pos++;
    return [];
  }
  // While every element is a number (a body of returns): into the scratch, no value boxed.
  // Nothing in this loop reads another array, so the scratch is this call's alone until it is copied.
  let n = 0;
  for (;;) {
    let c = buf[pos];
    if (isSpace(c)) {
      skipSpace();
      c = buf[pos];
    }
    if (!(c === MINUS || (c >= ZERO && c <= NINE))) break; // another kind of value: the general loop below
    if (n === numbers.length) numbers.push(0.5);
    readNumberInto(numbers, n++);
    if (!nextElement()) return numbers.slice(0, n);
  }
  // The general case: the numbers read so far, then any values (nested arrays may use the scratch).
  const out: unknown[] = numbers.slice(0, n);
  for (;;) {
    skipSpace();
    out.push(readValue());
    if (!nextElement()) return out;
  }
}

/** After an array's element: true past a ',' (another element follows), false past the closing ']'. */
function nextElement(): boolean {
  let c = buf[pos++];
  if (isSpace(c)) {
    skipSpace();
    c = buf[pos++];
  }
  if (c === COMMA) return true;
  if (c === CLOSE_ARRAY) return false;
  throw BAIL;
}

function readObject(): Record<string, unknown> {
  pos++; // {
  const out: Record<string, unknown> = {};
  skipSpace();
  if (buf[pos] === CLOSE_OBJECT) {
    pos++;
    return out;
  }
  for (;;) {
    skipSpace();
    if (buf[pos] !== QUOTE) throw BAIL;
    const key = readString();
    // The one key whose assignment is not a plain data property (it sets the prototype).
    if (key === '__proto__') throw BAIL;
    skipSpace();
    if (buf[pos++] !== COLON) throw BAIL;
    skipSpace();
    out[key] = readValue();
    skipSpace();
    const c = buf[pos++];
    if (c === COMMA) continue;
    if (c === CLOSE_OBJECT) return out;
    throw BAIL;
  }
}

/** An ASCII string without escapes or control characters; anything else is JSON.parse's. */
function readString(): string {
  const start = ++pos;
  while (pos < end) {
    const c = buf[pos];
    if (c === QUOTE) {
      pos++;
      return buf.toString('latin1', start, pos - 1);
    }
    if (c === BACKSLASH || c < 0x20 || c >= 0x80) throw BAIL;
    pos++;
  }
  throw BAIL;
}

/**
 * A number's value written to `into[at]` (not returned: a returned double is boxed when the call is
 * not inlined). This is the common form, `-?(0|[1-9][0-9]*)(\.[0-9]+)?` with at most 22 decimals
 * and fewer than 2^53 in its digits, small enough for V8 to inline into readArray's loop; anything
 * else (an exponent, more digits, a syntax error) is read again from its start by readAnyNumberInto.
 */
function readNumberInto(into: number[], at: number): void {
  const b = buf;
  let p = pos;
  const negative = b[p] === MINUS;
  if (negative) p++;
  let mantissa = 0;
  let c = b[p];
  if (c === ZERO) c = b[++p];
  else if (c >= ZERO && c <= NINE) {
    do {
      mantissa = mantissa * 10 + (c - ZERO);
      c = b[++p];
    } while (c >= ZERO && c <= NINE);
  } else return readAnyNumberInto(into, at);
  let scale = 0;
  if (c === DOT) {
    c = b[++p];
    while (c >= ZERO && c <= NINE) {
      mantissa = mantissa * 10 + (c - ZERO);
      scale++;
      c = b[++p];
    }
  }
  // An exponent, a digit after a leading zero, a point without digits, or beyond the exact range.
  if (c === 0x65 || c === 0x45 || (c >= ZERO && c <= NINE) || b[p - 1] === DOT || mantissa >= TWO_POW_53 || scale > 22) {
    return readAnyNumberInto(into, at);
  }
  pos = p;
  // mantissa and 10^scale are exact doubles: one correctly rounded division (Clinger's fast path).
  const value = mantissa / POW10[scale];
  into[at] = negative ? -value : value;
}

/**
 * JSON's number grammar exactly: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, read from `pos`,
 * its value written to `into[at]`.
 */
function readAnyNumberInto(into: number[], at: number): void {
  // Locals, not the module's `buf` / `pos` (as in readNumberInto).
  const b = buf;
  const start = pos;
  let p = pos;
  let negative = false;
  if (b[p] === MINUS) {
    negative = true;
    p++;
  }
  // Every digit goes into mantissa; it is exact as long as it stays below 2^53, and once the
  // exact value reaches 2^53 the computed one does too (each step rounds monotonically), so the
  // test below sees it.
  let mantissa = 0;
  let c = b[p];
  if (c === ZERO) {
    c = b[++p];
    if (c >= ZERO && c <= NINE) throw BAIL; // a leading zero
  } else if (c >= ZERO && c <= NINE) {
    do {
      mantissa = mantissa * 10 + (c - ZERO);
      c = b[++p];
    } while (c >= ZERO && c <= NINE);
  } else {
    throw BAIL;
  }
  let scale = 0; // digits after the point
  if (c === DOT) {
    c = b[++p];
    if (!(c >= ZERO && c <= NINE)) throw BAIL;
    do {
      mantissa = mantissa * 10 + (c - ZERO);
      scale++;
      c = b[++p];
    } while (c >= ZERO && c <= NINE);
  }
  let exponent = 0;
  if (c === 0x65 || c === 0x45) {
    c = b[++p];
    let expNegative = false;
    if (c === MINUS || c === PLUS) {
      expNegative = c === MINUS;
      c = b[++p];
    }
    if (!(c >= ZERO && c <= NINE)) throw BAIL;
    do {
      // Capped (and the number then left to Number()): an exponent past the cap is not its value,
      // and a long fraction could otherwise bring `k` back into the fast range (0.000…01e1000000).
      if (exponent < EXPONENT_CAP) exponent = exponent * 10 + (c - ZERO);
      c = b[++p];
    } while (c >= ZERO && c <= NINE);
    if (expNegative) exponent = -exponent;
  }
  pos = p;
  const k = exponent - scale; // value = ±mantissa × 10^k
  let value: number;
  if (mantissa < TWO_POW_53 && k >= -22 && k <= 22 && exponent < EXPONENT_CAP && exponent > -EXPONENT_CAP) {
    // mantissa and 10^|k| are exact doubles: one correctly rounded operation.
    value = k < 0 ? mantissa / POW10[-k] : mantissa * POW10[k];
  } else {
    value = Number(b.toString('latin1', negative ? start + 1 : start, p));
  }
  into[at] = negative ? -value : value;
}
