/** `--out DIR`: the folder a consultant hands over (CSV files, report.json, self-contained report.html). */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { OutputError } from '../core/errors.js';
import { trackTemp, untrackTemp } from './io.js';
import { csvColumns, csvRow } from '../report/csv.js';
import { renderJson } from '../report/json.js';
import type { Report } from '../report/report.js';
import { renderDailyCsv, renderSummaryCsv, renderUnansweredCsv } from '../report/summary-csv.js';

/** The files in a report folder, in the order they are written. */
export const REPORT_FILES = ['mentions.csv', 'unanswered.csv', 'daily.csv', 'summary.csv', 'report.json', 'report.html'] as const;

/** Fills `{date}` (the audit day in the report's time zone) and `{brand}` (a slug) in an --out path. */
export function resolveOutDir(template: string, report: Report): string {
  const date = new Intl.DateTimeFormat('en-CA', { timeZone: report.settings.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(report.generatedAt));
  const brand = (report.settings.brands[0] ?? report.summary.brands[0]?.brand ?? 'all').toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'brand';
  return template.replaceAll('{date}', date).replaceAll('{brand}', brand);
}

/** Writes every report file atomically (temp file + rename); returns the folder written. */
export async function writeReportFolder(report: Report, template: string, options: { rawCsv: boolean; top: number }): Promise<string> {
  const dir = resolveOutDir(template, report);
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw new OutputError(`Cannot create the report folder '${dir}': ${(e as NodeJS.ErrnoException).code ?? String(e)}; choose another --out.`, { cause: e });
  }
  const { renderHtml } = await import('../report/html.js');
  const contents: Record<(typeof REPORT_FILES)[number], () => string> = {
    'mentions.csv': () => stringify(report.mentions.map((m) => csvRow(m, { rawCsv: options.rawCsv })), { header: true, columns: csvColumns(), record_delimiter: '\n' }),
    'unanswered.csv': () => renderUnansweredCsv(report, { rawCsv: options.rawCsv }),
    'daily.csv': () => renderDailyCsv(report),
    'summary.csv': () => renderSummaryCsv(report, report.comparison),
    'report.json': () => renderJson(report),
    'report.html': () => renderHtml(report, { top: options.top }),
  };
  for (const name of REPORT_FILES) await writeFileAtomic(join(dir, name), contents[name]());
  return dir;
}

/** Writes a whole file or nothing: a temp file beside the target, renamed into place. */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  trackTemp(temp);
  try {
    await writeFile(temp, content, { flag: 'wx' });
    await rename(temp, path);
    untrackTemp(temp);
  } catch (e) {
    await rm(temp, { force: true });
    untrackTemp(temp);
    throw new OutputError(`Cannot write '${path}': ${(e as NodeJS.ErrnoException).code ?? String(e)}; check permissions and free space.`, { cause: e });
  }
}
