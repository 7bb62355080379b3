import Big from 'big.js';
import { ValueTransformer } from 'typeorm';

/**
 * Money (numeric) ⇄ decimal text. Written values are checked with big.js and normalised (no
 * exponent, no float ever); read values are PostgreSQL's own exact numeric text, kept as is
 * (numeric keeps the scale it was given: '600000.00' comes back as '600000.00').
 */
export const decimalText: ValueTransformer = {
  to: (v: string | null | undefined) => (v === null || v === undefined ? v : normaliseDecimal(v)),
  from: (v: string | null) => v,
};

/** A statistic stored as numeric (pg returns numeric as text) ⇄ a JS number. */
export const numericNumber: ValueTransformer = {
  to: (v: number | string | null | undefined) => v,
  from: (v: string | number | null) => (v === null ? null : Number(v)),
};

const PLAIN = /^-?\d+(\.\d+)?$/;

/**
 * A decimal amount as PostgreSQL numeric text: '100.10' stays '100.10' (its scale is kept),
 * '1.5e3' → '1500', ' +7 ' → '7'. Anything that is not a finite decimal throws a TypeError.
 */
export function normaliseDecimal(v: string): string {
  if (typeof v !== 'string') throw new TypeError(`a decimal amount must be a string, got ${typeof v}`);
  const text = v.trim().replace(/^\+/, '');
  let value: Big;
  try {
    value = new Big(text);
  } catch {
    throw new TypeError(`not a decimal amount: ${JSON.stringify(v)}`);
  }
  return PLAIN.test(text) ? text : value.toFixed();
}
