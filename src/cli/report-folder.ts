/** `--out DIR`: the folder a consultant hands over (CSV files, report.json, self-contained report.html). */
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OutputError } from '../core/errors.js';
import { makeFolder, reason, trackTemp, untrackTemp } from './io.js';
import { plainStyle, renderReport, type RenderOptions } from '../report/index.js';
import type { Report } from '../core/report.js';
import { renderDailyCsv, renderSummaryCsv, renderUnansweredCsv } from '../report/summary-csv.js';

/** The files in a report folder, in the order they are written. */
const REPORT_FILES = ['mentions.csv', 'unanswered.csv', 'daily.csv', 'summary.csv', 'report.json', 'report.html'] as const;

/** Fills `{date}` (the audit day in the report's time zone) and `{brand}` (a slug) in an --out path. */
function resolveOutDir(template: string, report: Report): string {
  const date = new Intl.DateTimeFormat('en-CA', { timeZone: report.settings.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(report.generatedAt));
  const brand = (report.settings.brands[0] ?? report.summary.brands[0]?.brand ?? 'all').toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'brand';
  return template.replaceAll('{date}', date).replaceAll('{brand}', brand);
}

/** Writes every report file atomically (temp file + rename); returns the folder written. */
export async function writeReportFolder(report: Report, template: string, options: { rawCsv: boolean; top: number }): Promise<string> {
  const dir = resolveOutDir(template, report);
  await makeFolder(dir, (problem) => new OutputError(`Cannot create the report folder '${dir}': ${problem}; choose another --out.`));
  const opts: RenderOptions = { style: plainStyle, width: 80, top: options.top, rawCsv: options.rawCsv };
  const contents: Record<(typeof REPORT_FILES)[number], () => string | Iterable<string>> = {
    'mentions.csv': () => renderReport('csv', report, opts),
    'unanswered.csv': () => renderUnansweredCsv(report, { rawCsv: options.rawCsv }),
    'daily.csv': () => renderDailyCsv(report),
    'summary.csv': () => renderSummaryCsv(report, report.comparison),
    'report.json': () => renderReport('json', report, opts),
    'report.html': () => renderReport('html', report, opts),
  };
  for (const name of REPORT_FILES) await writeFileAtomic(join(dir, name), contents[name]());
  return dir;
}

/** Writes a whole file or nothing: a temp file beside the target, renamed into place. */
async function writeFileAtomic(path: string, content: string | Iterable<string>): Promise<void> {
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  trackTemp(temp);
  try {
    await writeFile(temp, content, { flag: 'wx' });
    await rename(temp, path);
    untrackTemp(temp);
  } catch (e) {
    await rm(temp, { force: true });
    untrackTemp(temp);
    throw new OutputError(`Cannot write '${path}': ${reason(e)}; check the folder, its permissions and free space.`, { cause: e });
  }
}
