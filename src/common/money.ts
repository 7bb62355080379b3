import Big from 'big.js';
import { registerDecorator, ValidationArguments } from 'class-validator';
import { ValidationError } from './errors';

/**
 * Money is decimal text, computed with big.js and answered rounded to cents, half-even.
 *
 * The grammar is strict, so that nothing big.js would throw on, nor anything a PostgreSQL numeric
 * cannot hold, gets past it: an optional `-`, digits with an optional fraction (`12`, `12.5`,
 * `.5`, `12.`), an optional exponent; no `+` sign, no spaces inside, at most 40 digits before the
 * exponent and 4 in it. The amount itself must be below 10^18 in absolute value with at most 20
 * decimal places.
 */
const DECIMAL = /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,4})?$/;
const MAX_MANTISSA_DIGITS = 40;
const MAX_DECIMAL_PLACES = 20;
const LIMIT = new Big('1e18');
const ROUND_HALF_EVEN = 2;

/** Why `text` is not a money amount, or null when it is one. */
export function decimalProblem(text: string): string | null {
  const m = DECIMAL.exec(text);
  if (!m) return 'must be a decimal amount, e.g. "1000000.00" (digits, an optional "-" and decimal point; no "+")';
  if (m[1].replace('.', '').length > MAX_MANTISSA_DIGITS) return `must have at most ${MAX_MANTISSA_DIGITS} digits`;
  const amount = new Big(text);
  if (amount.abs().gte(LIMIT)) return 'must be less than 10^18 in absolute value';
  // big.js keeps the digits c and the exponent e of c[0]: the places after the point are c.length - 1 - e.
  const places = (amount as unknown as { c: number[]; e: number }).c.length - 1 - (amount as unknown as { e: number }).e;
  if (places > MAX_DECIMAL_PLACES) return `must have at most ${MAX_DECIMAL_PLACES} decimal places`;
  return null;
}

/**
 * Parses a money amount given as a decimal string or a JSON number. A number is read
 * through its shortest round-trip text (String(n)), which is the literal the client
 * wrote for any amount of up to 15 significant digits; send strings for more.
 */
export function parseMoney(value: unknown, field: string, opts: { positive?: boolean; nonNegative?: boolean } = {}): Big {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ValidationError(`${field} must be a finite decimal amount`);
    text = String(value);
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    throw new ValidationError(`${field} must be a decimal amount (string or number), e.g. "1000000.00"`);
  }
  const problem = decimalProblem(text);
  if (problem) throw new ValidationError(`${field} ${problem} (got ${describe(value)})`);
  const amount = new Big(text);
  if (opts.positive && amount.lte(0)) throw new ValidationError(`${field} must be greater than 0`);
  if (opts.nonNegative && amount.lt(0)) throw new ValidationError(`${field} must not be negative`);
  return amount;
}

/** The value as an error message may quote it: short, JSON-escaped. */
function describe(value: unknown): string {
  const text = typeof value === 'string' && value.length > 40 ? `${value.slice(0, 40)}… (${value.length} characters)` : value;
  return JSON.stringify(text);
}

/** Money as the wire wants it: a string with exactly 2 decimals, ROUND_HALF_EVEN. */
export function formatMoney(amount: Big): string {
  const s = amount.round(2, ROUND_HALF_EVEN).toFixed(2);
  return s === '-0.00' ? '0.00' : s;
}

/** `ratio × amount` in decimal arithmetic (the float ratio enters through its shortest text). */
export function scaleMoney(ratio: number, amount: Big): Big {
  if (!Number.isFinite(ratio)) throw new Error(`cannot scale money by ${ratio}`);
  return new Big(ratio).times(amount);
}

const ROUND_HALF_UP = 1;
/** 10^k as a BigInt, k < 128 (a money amount has at most 40 digits and |exponent| < 10^4 is refused far earlier). */
const POW10: bigint[] = Array.from({ length: 128 }, (_, k) => 10n ** BigInt(k));

/**
 * `Number(a.div(b))` with big.js's own settings (Big.DP decimal places, Big.RM = half-up), to the
 * bit, in integer arithmetic: the quotient's Big.DP-place rounding is done on BigInts and the
 * decimal text parsed once, about 10× faster than big.js's digit-by-digit long division (ten of
 * them were ≈ 25 µs of a pre-trade check). Outside the plain case (another rounding mode, a
 * quotient that rounds to 0, exponents past the table) it is big.js's division itself.
 */
export function ratioOf(a: Big, b: Big): number {
  const dp = Big.DP;
  const bc = b.c;
  if (Big.RM !== ROUND_HALF_UP || (bc.length === 1 && bc[0] === 0)) return Number(a.div(b));
  const ac = a.c;
  // value = coefficient (the digits as an integer) × 10^(e − digits + 1)
  const p = a.e - ac.length + 1 - (b.e - bc.length + 1) + dp;
  if (p <= -POW10.length || p >= POW10.length || dp >= POW10.length) return Number(a.div(b));
  let n = coefficientOf(a);
  let d = coefficientOf(b);
  if (p >= 0) n *= POW10[p];
  else d *= POW10[-p];
  let q = n / d;
  if ((n - q * d) * 2n >= d) q += 1n;
  if (q === 0n) return Number(a.div(b));
  return Number(`${a.s * b.s < 0 ? '-' : ''}${q}e-${dp}`);
}

/**
 * The digits of a Big as an integer, kept per digit array: a book's held values are weighed on every
 * check. big.js gives each result a new array and never writes a value's digits afterwards.
 */
const coefficients = new WeakMap<number[], bigint>();
function coefficientOf(x: Big): bigint {
  let c = coefficients.get(x.c);
  if (c === undefined) {
    c = BigInt(x.c.join(''));
    coefficients.set(x.c, c);
  }
  return c;
}

/** class-validator: a decimal amount given as a string or a finite JSON number (sign rules are the use case's). */
export function IsDecimalAmount(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isDecimalAmount',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) =>
          (typeof value === 'number' && Number.isFinite(value) && decimalProblem(String(value)) === null) ||
          (typeof value === 'string' && decimalProblem(value.trim()) === null),
        defaultMessage: (args?: ValidationArguments) => {
          const v: unknown = args?.value;
          const text = typeof v === 'string' ? v.trim() : typeof v === 'number' && Number.isFinite(v) ? String(v) : null;
          const problem = text === null ? null : decimalProblem(text);
          return `${args?.property} ${problem ?? 'must be a decimal amount (string or number), e.g. "1000000.00"'}`;
        },
      },
    });
}
