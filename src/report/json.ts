/** JSON and NDJSON renderers. */
import type { AnalyzedMention } from '../analysis/types.js';
import type { Report } from './report.js';

/** The whole report as pretty JSON (schemaVersion first). */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** One analysed mention as an NDJSON line; the line is itself a valid earshot input record. */
export function ndjsonLine(m: AnalyzedMention): string {
  return `${JSON.stringify(m)}\n`;
}
