import { CsvBody } from '../common/csv-body';
import { ValidationError } from '../common/errors';
import { ID_MESSAGE, ID_PATTERN } from '../common/ids';
import { checkDate, checkValue, COLUMN, DuplicateDates, IngestInput, lineLabel, MAX_ROWS, ParsedValue, Problems } from './returns-parser';

/** At most this many asset columns in one wide file. */
export const MAX_WIDE_ASSETS = 1000;
/** A wide row holds one cell per asset: longer records than a narrow row's 4 kB. */
const MAX_WIDE_RECORD_BYTES = 256 * 1024;

/** A wide batch: the asset columns in header order, and each asset's values (empty cells left out). */
export interface WideBatch {
  assets: string[];
  values: Map<string, ParsedValue[]>;
}

/**
 * text/csv with header `date,<asset_id>,<asset_id>,…` (PUT /v1/returns), one row per date, one
 * column per asset; an empty cell is no value for that asset that day. Cells are returns
 * (fractions) or, with input 'prices', closes. Read as it streams in, like the narrow CSV: a wrong
 * header stops at line 1, the first row past 1,000,000 rows or values stops there, and every bad
 * cell is named `line N: <asset_id> …` (the header is line 1).
 */
export async function parseWideCsv(body: CsvBody, input: IngestInput, allowExtreme: boolean): Promise<WideBatch> {
  const problems = new Problems();
  const duplicates = new DuplicateDates(problems, lineLabel);
  let assets: string[] | null = null;
  const columns: ParsedValue[][] = [];
  let rows = 0;
  let count = 0;
  for await (const batch of body.batches({ maxRecordBytes: MAX_WIDE_RECORD_BYTES })) {
    for (const { fields, line } of batch) {
      if (fields.length === 1 && fields[0] === '') continue; // an empty line
      if (!assets) {
        assets = readHeader(fields, line);
        for (let j = 0; j < assets.length; j++) columns.push([]);
        continue;
      }
      if (++rows > MAX_ROWS) throw new ValidationError(`at most ${MAX_ROWS} rows per request`);
      const where = lineLabel(line);
      if (fields.length !== assets.length + 1) {
        problems.add(where, `expected ${assets.length + 1} fields (date and one per asset, empty for no value), got ${fields.length}`);
        continue;
      }
      const dateProblem = checkDate(fields[0]);
      if (dateProblem) problems.add(where, dateProblem);
      else duplicates.check(fields[0], line);
      for (let j = 0; j < assets.length; j++) {
        const text = fields[j + 1];
        if (text === '') continue;
        if (++count > MAX_ROWS) throw new ValidationError(`${where}: at most ${MAX_ROWS} values per request`);
        const problem = checkValue(text, assets[j], input, allowExtreme);
        if (problem) problems.add(where, problem);
        else if (!dateProblem) columns[j].push({ date: fields[0], text, position: line });
      }
    }
  }
  if (!assets) throw new ValidationError('CSV body is empty: expected a header date,<asset_id>,<asset_id>,… and rows');
  if (rows === 0) throw new ValidationError('the CSV has a header but no rows');
  problems.throwIfAny();
  return { assets, values: new Map(assets.map((a, j) => [a, columns[j]])) };
}

/** The asset ids of the header; a bad header is refused at once (nothing after it is read). */
function readHeader(fields: string[], line: number): string[] {
  const got = JSON.stringify(fields.join(',').slice(0, 100));
  const bad = (msg: string) => new ValidationError(`line ${line}: ${msg}`);
  if (fields[0].toLowerCase() !== 'date' || fields.length < 2) throw bad(`the header must be date,<asset_id>,<asset_id>,… (got ${got})`);
  const assets = fields.slice(1);
  if (assets.length > MAX_WIDE_ASSETS) throw bad(`at most ${MAX_WIDE_ASSETS} asset columns per request (got ${assets.length})`);
  const problems: string[] = [];
  const first = new Map<string, number>();
  assets.forEach((id, j) => {
    const column = j + 2;
    if ((Object.values(COLUMN) as string[]).includes(id.toLowerCase())) {
      problems.push(`line ${line}: column ${column} is "${id}", the narrow format's column: one asset's ${id} goes to PUT /v1/assets/{asset_id}/returns`);
    } else if (!ID_PATTERN.test(id)) problems.push(`line ${line}: column ${column}: an asset id ${ID_MESSAGE} (got ${JSON.stringify(id.slice(0, 70))})`);
    else if (first.has(id)) problems.push(`line ${line}: asset ${id} appears twice (columns ${first.get(id)} and ${column})`);
    else first.set(id, column);
  });
  if (problems.length) throw new ValidationError(problems);
  return assets;
}
