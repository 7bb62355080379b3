import { CsvBody } from '../common/csv-body';
import { ValidationError } from '../common/errors';

export interface ParsedReturn {
  date: string;
  /** The number's text as received (exponents allowed): stored exactly. */
  returnPct: string;
}

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MAX_ROWS = 1_000_000;
const MAX_REPORTED = 50;
/** Reading stops after this many bad rows: the batch is refused whatever follows (garbage costs little). */
const MAX_PROBLEMS = 1000;

function checkDate(v: unknown): string | null {
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

function checkReturn(text: string): string | null {
  if (!JSON_NUMBER.test(text)) return `return_pct must be a number (got ${JSON.stringify(text)})`;
  const v = Number(text);
  if (!Number.isFinite(v)) return `return_pct must be finite (got ${text})`;
  if (!(v > -1)) return `return_pct must be greater than -1, a simple return as a fraction (got ${text})`;
  return null;
}

/** Collects problems per row; throws one 400 naming every bad row (nothing is written). */
class Problems {
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
class DuplicateDates {
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

/** JSON body: `[{ "date": "2024-01-02", "return_pct": 0.0012 }]`; errors name `[i]` (0-based). */
export async function parseJsonReturns(body: unknown): Promise<ParsedReturn[]> {
  if (!Array.isArray(body)) throw new ValidationError('body must be a JSON array of { "date", "return_pct" } (or text/csv with header date,return_pct)');
  if (body.length === 0) throw new ValidationError('body must contain at least one row');
  if (body.length > MAX_ROWS) throw new ValidationError(`at most ${MAX_ROWS} rows per request`);
  const problems = new Problems();
  const duplicates = new DuplicateDates(problems, (i) => `[${i}]`);
  const rows: ParsedReturn[] = [];
  for (let i = 0; i < body.length; i++) {
    if (i > 0 && i % ROWS_PER_TURN === 0) await nextTurn();
    const row: unknown = body[i];
    const where = `[${i}]`;
    if (!row || typeof row !== 'object' || Array.isArray(row)) {
      problems.add(where, 'must be an object { "date", "return_pct" }');
      continue;
    }
    const r = row as Record<string, unknown>;
    const extra = Object.keys(r).filter((k) => k !== 'date' && k !== 'return_pct');
    if (extra.length) problems.add(where, `unknown field ${extra.join(', ')}`);
    const dateProblem = checkDate(r.date);
    if (dateProblem) problems.add(where, dateProblem);
    let text: string | null = null;
    if (typeof r.return_pct === 'number') text = Number.isFinite(r.return_pct) ? String(r.return_pct) : 'NaN';
    else if (typeof r.return_pct === 'string') text = r.return_pct.trim();
    const retProblem = text === null ? 'return_pct must be a number' : checkReturn(text);
    if (retProblem) problems.add(where, retProblem);
    if (!dateProblem) duplicates.check(String(r.date).trim(), i);
    if (!dateProblem && !retProblem) rows.push({ date: String(r.date).trim(), returnPct: text! });
  }
  problems.throwIfAny();
  return rows;
}

/**
 * text/csv with header `date,return_pct`, read as it streams in; errors name `line N` (1-based, the
 * header is line 1). A wrong header is refused at once, and reading stops at the first row over
 * the cap: neither reads the rest of the body.
 */
export async function parseCsvReturns(body: CsvBody): Promise<ParsedReturn[]> {
  const problems = new Problems();
  const duplicates = new DuplicateDates(problems, (line) => `line ${line}`);
  const rows: ParsedReturn[] = [];
  let header = false;
  let count = 0;
  for await (const batch of body.batches()) {
    for (const { fields, line } of batch) {
      if (fields.length === 1 && fields[0] === '') continue; // an empty line
      if (!header) {
        const names = fields.map((h) => h.toLowerCase());
        if (names.length !== 2 || names[0] !== 'date' || names[1] !== 'return_pct') {
          throw new ValidationError(`line ${line}: the header must be date,return_pct (got ${JSON.stringify(fields.join(',').slice(0, 100))})`);
        }
        header = true;
        continue;
      }
      if (++count > MAX_ROWS) throw new ValidationError(`at most ${MAX_ROWS} rows per request`);
      const where = `line ${line}`;
      if (fields.length !== 2) {
        problems.add(where, `expected 2 fields (date,return_pct), got ${fields.length}`);
        continue;
      }
      const dateProblem = checkDate(fields[0]);
      const retProblem = checkReturn(fields[1]);
      if (dateProblem) problems.add(where, dateProblem);
      if (retProblem) problems.add(where, retProblem);
      if (!dateProblem) duplicates.check(fields[0], line);
      if (!dateProblem && !retProblem) rows.push({ date: fields[0], returnPct: fields[1] });
    }
  }
  if (!header) throw new ValidationError('CSV body is empty: expected a header date,return_pct and rows');
  if (count === 0) throw new ValidationError('the CSV has a header but no rows');
  problems.throwIfAny();
  return rows;
}
