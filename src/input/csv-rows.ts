/** Streams CSV records with csv-parse, numbering each by the physical line it starts on. */
import { Readable } from 'node:stream';
import { parse, type CsvError, type Options } from 'csv-parse';
import type { ProblemReporter } from './problems.js';

/** One data row and the line it starts on (quoted cells may span lines). */
export interface CsvRow {
  line: number;
  fields: string[];
}

/** A CSV whose header has been read; `rows` streams the rest (single-use). */
export interface CsvTable {
  header: string[];
  headerLine: number;
  rows: AsyncIterable<CsvRow>;
  /** Releases the input when `rows` will not be iterated (e.g. the header was refused). */
  close: () => Promise<void>;
}

/** A record larger than this is taken as a runaway quoted cell (an unclosed quote), not buffered further. */
const MAX_RECORD_CHARS = 1 << 20;

interface Numbered {
  seq: number;
  line: number;
  fields: string[];
}

interface Pending {
  beforeSeq: number;
  line: number;
  code: string;
  message: string;
}

function countBreaks(raw: string): number {
  let n = 0;
  for (let i = 0; i < raw.length; i += 1) {
    const c = raw.charCodeAt(i);
    if (c === 10) n += 1;
    else if (c === 13) {
      n += 1;
      if (raw.charCodeAt(i + 1) === 10) i += 1;
    }
  }
  return n;
}

const isBlankRecord = (fields: string[]): boolean => fields.length === 0 || (fields.length === 1 && fields[0]!.trim() === '');

/**
 * Opens a CSV: reads up to the header row, then streams data rows. Rows with the wrong number of cells are
 * reported and skipped; an unclosed quote ends the read (everything after it would be one cell).
 * Quotes are parsed leniently (`a"b` and `"a"b` are kept as text) because hand-made exports often have them.
 */
export async function openCsvTable(chunks: AsyncIterable<Buffer>, problems: ProblemReporter): Promise<CsvTable> {
  let nextLine = 1;
  let seq = 0;
  const pending: Pending[] = [];
  const options: Options = {
    raw: true,
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_CHARS,
    // Both callbacks run synchronously in parse order, so line numbers are counted here, not at consumption.
    on_record: ((rec: { record: string[]; raw: string }): Numbered => {
      const line = nextLine;
      nextLine += countBreaks(rec.raw);
      return { seq: seq++, line, fields: rec.record };
    }) as unknown as Options['on_record'],
    on_skip: (err: CsvError | undefined, raw: string | undefined): undefined => {
      pending.push({ beforeSeq: seq, line: nextLine, code: err?.code ?? 'CSV_UNKNOWN_ERROR', message: err?.message ?? 'unreadable record' });
      nextLine += countBreaks(raw ?? '');
      return undefined;
    },
  };
  const parser = parse(options);
  const source = Readable.from(chunks, { objectMode: false });
  source.on('error', (err) => parser.destroy(err));
  source.pipe(parser);
  const it = parser[Symbol.asyncIterator]() as AsyncIterator<Numbered>;

  let stopped = false;
  // Reports parse problems that happened before record `upTo` (all of them when undefined), in file order.
  const flush = (upTo: number | undefined): void => {
    while (pending.length > 0 && (upTo === undefined || pending[0]!.beforeSeq <= upTo)) {
      const p = pending.shift()!;
      if (stopped) continue;
      if (p.code === 'CSV_QUOTE_NOT_CLOSED' || p.code === 'CSV_MAX_RECORD_SIZE') {
        stopped = true;
        problems.stop(p.line, 'a quoted cell is never closed (unbalanced ")');
      } else {
        problems.skip(p.line, `unreadable CSV record (${p.message})`);
      }
    }
  };

  let header: Numbered | undefined;
  const release = async (): Promise<void> => {
    await it.return?.();
    source.destroy();
  };
  try {
    for (;;) {
      const next = await it.next();
      if (next.done) break;
      flush(next.value.seq);
      if (!isBlankRecord(next.value.fields)) {
        header = next.value;
        break;
      }
    }
    flush(header?.seq);
  } catch (err) {
    await release();
    throw err;
  }
  if (header === undefined) {
    flush(undefined);
    await release();
    return { header: [], headerLine: 0, rows: (async function* () {})(), close: release };
  }
  const columns = header.fields.map((h) => h.trim());
  async function* rows(): AsyncGenerator<CsvRow> {
    try {
      for (;;) {
        const next = await it.next();
        if (next.done) break;
        flush(next.value.seq);
        if (stopped) break;
        const { line, fields } = next.value;
        if (isBlankRecord(fields)) continue;
        if (fields.length !== columns.length) {
          problems.skip(line, `expected ${columns.length} cells, found ${fields.length}`);
          continue;
        }
        yield { line, fields };
      }
      flush(undefined);
    } finally {
      await release();
    }
  }
  return { header: columns, headerLine: header.line, rows: rows(), close: release };
}
