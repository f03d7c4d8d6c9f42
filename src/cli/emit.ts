/** Runs the analysis over a mention stream and writes the chosen format to a sink. */
import { stringify } from 'csv-stringify/sync';
import type { Mention } from '../core/mention.js';
import { createAnalysis, type AnalysisSettings } from '../analysis/pipeline.js';
import { checkThresholds, type Thresholds } from '../analysis/thresholds.js';
import { type AnalyzedMention, SCHEMA_VERSION, type Report, type ReportSettings, type SourceCoverage } from '../core/report.js';
import { compareReports } from '../report/compare.js';
import { csvColumns, csvRow } from '../report/csv.js';
import { pickFields } from '../report/fields.js';
import { ndjsonLine, prettyJsonArrayParts, renderJsonParts } from '../report/json.js';
import { renderTable } from '../report/table.js';
import { toolVersion } from '../core/version.js';
import type { DataSink } from './io.js';

/** Every output format. */
export type OutputFormat = 'table' | 'csv' | 'json' | 'ndjson' | 'html';

/** Output choices. */
export interface EmitOptions {
  format: OutputFormat;
  color: boolean;
  width: number;
  top: number;
  rawCsv: boolean;
  /** --fields: only these fields (json/ndjson paths, csv columns). */
  fields?: string[];
  /** Keep every analysed mention in the report even when the format does not need them (report folder). */
  keepMentions?: boolean;
}

/** Report parts that do not come from the analysis itself. */
export interface ReportContext {
  settings: ReportSettings;
  coverage: SourceCoverage[];
  warnings: string[];
  /** --compare: the previous run's report. */
  previous?: Report;
  thresholds?: Thresholds;
}

const FLUSH_BYTES = 64 * 1024;
const CSV_BATCH = 512;

/** Whether a run holds every analysed mention until the end (json, html, --out), so its memory grows with the input. */
export function holdsEveryMention(format: OutputFormat, keepMentions: boolean | undefined): boolean {
  return keepMentions === true || format === 'json' || format === 'html';
}

/** Analyses `mentions` and writes `format` to `sink`; returns the report (mentions kept for json, html and --out). */
export async function emitReport(
  mentions: AsyncIterable<Mention> | Iterable<Mention>,
  analysis: AnalysisSettings,
  context: ReportContext,
  options: EmitOptions,
  sink: DataSink,
): Promise<Report> {
  const run = createAnalysis(analysis);
  const kept: AnalyzedMention[] = [];
  const keep = holdsEveryMention(options.format, options.keepMentions);
  const fields = options.fields;
  const csvHeader = fields && options.format === 'csv' ? fields : csvColumns();
  const csvIndex = fields && options.format === 'csv' ? fields.map((f) => csvColumns().indexOf(f)) : undefined;
  let buffer = '';
  let rows: (string | number)[][] = [];
  let wroteHeader = false;

  const writeWhenFull = async (): Promise<void> => {
    if (buffer.length < FLUSH_BYTES) return;
    await sink.write(buffer);
    buffer = '';
  };

  const flushCsv = (): void => {
    if (rows.length === 0 && wroteHeader) return;
    buffer += stringify(rows, { header: !wroteHeader, columns: csvHeader, record_delimiter: '\n' });
    wroteHeader = true;
    rows = [];
  };

  for await (const am of run.run(mentions)) {
    if (keep) kept.push(am);
    if (options.format === 'ndjson') buffer += fields ? `${JSON.stringify(pickFields(am, fields))}\n` : ndjsonLine(am);
    else if (options.format === 'csv') {
      const row = csvRow(am, { rawCsv: options.rawCsv });
      rows.push(csvIndex ? csvIndex.map((i) => row[i] ?? '') : row);
      if (rows.length >= CSV_BATCH) flushCsv();
    }
    await writeWhenFull();
  }

  const summary = run.summary.finish();
  const report: Report = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'earshot', version: toolVersion() },
    generatedAt: analysis.now.toISOString(),
    settings: context.settings,
    coverage: context.coverage,
    summary,
    // Sources run concurrently, so warnings arrive in any order; sorted, a rerun gives the same bytes.
    warnings: [...context.warnings].sort(),
    mentions: kept,
  };
  if (context.previous) report.comparison = compareReports(context.previous, summary);
  if (context.thresholds) {
    const main = context.settings.brands;
    const targets = summary.brands.length === 0 ? [summary.overall] : main.length > 0 ? summary.brands.filter((b) => main.includes(b.brand)) : summary.brands;
    const breaches = targets.flatMap((b) => checkThresholds(b, context.thresholds!));
    if (breaches.length > 0) report.breaches = breaches;
  }

  if (options.format === 'csv') flushCsv();
  else if (options.format === 'json') {
    // Piece by piece: the text of a large report is longer than one string may be.
    const parts = fields ? [...prettyJsonArrayParts(kept.map((m) => pickFields(m, fields))), '\n'] : renderJsonParts(report);
    for (const part of parts) {
      buffer += part;
      await writeWhenFull();
    }
  }
  else if (options.format === 'html') buffer += (await import('../report/html.js')).renderHtml(report, { top: options.top });
  else if (options.format === 'table') buffer += renderTable(report, { color: options.color, width: options.width, top: options.top });
  if (buffer.length > 0) await sink.write(buffer);
  return report;
}
