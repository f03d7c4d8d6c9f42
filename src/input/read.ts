/** Entry points for `earshot analyze [file|-]`: detect the format, then stream mentions from a Readable. */
import type { Readable } from 'node:stream';
import { EarshotError, InputError, UsageError } from '../core/errors.js';
import type { Mention } from '../core/mention.js';
import { peekInput } from './bytes.js';
import { isEarshotHeader, readCsvMentions } from './csv.js';
import { openCsvTable } from './csv-rows.js';
import { planColumns, type ColumnPlan } from './fields.js';
import { readJsonArray, readNdjson, type EnclosingDocument } from './json.js';
import { ProblemReporter } from './problems.js';
import { reportMentionBytes, ReportShapeError } from './report-json.js';
import { isTwcsHeader, readTwcs, TWCS_COLUMNS } from './twcs.js';
import type { DetectedFormat, OpenedInput, ReadOptions, ReadStats } from './types.js';
import { handleSet } from './values.js';

const FORMATS = ['auto', 'ndjson', 'json', 'csv', 'twcs'];

/**
 * Opens an input and takes ownership of the stream (destroyed when the mentions end, fail or are abandoned,
 * or when the header is refused). Sniffs the format (after a BOM and blanks: `[` JSON array, `{` NDJSON, anything else CSV,
 * and a CSV whose header has the TWCS columns is `twcs`) and, for CSV, reads the header so `--map` problems
 * are thrown (UsageError) before any mention is read. Empty input opens as NDJSON with no mentions.
 */
export async function openMentions(input: Readable, options: ReadOptions): Promise<OpenedInput> {
  const wanted = options.format ?? 'auto';
  if (!FORMATS.includes(wanted)) {
    throw new UsageError(`--input-format ${String(wanted)}: expected one of ${FORMATS.join(', ')}.`);
  }
  const stats: ReadStats = { mentions: 0, skipped: 0, filtered: 0 };
  const problems = new ProblemReporter(options.fileName, options.log, options.strict ?? false, stats);
  const brandHandles = handleSet(options.brandHandles);
  const brands: string[] = [];
  const peeked = await peekInput(input, (err) =>
    err instanceof EarshotError ? err : problems.fatal(undefined, `cannot read the input (${err instanceof Error ? err.message : String(err)})`, err),
  );
  // The reader owns the stream: a pending read may never settle (a pipe left open), so destroy it directly.
  const close = async (inner?: () => Promise<void>): Promise<void> => {
    input.destroy();
    await inner?.();
  };

  let format: DetectedFormat;
  let mentions: AsyncIterable<Mention>;
  try {
    let sniffed: DetectedFormat = 'csv';
    if (peeked.first === '[') sniffed = 'json';
    else if (peeked.first === '{' || peeked.first === undefined) sniffed = 'ndjson';
    const base = wanted === 'auto' ? sniffed : wanted;

    if (base === 'ndjson' || base === 'json') {
      format = base;
      const ctx = { problems, brandHandles };
      let chunks = peeked.chunks;
      let within: EnclosingDocument | undefined;
      if (peeked.first === '{') {
        // A document whose first line is a lone "{" is pretty-printed JSON, not NDJSON: earshot's own report.json
        // (or --format json output). Its mentions are read as a JSON array.
        const looked = await reportMentions(peeked.chunks, problems.name);
        if (looked.mentionsLine !== undefined) {
          format = 'json';
          within = { line: looked.mentionsLine };
        }
        chunks = looked.rest;
      }
      mentions = format === 'json' ? readJsonArray(chunks, ctx, within) : readNdjson(chunks, ctx);
    } else {
      const table = await openCsvTable(peeked.chunks, problems);
      const twcs = isTwcsHeader(table.header);
      const refuse = async (err: Error): Promise<never> => {
        await close(table.close);
        throw err;
      };
      if (base === 'twcs' && !twcs && table.header.length > 0) {
        await refuse(problems.fatal(table.headerLine, `not a TWCS file: the header needs the columns ${TWCS_COLUMNS.join(', ')}`));
      }
      if (table.header.length === 0) {
        format = base;
        mentions = table.rows as AsyncIterable<never>;
      } else if (twcs && wanted !== 'csv') {
        format = 'twcs';
        if (options.map && Object.keys(options.map).length > 0) {
          options.log.warn(`${problems.name}: --map is ignored for a TWCS file (use --input-format csv to map its columns).`);
        }
        mentions = readTwcs(table.rows, {
          header: table.header,
          problems,
          brandFilter: [...(options.brand ? [options.brand] : []), ...(options.brandHandles ?? [])],
          brandHandles,
          brandsOut: brands,
          onFiltered: () => {
            stats.filtered += 1;
          },
          warn: (m) => options.log.warn(m),
        });
      } else {
        format = 'csv';
        let plan: ColumnPlan;
        try {
          plan = planColumns(table.header, options.map);
        } catch (err) {
          await close(table.close);
          // Name the file and its header line: "which CSV lacks the column" matters when a script reads many.
          throw err instanceof UsageError ? new UsageError(`${problems.name}:${table.headerLine}: ${err.message}`, { cause: err }) : err;
        }
        mentions = readCsvMentions(table.rows, {
          header: table.header,
          plan,
          earshot: isEarshotHeader(table.header),
          sourceName: options.sourceName ?? 'csv',
          brandHandles,
        }, problems);
      }
    }
  } catch (err) {
    await close();
    throw err;
  }
  const inner = mentions;
  async function* counted(): AsyncGenerator<Mention> {
    try {
      for await (const m of inner) {
        stats.mentions += 1;
        yield m;
      }
    } finally {
      await close();
    }
  }
  return { format, mentions: counted(), stats, brands };
}

