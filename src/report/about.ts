/** What a report is about, said once for every renderer: the audit's name and its time window. */
import { oneLine } from '../core/sanitize.js';
import type { Report } from '../core/report.js';
import { localDateTime } from './format.js';

// Past this many names a title stops listing them: 76 companies are a list, not a name.
const MAX_NAMED = 3;

/**
 * The audit's name for titles and headings: the audited brands (the first and how many competitors when there are
 * many), else the brands in the input when they are few, else the input file, else how many brands there are.
 */
export function auditName(report: Report): string {
  const asked = report.settings.brands.map(oneLine);
  if (asked.length > 0) return asked.length <= MAX_NAMED ? asked.join(', ') : `${asked[0]} and ${asked.length - 1} competitors`;
  const found = report.summary.brands.map((b) => oneLine(b.brand));
  if (found.length <= MAX_NAMED && found.length > 0) return found.join(', ');
  const input = report.settings.input === undefined ? '' : oneLine(report.settings.input).split(/[\\/]/).pop() ?? '';
  if (input !== '' && input !== '-') return input;
  return found.length > 0 ? `${found.length} brands` : 'all mentions';
}

/**
 * The time window as the table and the HTML header both say it: --since/--until when given (local times, the end
 * defaulting to the as-of time), otherwise the first and last local day that has a mention.
 */
export function windowText(report: Report): string {
  const s = report.settings;
  const tz = s.timeZone;
  if (s.since !== undefined || s.until !== undefined) {
    const from = s.since !== undefined ? localDateTime(s.since, tz) : '…';
    return `${from} → ${localDateTime(s.until ?? report.generatedAt, tz)} ${tz}`;
  }
  const days = report.summary.overall.volume.byDay;
  return days.length > 0 ? `${days[0]!.date} → ${days[days.length - 1]!.date} (days with mentions)` : 'no mentions';
}
