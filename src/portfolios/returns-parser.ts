import { CsvBody } from '../common/csv-body';
import { ValidationError } from '../common/errors';

/** What a batch holds: returns (fractions, the default) or closing prices (?input=prices). */
export type IngestInput = 'returns' | 'prices';
export const INGEST_INPUTS: readonly IngestInput[] = ['returns', 'prices'];

/** One value of a batch: a return or a close, as received, with where it was in the body. */
export interface ParsedValue {
  date: string;
  /** The number's text as received (exponents allowed): a return is stored exactly as sent. */
  text: string;
  /** CSV: the 1-based line (header = line 1); JSON: the 0-based array index. */
  position: number;
}

/** A narrow batch (one asset): its values, and how a position is named in messages (`line 3`, `[2]`). */
export interface ParsedBatch {
  values: ParsedValue[];
  label: (position: number) => string;
}

/** A JSON number, with at most 40 digits before the exponent and 3 in it, so that PostgreSQL's numeric holds it exactly. */
const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d{1,3})?$/;
const MAX_DIGITS = 40;
/** A simple return above this (+100,000,000 %) is not a return but a unit mistake. */
export const MAX_RETURN = 1e6;
/** The largest close accepted with ?input=prices (a price beyond it is a unit or parsing mistake). */
export const MAX_PRICE = 1e15;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
export const MAX_ROWS = 1_000_000;
const MAX_REPORTED = 50;
/** Reading stops after this many bad rows: the batch is refused whatever follows (garbage costs little). */
const MAX_PROBLEMS = 1000;
/** |return| above this is refused unless ?allow_extreme=true (docs/api.md "Ingestion"). */
export const PLAUSIBLE_RETURN = 0.5;

/** The narrow column of each input, in CSV headers, JSON rows and messages. */
export const COLUMN: Record<IngestInput, 'return_pct' | 'price'> = { returns: 'return_pct', prices: 'price' };

export function checkDate(v: unknown): string | null {
  if (typeof v !== 'string') return 'date must be a YYYY-MM-DD string';
  const m = ISO_DATE.exec(v.trim());
  if (!m) return `date must be YYYY-MM-DD (got ${JSON.stringify(v)})`;
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return `date ${v} is not a calendar date`;
  return null;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * A value's text checked as `name`: a number in JSON form, finite; a return > −1 (a simple return
 * as a fraction), a close > 0. With `allowExtreme` false a return beyond ±0.5 is refused too.
 */
export function checkValue(text: string, name: string, input: IngestInput, allowExtreme: boolean): string | null {
  const shown = text.length > 40 ? JSON.stringify(`${text.slice(0, 40)}…`) : text;
  const m = JSON_NUMBER.exec(text);
  if (!m) return `${name} must be a number (got ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)})`;
  // Digits capped (a 10⁵-digit number is refused, not parsed), then magnitude.
  if (m[1].length + (m[2]?.length ?? 1) - 1 > MAX_DIGITS) return `${name} must have at most ${MAX_DIGITS} digits (got ${text.length} characters)`;
  const v = Number(text);
  if (!Number.isFinite(v)) return `${name} must be finite (got ${shown})`;
  if (input === 'prices') return !(v > 0) ? `${name} must be a close greater than 0 (got ${shown})` : v > MAX_PRICE ? `${name} must be a close of at most ${MAX_PRICE} (got ${shown})` : null;
  if (!(v > -1)) return `${name} must be greater than -1, a simple return as a fraction (got ${shown})`;
  if (v > MAX_RETURN) return `${name} must be at most ${MAX_RETURN} (a fraction: 0.012 means 1.2 %) (got ${shown})`;
  return allowExtreme ? null : implausible(`${name} ${text}`, v);
}

/**
 * The plausibility guard: a return beyond ±0.5 is most often a percentage sent as a fraction.
 * Answers the message naming `what`, or null.
 */
export function implausible(what: string, r: number): string | null {
  if (Math.abs(r) <= PLAUSIBLE_RETURN) return null;
  const percent = Number((r * 100).toPrecision(6));
  return (
    `${what} is a move of ${percent > 0 ? '+' : ''}${percent} %, beyond ±${PLAUSIBLE_RETURN}: returns are fractions ` +
    `(0.012 means 1.2 %); send ?allow_extreme=true if the move is real`
  );
}

/** Collects problems per row; throws one 400 naming every bad row (nothing is written). */
export class Problems {
  readonly list: string[] = [];
  private count = 0;
  add(where: string, msg: string) {
    if (++this.count <= MAX_REPORTED) this.list.push(`${where}: ${msg}`);
    if (this.count >= MAX_PROBLEMS) {
      throw new ValidationError([...this.list, `… and ${this.count - MAX_REPORTED} more problems: reading stopped at ${where} after ${MAX_PROBLEMS} problems (the batch is refused whatever follows)`]);
    }
  }
  throwIfAny() {
    if (this.count > MAX_REPORTED) this.list.push(`… and ${this.count - MAX_REPORTED} more problems`);
    if (this.count) throw new ValidationError(this.list);
  }
}

/**
 * Finds repeated dates as rows arrive: a repeat is named with the line (or index) of the first.
 * Keyed by the date's number (YYYYMMDD) and holding the first row's position as a number, so a
 * million rows cost no strings (and no long garbage-collection pauses).
 */
