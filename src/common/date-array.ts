import { registerDecorator, ValidationArguments } from 'class-validator';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date written YYYY-MM-DD (2024-02-30 is not one). */
export function isIsoDate(v: unknown): v is string {
  if (typeof v !== 'string' || !ISO_DATE.test(v)) return false;
  const t = Date.parse(`${v}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().startsWith(v);
}

/** The first problem of a dates array, or null: "dates[3] must be a YYYY-MM-DD calendar date (got "2024-13-01")". */
function problemOf(value: unknown, field: string): string | null {
  if (!Array.isArray(value)) return `${field} must be an array of YYYY-MM-DD dates`;
  for (let i = 0; i < value.length; i++) {
    if (!isIsoDate(value[i])) return `${field}[${i}] must be a YYYY-MM-DD calendar date (got ${JSON.stringify(value[i]) ?? 'undefined'})`;
  }
  return null;
}

/**
 * class-validator: an array of YYYY-MM-DD calendar dates (labels of a series, one per point), checked
 * in one pass (per-element decorators are slow on a million values); the message names the first
 * bad element. Lengths are the use case's to check (they depend on the series).
 */
export function IsIsoDateArray(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isIsoDateArray',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown, args?: ValidationArguments) => problemOf(value, args?.property ?? String(propertyName)) === null,
        defaultMessage: (args?: ValidationArguments) => problemOf(args?.value, args?.property ?? String(propertyName)) ?? '',
      },
    });
}
