/** Runs the analysis over a mention stream and writes the chosen format to a sink. */
import { stringify } from 'csv-stringify/sync';
import type { Mention } from '../core/mention.js';
import { createAnalysis, type AnalysisSettings } from '../analysis/pipeline.js';
import type { AnalyzedMention } from '../analysis/types.js';
import { csvColumns, csvRow } from '../report/csv.js';
import { ndjsonLine, renderJson } from '../report/json.js';
import { SCHEMA_VERSION, type Report, type ReportSettings, type SourceCoverage } from '../report/report.js';
import { renderTable } from '../report/table.js';
import { toolVersion } from '../core/version.js';
import type { DataSink } from './io.js';

/** Output choices. */
export interface EmitOptions {
  format: 'table' | 'csv' | 'json' | 'ndjson';
  color: boolean;
  width: number;
  top: number;
  rawCsv: boolean;
}

/** Report parts that do not come from the analysis itself. */
export interface ReportContext {
  settings: ReportSettings;
  coverage: SourceCoverage[];
  warnings: string[];
}

const FLUSH_BYTES = 64 * 1024;
const CSV_BATCH = 512;

/** Analyses `mentions` and writes `format` to `sink`; returns the report (mentions only kept for json). */
export async function emitReport(
  mentions: AsyncIterable<Mention> | Iterable<Mention>,
  analysis: AnalysisSettings,
  context: ReportContext,
  options: EmitOptions,
  sink: DataSink,
): Promise<Report> {
  const run = createAnalysis(analysis);
  const kept: AnalyzedMention[] = [];
  let buffer = '';
  let rows: (string | number)[][] = [];
  let wroteHeader = false;

  const flushCsv = (): void => {
    if (rows.length === 0 && wroteHeader) return;
    buffer += stringify(rows, { header: !wroteHeader, columns: csvColumns(), record_delimiter: '\n' });
    wroteHeader = true;
    rows = [];
  };

  for await (const am of run.run(mentions)) {
    if (options.format === 'ndjson') buffer += ndjsonLine(am);
    else if (options.format === 'csv') {
      rows.push(csvRow(am, { rawCsv: options.rawCsv }));
      if (rows.length >= CSV_BATCH) flushCsv();
    } else if (options.format === 'json') kept.push(am);
    if (buffer.length >= FLUSH_BYTES) {
      await sink.write(buffer);
      buffer = '';
    }
  }

  const report: Report = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'earshot', version: toolVersion() },
    generatedAt: analysis.now.toISOString(),
    settings: context.settings,
    coverage: context.coverage,
    summary: run.summary.finish(),
    warnings: context.warnings,
    mentions: kept,
  };

  if (options.format === 'csv') flushCsv();
  else if (options.format === 'json') buffer += renderJson(report);
  else if (options.format === 'table') buffer += renderTable(report, { color: options.color, width: options.width, top: options.top });
  if (buffer.length > 0) await sink.write(buffer);
  return report;
}
