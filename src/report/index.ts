/** Every output format as a streaming renderer, by name: `--format`, `--out` and the library all go through this map. */
import { stringify } from 'csv-stringify/sync';
import type { AnalyzedMention, Report } from '../core/report.js';
import { csvColumns, csvRow } from './csv.js';
import { pickFields } from './fields.js';
import { renderHtml } from './html.js';
import { ndjsonLine, prettyJsonArrayParts, renderJsonParts } from './json.js';
import type { Style } from './style.js';
import { renderTable } from './table.js';

export { plainStyle, type Style, type StyleRole } from './style.js';

/** Every output format. */
export type OutputFormat = 'table' | 'csv' | 'json' | 'ndjson' | 'html';

/** Choices every renderer is opened with (each uses the ones that concern it). */
export interface RenderOptions {
  style: Style;
  /** The table draws trends as sparklines (a terminal) rather than numbers. */
  sparklines?: boolean;
  /** Terminal width for the table. */
  width: number;
  /** How many unanswered items the table and HTML list. */
  top: number;
  /** CSV: leave formula-like cells as they are. */
  rawCsv: boolean;
  /** --fields: only these fields (json/ndjson paths, csv columns). */
  fields?: readonly string[];
  /** Where --out writes summary.csv for this report, so the table can point to it. */
  summaryCsvPath?: (report: Report) => string;
}

/** One rendering in progress: text for each analysed mention as it arrives, then the rest once the report is done. */
export interface RenderStream {
  mention(m: AnalyzedMention): string;
  finish(report: Report): Iterable<string>;
}

/** A format: whether it needs every mention kept in the report, and how to open a rendering. */
export interface Renderer {
  format: OutputFormat;
  /** True when the report's `mentions` must hold every analysed mention (the format renders them at the end). */
  holdsEveryMention: boolean;
  open(opts: RenderOptions): RenderStream;
}

// Rows are stringified in batches: one csv-stringify call per row costs several times more.
const CSV_BATCH = 512;

const ndjson: Renderer = {
  format: 'ndjson',
  holdsEveryMention: false,
  open: ({ fields }) => ({
    mention: (m) => (fields ? `${JSON.stringify(pickFields(m, fields))}\n` : ndjsonLine(m)),
    finish: () => [],
  }),
};

const csv: Renderer = {
  format: 'csv',
  holdsEveryMention: false,
  open({ fields, rawCsv }) {
    const all = csvColumns();
    const header = fields ?? all;
    const index = fields?.map((f) => all.indexOf(f));
    let rows: (string | number)[][] = [];
    let wroteHeader = false;
    const flush = (): string => {
      if (rows.length === 0 && wroteHeader) return '';
      const text = stringify(rows, { header: !wroteHeader, columns: [...header], record_delimiter: '\n' });
      wroteHeader = true;
      rows = [];
      return text;
    };
    return {
      mention(m) {
        const row = csvRow(m, { rawCsv });
        rows.push(index ? index.map((i) => row[i] ?? '') : row);
        return rows.length >= CSV_BATCH ? flush() : '';
      },
      finish: () => [flush()],
    };
  },
};

const json: Renderer = {
  format: 'json',
  holdsEveryMention: true,
  open: ({ fields }) => ({
    mention: () => '',
    // Piece by piece: the text of a large report is longer than one string may be.
    finish: (report) => (fields ? [...prettyJsonArrayParts(report.mentions.map((m) => pickFields(m, fields))), '\n'] : renderJsonParts(report)),
  }),
};

const html: Renderer = {
  format: 'html',
  holdsEveryMention: true,
  open: ({ top }) => ({ mention: () => '', finish: (report) => [renderHtml(report, { top })] }),
};

const table: Renderer = {
  format: 'table',
  holdsEveryMention: false,
  open: ({ style, width, top, summaryCsvPath, sparklines }) => ({
    mention: () => '',
    finish: (report) => [renderTable(report, { style, width, top, ...(sparklines ? { sparklines } : {}), ...(summaryCsvPath ? { summaryCsv: summaryCsvPath(report) } : {}) })],
  }),
};

/** The renderer for each format. */
export const RENDERERS: Record<OutputFormat, Renderer> = { table, csv, json, ndjson, html };

/** A finished report in one format, part by part (its mentions first, then the rest). */
export function* renderReport(format: OutputFormat, report: Report, opts: RenderOptions): Generator<string> {
  const stream = RENDERERS[format].open(opts);
  for (const m of report.mentions) {
    const text = stream.mention(m);
    if (text.length > 0) yield text;
  }
  yield* stream.finish(report);
}
