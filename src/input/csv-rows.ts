/** Streams CSV records with csv-parse, numbering each by the physical line it starts on. */
import { Readable } from 'node:stream';
import { parse, type CsvError, type Options } from 'csv-parse';
import type { ProblemReporter } from './problems.js';
import { boundCsvRecords, countBreaks, OVERSIZED_MARK, UNCLOSED } from './csv-bound.js';

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

/**
 * A record longer than this (in characters) is skipped unread with a warning naming its line: a 200 MB line ended
 * the whole read and took a minute. An unclosed quote makes the rest of the file one record, so it is caught here
 * too, and ends the read.
 */
const MAX_RECORD_CHARS = 1 << 20;

/** Why a record over the limit was skipped, as the input's problems list says it. */
const TOO_LONG = `a record longer than ${MAX_RECORD_CHARS.toLocaleString('en-US')} characters`;

/**
 * A record boundCsvRecords cut at the limit: its last cell holds the marker, the count of line breaks dropped after
 * it, and whether the input ended inside its quotes.
 */
function oversized(fields: readonly string[]): { dropped: number; unclosed: boolean } | undefined {
  const last = fields[fields.length - 1];
  const at = last?.indexOf(OVERSIZED_MARK) ?? -1;
  if (last === undefined || at < 0) return undefined;
  return { dropped: Number.parseInt(last.slice(at + OVERSIZED_MARK.length), 10) || 0, unclosed: last.endsWith(UNCLOSED) };
}

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
    // A backstop only: boundCsvRecords has already swapped every longer record for a short marker.
    max_record_size: 2 * MAX_RECORD_CHARS,
    // Both callbacks run synchronously in parse order, so line numbers are counted here, not at consumption.
    on_record: ((rec: { record: string[]; raw: string }): Numbered => {
      const line = nextLine;
      // A record cut at the limit lost its later line breaks; the marker says how many, so later lines stay right.
      nextLine += countBreaks(rec.raw) + (oversized(rec.record)?.dropped ?? 0);
      return { seq: seq++, line, fields: rec.record };
    }) as unknown as Options['on_record'],
    on_skip: (err: CsvError | undefined, raw: string | undefined): undefined => {
      pending.push({ beforeSeq: seq, line: nextLine, code: err?.code ?? 'CSV_UNKNOWN_ERROR', message: err?.message ?? 'unreadable record' });
      nextLine += countBreaks(raw ?? '');
      return undefined;
    },
  };
  const parser = parse(options);
  const source = Readable.from(boundCsvRecords(chunks, MAX_RECORD_CHARS), { objectMode: false });
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
      if (oversized(next.value.fields)) throw problems.fatal(next.value.line, `the header row is ${TOO_LONG}; is this a CSV file?`);
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
        const cut = oversized(fields);
        if (cut) {
          // A quoted cell still open at the end of the input took the rest with it: nothing after it is a record.
          if (cut.unclosed) {
            problems.stop(line, 'a quoted cell is never closed (unbalanced ")');
            break;
          }
          problems.skip(line, TOO_LONG);
          continue;
        }
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
