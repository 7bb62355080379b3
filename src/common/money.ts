import Big from 'big.js';
import { registerDecorator, ValidationArguments } from 'class-validator';
import { ValidationError } from './errors';

/** Money is decimal text, computed with big.js and answered rounded to cents, half-even. */
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const ROUND_HALF_EVEN = 2;

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
  if (!DECIMAL.test(text)) throw new ValidationError(`${field} must be a decimal amount, e.g. "1000000.00" (got ${JSON.stringify(value)})`);
  const amount = new Big(text);
  if (opts.positive && amount.lte(0)) throw new ValidationError(`${field} must be greater than 0`);
  if (opts.nonNegative && amount.lt(0)) throw new ValidationError(`${field} must not be negative`);
  return amount;
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

/** class-validator: a decimal amount given as a string or a finite JSON number (sign rules are the use case's). */
export function IsDecimalAmount(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isDecimalAmount',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) =>
          (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && DECIMAL.test(value.trim())),
        defaultMessage: (args?: ValidationArguments) => `${args?.property} must be a decimal amount (string or number), e.g. "1000000.00"`,
      },
    });
}
