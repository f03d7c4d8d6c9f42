/** Runs the analysis over a mention stream and writes the chosen format to a sink as it goes. */
import { join } from 'node:path';
import type { Mention } from '../core/mention.js';
import type { AnalysisSettings } from '../analysis/pipeline.js';
import { analyzeToReport, type ReportContext } from '../audit/analyze.js';
import type { Report } from '../core/report.js';
import { RENDERERS, type OutputFormat } from '../report/index.js';
import type { DataSink } from './io.js';
import { breachSentence } from './breach-text.js';
import { resolveOutDir } from './report-folder.js';
import { terminalStyle } from './style.js';

export type { OutputFormat } from '../report/index.js';
export type { ReportContext } from '../audit/analyze.js';

/** Output choices. */
export interface EmitOptions {
  format: OutputFormat;
  color: boolean;
  /** The table draws trends as sparklines (stdout is a terminal) rather than numbers. */
  sparklines?: boolean;
  width: number;
  top: number;
  rawCsv: boolean;
  /** --fields: only these fields (json/ndjson paths, csv columns). */
  fields?: string[];
  /** --out: the report folder's path template, so the table can name the summary.csv it will hold. */
  out?: string;
  /** Keep every analysed mention in the report even when the format does not need them (report folder). */
  keepMentions?: boolean;
  /** Where the analysis's own warnings go (the CLI's logger), besides the report. */
  warn?: (message: string) => void;
  /** Looks at the report before its closing parts are written; throwing there (an empty input) keeps a small output unwritten. */
  beforeFinish?: (report: Report) => void;
}

// Writes are batched: one write per mention costs more than the analysis of it.
const FLUSH_BYTES = 64 * 1024;

/** Whether a run holds every analysed mention until the end (json, html, --out), so its memory grows with the input. */
export function holdsEveryMention(format: OutputFormat, keepMentions: boolean | undefined): boolean {
  return keepMentions === true || RENDERERS[format].holdsEveryMention;
}

/** Analyses `mentions` and writes `format` to `sink`; returns the report (mentions kept for json, html and --out). */
export async function emitReport(
  mentions: AsyncIterable<Mention> | Iterable<Mention>,
  analysis: AnalysisSettings,
  context: ReportContext,
  options: EmitOptions,
  sink: DataSink,
): Promise<Report> {
  const stream = RENDERERS[options.format].open({
    style: terminalStyle(options.color),
    ...(options.sparklines ? { sparklines: true } : {}),
    width: options.width,
    top: options.top,
    rawCsv: options.rawCsv,
    ...(options.fields ? { fields: options.fields } : {}),
    ...(options.out !== undefined ? { summaryCsvPath: (r: Report) => join(resolveOutDir(options.out!, r), 'summary.csv') } : {}),
  });
  let buffer = '';
  const add = async (text: string): Promise<void> => {
    buffer += text;
    if (buffer.length < FLUSH_BYTES) return;
    await sink.write(buffer);
    buffer = '';
  };
  const report = await analyzeToReport(
    mentions,
    analysis,
    { describeBreach: breachSentence, ...context },
    { keepMentions: holdsEveryMention(options.format, options.keepMentions), onMention: (m) => add(stream.mention(m)), ...(options.warn ? { warn: options.warn } : {}) },
  );
  options.beforeFinish?.(report);
  for (const part of stream.finish(report)) await add(part);
  if (buffer.length > 0) await sink.write(buffer);
  return report;
}
