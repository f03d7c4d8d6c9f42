/** Week over week: the change in headline figures against a previous report.json. */
import { InputError } from '../core/errors.js';
import { minutesText, pct } from './format.js';
import { SCHEMA_VERSION, type BrandSummary, type Comparison, type FigureChange, type Report } from '../core/report.js';
export type { Comparison, FigureChange } from '../core/report.js';

const FIGURES: [FigureChange['figure'], (b: BrandSummary) => number | null][] = [
  ['mentions', (b) => b.volume.total],
  ['negative_share', (b) => b.sentiment.negativeShare],
  ['response_rate', (b) => b.response.rate],
  ['median_reply_minutes', (b) => b.response.medianMinutes],
  ['p90_reply_minutes', (b) => b.response.p90Minutes],
  ['unanswered', (b) => b.response.unanswered],
  ['off_hours_response_rate', (b) => b.offHours.offHours.rate],
  ['broadcasts_while_complaints_waited', (b) => b.brandActivity.broadcastsWhileComplaintWaiting],
];

/** Checks that a parsed file is an earshot report this version can compare with. */
export function asPreviousReport(value: unknown, file: string): Report {
  const r = value as Partial<Report> | null;
  if (!r || typeof r !== 'object' || typeof r.schemaVersion !== 'number' || !r.summary || !r.summary.overall) {
    throw new InputError(`--compare '${file}' is not an earshot report.json (no schemaVersion or summary); give the report.json of an earlier run.`);
  }
  if (r.schemaVersion > SCHEMA_VERSION) throw new InputError(`--compare '${file}' has schemaVersion ${r.schemaVersion}, newer than this earshot understands (${SCHEMA_VERSION}); upgrade earshot.`);
  return r as Report;
}

/** Compares brand by brand (matched by name; `(all)` with `(all)`). */
export function compareReports(previous: Report, current: Report['summary']): Comparison {
  const prevBrands = new Map([...previous.summary.brands, previous.summary.overall].map((b) => [b.brand, b]));
  const brands = [...current.brands, ...(current.brands.length > 1 ? [current.overall] : [])].map((b) => {
    const p = prevBrands.get(b.brand) ?? (current.brands.length <= 1 ? previous.summary.brands[0] ?? previous.summary.overall : undefined);
    return {
      brand: b.brand,
      changes: FIGURES.map(([figure, get]): FigureChange => {
        const cur = get(b);
        const prev = p ? get(p) : null;
        const change = cur === null || prev === null ? null : Math.round((cur - prev) * 10_000) / 10_000;
        return { figure, previous: prev, current: cur, change };
      }),
    };
  });
  return { previousGeneratedAt: previous.generatedAt, brands };
}

/** Human label and value format for each compared figure (table and HTML report). */
export const CHANGE_LABELS: Record<FigureChange['figure'], [string, (v: number) => string]> = {
  mentions: ['Mentions', (v) => String(v)],
  negative_share: ['Negative share', (v) => pct(v)],
  response_rate: ['Response rate', (v) => pct(v)],
  median_reply_minutes: ['Median first reply', (v) => minutesText(v)],
  p90_reply_minutes: ['p90 first reply', (v) => minutesText(v)],
  unanswered: ['Unanswered', (v) => String(v)],
  off_hours_response_rate: ['Off-hours response rate', (v) => pct(v)],
  broadcasts_while_complaints_waited: ['Broadcasts while complaints waited', (v) => String(v)],
};

/** One change as display cells: label, before, now, signed change (`=` when unchanged, `—` when unknown). */
export function changeCells(ch: FigureChange): [string, string, string, string] {
  const [label, fmt] = CHANGE_LABELS[ch.figure];
  const show = (v: number | null): string => (v === null ? '—' : fmt(v));
  const delta = ch.change === null ? '—' : ch.change === 0 ? '=' : `${ch.change > 0 ? '+' : '−'}${fmt(Math.abs(ch.change))}`;
  return [label, show(ch.previous), show(ch.current), delta];
}
