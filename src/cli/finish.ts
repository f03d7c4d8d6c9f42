/** What analyze and audit do after the report is written: the report folder, alerts, thresholds, exit code. */
import type { Writable } from 'node:stream';
import { EXIT } from '../core/errors.js';
import { stripControl } from '../core/sanitize.js';
import type { Report } from '../core/report.js';
import { writeReportFolder } from './report-folder.js';
import type { Settings } from './resolve.js';
import type { CommonSettings } from './settings.js';

/** Writes --out, reports spikes and threshold breaches on stderr, and returns the exit code. */
export async function finishRun(report: Report, o: Pick<Settings, 'out'>, common: CommonSettings, stderr: Writable, options: { format: string; rawCsv: boolean; top: number }): Promise<number> {
  if (o.out !== undefined) {
    const dir = await writeReportFolder(report, o.out, options);
    common.log.info(`Report folder written: ${dir}/ (report.html, report.json, mentions.csv, unanswered.csv, daily.csv, summary.csv${report.trends ? ', trends.csv' : ''})`);
  }
  // Tables, JSON and HTML show spikes themselves; row formats have nowhere to put them but stderr.
  if (options.format !== 'table') {
    for (const b of report.summary.brands) for (const s of b.spikes) common.log.warn(`${b.brand}: ${s.message}`);
  }
  common.log.finish();
  // A threshold on an undefined figure is neither passed nor breached: said even with --quiet, so an outage is not a good week.
  for (const line of report.notEvaluated ?? []) stderr.write(`${stripControl(`earshot: threshold not evaluated: ${line}`)}\n`);
  if (report.breaches && report.breaches.length > 0) {
    // Breaches are the point of a cron run: shown even with --quiet.
    for (const line of report.breaches) stderr.write(`${stripControl(`earshot: threshold breached: ${line}`)}\n`);
    return EXIT.threshold;
  }
  return EXIT.ok;
}