/**
 * Looks at the first line: when it is a lone `{`, the document is an earshot report and `rest` streams the bytes of
 * its `mentions` list, which starts on `mentionsLine`; otherwise `rest` is every byte again, for the NDJSON reader.
 * The report is never held whole: one of a million mentions is larger than a JavaScript string may be.
 */
async function reportMentions(chunks: AsyncIterable<Buffer>, name: string): Promise<{ rest: AsyncIterable<Buffer>; mentionsLine?: number }> {
  const it = chunks[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let seen = '';
  while (!seen.includes('\n')) {
    const next = await it.next();
    if (next.done) break;
    head.push(next.value);
    seen += next.value.toString('utf8');
    if (seen.length > 65_536) break;
  }
  const firstLine = seen.split('\n', 1)[0]!.replace(/^\uFEFF/, '').trim();
  const rest = async function* (): AsyncGenerator<Buffer> {
    yield* head;
    for (let n = await it.next(); !n.done; n = await it.next()) yield n.value;
  };
  if (firstLine !== '{') return { rest: rest() };
  let found: Awaited<ReturnType<typeof reportMentionBytes>>;
  try {
    found = await reportMentionBytes(rest());
  } catch (e) {
    if (!(e instanceof ReportShapeError)) throw e;
    throw new InputError(`${name}:${e.line}: a JSON document that does not parse: ${e.message}; give NDJSON (one object a line), a JSON array, or an earshot report.json.`);
  }
  if (found === undefined) throw new InputError(`${name}: a JSON object without a "mentions" list; give NDJSON (one object a line), a JSON array of mentions, or an earshot report.json.`);
  return { rest: found.bytes, mentionsLine: found.line };
}

/**
 * Streams the mentions of one input. Warnings go to `options.log`; the detected format is passed to
 * `options.onFormat` before the first mention. Use `openMentions` to also get counters and TWCS brands.
 */
export async function* readMentions(input: Readable, options: ReadOptions): AsyncGenerator<Mention> {
  const opened = await openMentions(input, options);
  options.onFormat?.(opened.format);
  yield* opened.mentions;
}
