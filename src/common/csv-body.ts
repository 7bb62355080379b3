import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { PayloadTooLargeError, ValidationError } from './errors';

/**
 * Longest accepted CSV record by default, bytes: a return row is about 30; a body with no line
 * break is refused at once. A reader of wide rows (one column per asset) asks for more.
 */
const MAX_RECORD_BYTES = 4096;
/**
 * Bytes parsed between two turns of the event loop (about 3,000 rows, well under a millisecond).
 * A paused socket hands over everything it buffered at once, megabytes when the client is fast.
 */
const SLICE_BYTES = 64 * 1024;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface CsvRecord {
  fields: string[];
  /** 1-based line of the body where the record starts (the header is line 1). */
  line: number;
}

/**
 * A text/csv request body that has not been read yet. `batches()` parses it as it arrives
 * (csv-parse, streaming): one batch of records per chunk received, so the event loop turns between
 * chunks and the reader can stop at any record (a bad header, the row cap) without reading the rest.
 * The byte limit is counted here, since the body does not go through Fastify's buffering parser.
 */
export class CsvBody {
  readonly #stream: Readable;
  readonly #maxBytes: number;

  constructor(stream: Readable, maxBytes: number) {
    this.#stream = stream;
    this.#maxBytes = maxBytes;
  }

  async *batches(options: { maxRecordBytes?: number } = {}): AsyncGenerator<CsvRecord[]> {
    // Line numbers are counted here (csv-parse's per-record `info` costs 3× the parse): every
    // physical line is a record (empty lines too), plus the line breaks inside quoted fields.
    const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: false, trim: true, max_record_size: options.maxRecordBytes ?? MAX_RECORD_BYTES, record_delimiter: ['\r\n', '\n'] });
    const pending: string[][] = [];
    let failure: Error | undefined;
    let line = 1;
    parser.on('data', (record: string[]) => pending.push(record));
    parser.on('error', (err: Error) => (failure ??= err));
    const take = (): CsvRecord[] => {
      if (failure) throw malformed(failure, line);
      const out = pending.splice(0).map((fields) => {
        const record = { fields, line };
        line += 1;
        for (const f of fields) for (let i = f.indexOf('\n'); i >= 0; i = f.indexOf('\n', i + 1)) line += 1;
        return record;
      });
      return out;
    };
    let bytes = 0;
    let discardRest = true;
    try {
      for await (const chunk of this.#stream.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        if (bytes > this.#maxBytes) {
          discardRest = false; // as Fastify does: answered at once, the connection closes after the answer
          throw new PayloadTooLargeError('request body is larger than the limit');
        }
        for (let at = 0; at < chunk.length; at += SLICE_BYTES) {
          parser.write(chunk.subarray(at, at + SLICE_BYTES));
          const batch = take();
          if (batch.length) yield batch;
          await nextTurn();
        }
      }
      discardRest = false;
      const done = once(parser, 'end').catch(() => undefined);
      parser.end();
      parser.resume();
      await done;
      const last = take();
      if (last.length) yield last;
    } finally {
      parser.destroy();
      // Stopped early (bad header, row cap, error): the rest is discarded as it arrives, so the
      // client can finish sending and read the answer instead of a reset connection.
      if (discardRest && !this.#stream.destroyed) this.#stream.resume();
    }
  }
}

function malformed(err: Error, line: number): ValidationError {
  const at = (err as { lines?: number }).lines ?? line;
  return new ValidationError(`line ${at}: malformed CSV (${err.message.replace(/^Invalid[^:]*:\s*/, '').replace(/ at line \d+.*$/, '')})`);
}