export class DuplicateDates {
  private readonly seen = new Map<number, number>();
  constructor(
    private readonly problems: Problems,
    private readonly label: (position: number) => string,
  ) {}
  check(date: string, position: number) {
    const key = Number(date.slice(0, 4) + date.slice(5, 7) + date.slice(8, 10));
    const prev = this.seen.get(key);
    if (prev !== undefined) this.problems.add(this.label(position), `date ${date} repeats ${this.label(prev)}`);
    else this.seen.set(key, position);
  }
}

/** Rows validated between two turns of the event loop (a million rows never hold it for long). */
const ROWS_PER_TURN = 20_000;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const indexLabel = (i: number) => `[${i}]`;
export const lineLabel = (line: number) => `line ${line}`;

/**
 * JSON body: `[{ "date": "2024-01-02", "return_pct": 0.0012 }]` (or `"price"` for closes); errors
 * name `[i]` (0-based).
 */
export async function parseJsonBatch(body: unknown, input: IngestInput, allowExtreme: boolean): Promise<ParsedBatch> {
  const column = COLUMN[input];
  if (!Array.isArray(body)) throw new ValidationError(`body must be a JSON array of { "date", "${column}" } (or text/csv with header date,${column})`);
  if (body.length === 0) throw new ValidationError('body must contain at least one row');
  if (body.length > MAX_ROWS) throw new ValidationError(`at most ${MAX_ROWS} rows per request`);
  const problems = new Problems();
  const duplicates = new DuplicateDates(problems, indexLabel);
  const values: ParsedValue[] = [];
  for (let i = 0; i < body.length; i++) {
    if (i > 0 && i % ROWS_PER_TURN === 0) await nextTurn();
    const row: unknown = body[i];
    const where = indexLabel(i);
    if (!row || typeof row !== 'object' || Array.isArray(row)) {
      problems.add(where, `must be an object { "date", "${column}" }`);
      continue;
    }
    const r = row as Record<string, unknown>;
    const extra = Object.keys(r).filter((k) => k !== 'date' && k !== column);
    if (extra.length) problems.add(where, `unknown field ${extra.join(', ')}${input === 'returns' && extra.includes('price') ? ' (closes: send ?input=prices)' : ''}`);
    const dateProblem = checkDate(r.date);
    if (dateProblem) problems.add(where, dateProblem);
    const raw = r[column];
    let text: string | null = null;
    if (typeof raw === 'number') text = Number.isFinite(raw) ? String(raw) : 'NaN';
    else if (typeof raw === 'string') text = raw.trim();
    const valueProblem = text === null ? `${column} must be a number` : checkValue(text, column, input, allowExtreme);
    if (valueProblem) problems.add(where, valueProblem);
    if (!dateProblem) duplicates.check(String(r.date).trim(), i);
    if (!dateProblem && !valueProblem) values.push({ date: String(r.date).trim(), text: text!, position: i });
  }
  problems.throwIfAny();
  return { values, label: indexLabel };
}

/**
 * text/csv with header `date,return_pct` (or `date,price`), read as it streams in; errors name
 * `line N` (1-based, the header is line 1). A wrong header is refused at once, and reading stops
 * at the first row over the cap: neither reads the rest of the body.
 */
export async function parseCsvBatch(body: CsvBody, input: IngestInput, allowExtreme: boolean): Promise<ParsedBatch> {
  const column = COLUMN[input];
  const problems = new Problems();
  const duplicates = new DuplicateDates(problems, lineLabel);
  const values: ParsedValue[] = [];
  let header = false;
  let count = 0;
  for await (const batch of body.batches()) {
    for (const { fields, line } of batch) {
      if (fields.length === 1 && fields[0] === '') continue; // an empty line
      if (!header) {
        const names = fields.map((h) => h.toLowerCase());
        if (names.length !== 2 || names[0] !== 'date' || names[1] !== column) {
          const hint =
            names.length > 2 && names[0] === 'date' ? ' (several assets in columns: PUT /v1/returns)' : input === 'returns' && names[1] === 'price' ? ' (closes: add ?input=prices)' : '';
          throw new ValidationError(`line ${line}: the header must be date,${column} (got ${JSON.stringify(fields.join(',').slice(0, 100))})${hint}`);
        }
        header = true;
        continue;
      }
      if (++count > MAX_ROWS) throw new ValidationError(`at most ${MAX_ROWS} rows per request`);
      const where = lineLabel(line);
      if (fields.length !== 2) {
        problems.add(where, `expected 2 fields (date,${column}), got ${fields.length}`);
        continue;
      }
      const dateProblem = checkDate(fields[0]);
      const valueProblem = checkValue(fields[1], column, input, allowExtreme);
      if (dateProblem) problems.add(where, dateProblem);
      if (valueProblem) problems.add(where, valueProblem);
      if (!dateProblem) duplicates.check(fields[0], line);
      if (!dateProblem && !valueProblem) values.push({ date: fields[0], text: fields[1], position: line });
    }
  }
  if (!header) throw new ValidationError(`CSV body is empty: expected a header date,${column} and rows`);
  if (count === 0) throw new ValidationError('the CSV has a header but no rows');
  problems.throwIfAny();
  return { values, label: lineLabel };
}
