/** `--out DIR`: the folder a consultant hands over (CSV files, report.json, self-contained report.html). */
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OutputError } from '../core/errors.js';
import { makeFolder, reason, trackTemp, untrackTemp } from './io.js';
import { plainStyle, renderReport, type RenderOptions } from '../report/index.js';
import type { Report } from '../core/report.js';
import { renderDailyCsv, renderSummaryCsv, renderUnansweredCsv } from '../report/summary-csv.js';
import { renderTrendsCsv } from '../report/history.js';

/** The files in a report folder, in the order they are written. */
const REPORT_FILES = ['mentions.csv', 'unanswered.csv', 'daily.csv', 'summary.csv', 'report.json', 'report.html'] as const;

/** Fills `{date}` (the audit day in the report's time zone) and `{brand}` (a slug) in an --out path. */
export function resolveOutDir(template: string, report: Report): string {
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
  const lock = lockFolder(dir);
  try {
    for (const name of REPORT_FILES) {
      await writeFileAtomic(join(dir, name), contents[name]());
      // With --history only: a folder without trends has no empty trends.csv to mislead a reader.
      if (name === 'summary.csv' && report.trends) await writeFileAtomic(join(dir, 'trends.csv'), renderTrendsCsv(report.trends));
    }
  } finally {
    rmSync(lock, { force: true });
    untrackTemp(lock);
  }
  return dir;
}

/**
 * Takes the folder's lock file (`.earshot.lock`, holding the process id), so that two runs writing one --out folder
 * at once cannot leave it with some files from each: the second is told instead. A lock whose process is gone
 * (a run killed outright) is taken over. Synchronous for the same reason as the temp files: the exit hook that
 * removes it must not run before it exists.
 */
function lockFolder(dir: string): string {
  const lock = join(dir, '.earshot.lock');
  for (let attempt = 0; ; attempt += 1) {
    // Written beside it and linked into place, so a lock is never seen without its process id.
    const temp = `${lock}.${process.pid}.${Date.now()}.tmp`;
    try {
      trackTemp(temp);
      writeFileSync(temp, `${process.pid}\n`, { flag: 'wx' });
      linkSync(temp, lock);
      trackTemp(lock);
      return lock;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) {
        throw new OutputError(`Cannot write the report folder '${dir}': ${reason(e)} for its lock file '${lock}'; choose another --out.`, { cause: e });
      }
    } finally {
      rmSync(temp, { force: true });
      untrackTemp(temp);
    }
    const holder = lockHolder(lock);
    if (holder !== undefined) {
      throw new OutputError(`The report folder '${dir}' is being written by another earshot run (process ${holder}); wait for it to finish, or choose another --out.`);
    }
    rmSync(lock, { force: true });
  }
}

/** The live process that holds a lock file, or undefined when the lock is stale (its process is gone) or unreadable. */
function lockHolder(lock: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(lock, 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (e) {
    // EPERM: it exists, under another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
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
