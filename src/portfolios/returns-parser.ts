import { parse } from 'csv-parse/sync';
import { ValidationError } from '../common/errors';

export interface ParsedReturn {
  date: string;
  /** The number's text as received (exponents allowed): stored exactly. */
  returnPct: string;
}

/** A JSON number, with at most 40 digits before the exponent and 3 in it, so that PostgreSQL's numeric holds it exactly. */
const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d{1,3})?$/;
const MAX_DIGITS = 40;
/** A simple return above this (+100,000,000 %) is not a return but a unit mistake. */
export const MAX_RETURN = 1e6;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MAX_ROWS = 1_000_000;
const MAX_REPORTED = 50;

function checkDate(v: unknown): string | null {
  if (typeof v !== 'string') return 'date must be a YYYY-MM-DD string';
  const m = ISO_DATE.exec(v.trim());
  if (!m) return `date must be YYYY-MM-DD (got ${JSON.stringify(v)})`;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  if (d.getUTCFullYear() !== +m[1] || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) return `date ${v} is not a calendar date`;
  return null;
}

function checkReturn(text: string): string | null {
  const shown = JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
  const m = JSON_NUMBER.exec(text);
  if (!m) return `return_pct must be a number (got ${shown})`;
  if (m[1].length + (m[2]?.length ?? 1) - 1 > MAX_DIGITS) return `return_pct must have at most ${MAX_DIGITS} digits (got ${text.length} characters)`;
  const v = Number(text);
  if (!Number.isFinite(v)) return `return_pct must be finite (got ${shown})`;
  if (!(v > -1)) return `return_pct must be greater than -1, a simple return as a fraction (got ${shown})`;
  if (v > MAX_RETURN) return `return_pct must be at most ${MAX_RETURN} (a fraction: 0.012 means 1.2 %) (got ${shown})`;
  return null;
}

/** Collects problems per row; throws one 400 naming every bad row (nothing is written). */
class Problems {
  readonly list: string[] = [];
  private count = 0;
  add(where: string, msg: string) {
    if (++this.count <= MAX_REPORTED) this.list.push(`${where}: ${msg}`);
  }
  throwIfAny() {
    if (this.count > MAX_REPORTED) this.list.push(`… and ${this.count - MAX_REPORTED} more problems`);
    if (this.count) throw new ValidationError(this.list);
  }
}

function checkDuplicates(rows: ParsedReturn[], label: (i: number) => string, problems: Problems) {
  const seen = new Map<string, number>();
  rows.forEach((r, i) => {
    const prev = seen.get(r.date);
    if (prev !== undefined) problems.add(label(i), `date ${r.date} repeats ${label(prev)}`);
    else seen.set(r.date, i);
  });
}

/** JSON body: `[{ "date": "2024-01-02", "return_pct": 0.0012 }]`; errors name `[i]` (0-based). */
export function parseJsonReturns(body: unknown): ParsedReturn[] {
  if (!Array.isArray(body)) throw new ValidationError('body must be a JSON array of { "date", "return_pct" } (or text/csv with header date,return_pct)');
  if (body.length === 0) throw new ValidationError('body must contain at least one row');
  if (body.length > MAX_ROWS) throw new ValidationError(`at most ${MAX_ROWS} rows per request`);
  const problems = new Problems();
  const rows: ParsedReturn[] = [];
  body.forEach((row: unknown, i) => {
    const where = `[${i}]`;
    if (!row || typeof row !== 'object' || Array.isArray(row)) return problems.add(where, 'must be an object { "date", "return_pct" }');
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
    if (!dateProblem && !retProblem) rows.push({ date: String(r.date).trim(), returnPct: text! });
    else rows.push({ date: `invalid-${i}`, returnPct: '0' });
  });
  checkDuplicates(rows, (i) => `[${i}]`, problems);
  problems.throwIfAny();
  return rows;
}

/** text/csv with header `date,return_pct`; errors name `line N` (1-based, the header is line 1). */
export function parseCsvReturns(text: string): ParsedReturn[] {
  if (typeof text !== 'string' || text.trim() === '') throw new ValidationError('CSV body is empty: expected a header date,return_pct and rows');
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as never;
  } catch (err) {
    const e = err as { lines?: number; message: string };
    throw new ValidationError(`line ${e.lines ?? '?'}: malformed CSV (${e.message.replace(/^Invalid[^:]*:\s*/, '')})`);
  }
  const header = records[0]?.record.map((h) => h.toLowerCase());
  if (!header || header.length !== 2 || header[0] !== 'date' || header[1] !== 'return_pct') {
    throw new ValidationError(`line ${records[0]?.info.lines ?? 1}: the header must be date,return_pct (got ${JSON.stringify(records[0]?.record.join(','))})`);
  }
  if (records.length > MAX_ROWS + 1) throw new ValidationError(`at most ${MAX_ROWS} rows per request`);
  if (records.length === 1) throw new ValidationError('the CSV has a header but no rows');
  const problems = new Problems();
  const rows: ParsedReturn[] = [];
  const lines: number[] = [];
  for (let i = 1; i < records.length; i++) {
    const { record, info } = records[i];
    const where = `line ${info.lines}`;
    lines.push(info.lines);
    if (record.length !== 2) {
      problems.add(where, `expected 2 fields (date,return_pct), got ${record.length}`);
      rows.push({ date: `invalid-${i}`, returnPct: '0' });
      continue;
    }
    const dateProblem = checkDate(record[0]);
    const retProblem = checkReturn(record[1]);
    if (dateProblem) problems.add(where, dateProblem);
    if (retProblem) problems.add(where, retProblem);
    rows.push(dateProblem || retProblem ? { date: `invalid-${i}`, returnPct: '0' } : { date: record[0], returnPct: record[1] });
  }
  checkDuplicates(rows, (i) => `line ${lines[i]}`, problems);
  problems.throwIfAny();
  return rows;
}
