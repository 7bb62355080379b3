import { Readable } from 'node:stream';
import { CsvBody } from './csv-body';
import { ValidationError } from './errors';

/** Reads every batch of `text` sent as one chunk; the records, or the error the reading ends with. */
async function readAll(text: string): Promise<Array<{ fields: string[]; line: number }>> {
  const out: Array<{ fields: string[]; line: number }> = [];
  for await (const batch of new CsvBody(Readable.from([Buffer.from(text)]), 1 << 20).batches()) out.push(...batch);
  return out;
}

describe('CsvBody', () => {
  it('yields every record with its 1-based line', async () => {
    expect(await readAll('date,return_pct\n2024-01-02,0.01\n2024-01-03,-0.02\n')).toEqual([
      { fields: ['date', 'return_pct'], line: 1 },
      { fields: ['2024-01-02', '0.01'], line: 2 },
      { fields: ['2024-01-03', '-0.02'], line: 3 },
    ]);
  });

  it('ends with a 400 naming the line when the last chunk holds a malformed quote followed by more lines', async () => {
    // The parse error of the last chunk is emitted after that chunk's records were taken: reading
    // used to wait for an 'end' the destroyed parser never emits (the fuzz test's hang).
    const err = await readAll('date,return_pct\n2023-05-06,{callerD}"\n2017-05-29,__proto__\n%M*').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as Error).message).toBe('line 2: malformed CSV (a quote is found on field 1)');
  });

  it('ends with a 400 for a malformed quote on the only data line', async () => {
    const err = await readAll('date,return_pct\n2023-05-06,x"\n').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
  });
});
