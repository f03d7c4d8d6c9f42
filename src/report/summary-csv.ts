/** CSV renderers for the report folder: summary.csv, daily.csv and unanswered.csv (columns in docs/csv.md). */
import { stringify } from 'csv-stringify/sync';
import { neutraliseFormula } from '../core/sanitize.js';
import type { BrandSummary, Report } from '../core/report.js';
import type { Comparison } from './compare.js';

type Cell = string | number | boolean | null | undefined;

/** One summary.csv column: a name and how to read it from a brand's figures. */
interface SummaryColumn {
  name: string;
  get: (b: BrandSummary) => Cell;
}

/** summary.csv: one row per brand (then `(all)` when several), every headline figure. */
export const SUMMARY_COLUMNS: readonly SummaryColumn[] = [
  { name: 'brand', get: (b) => b.brand },
  { name: 'mentions', get: (b) => b.volume.total },
  { name: 'customer_mentions', get: (b) => b.volume.customer },
  { name: 'brand_mentions', get: (b) => b.volume.fromBrand },
  { name: 'share_of_voice', get: (b) => b.shareOfVoice },
  { name: 'positive', get: (b) => b.sentiment.positive },
  { name: 'neutral', get: (b) => b.sentiment.neutral },
  { name: 'negative', get: (b) => b.sentiment.negative },
  { name: 'unscored', get: (b) => b.sentiment.unscored },
  { name: 'positive_share', get: (b) => b.sentiment.positiveShare },
  { name: 'negative_share', get: (b) => b.sentiment.negativeShare },
  { name: 'complaints', get: (b) => b.intents.complaint },
  { name: 'questions', get: (b) => b.intents.question },
  { name: 'praise', get: (b) => b.intents.praise },
  { name: 'needing_reply', get: (b) => b.response.needingReply },
  { name: 'answered', get: (b) => b.response.answered },
  { name: 'unanswered', get: (b) => b.response.unanswered },
  { name: 'response_rate', get: (b) => b.response.rate },
  { name: 'median_reply_minutes', get: (b) => b.response.medianMinutes },
  { name: 'p90_reply_minutes', get: (b) => b.response.p90Minutes },
  { name: 'median_reply_business_minutes', get: (b) => b.response.medianBusinessMinutes },
  { name: 'p90_reply_business_minutes', get: (b) => b.response.p90BusinessMinutes },
  { name: 'within_target_share', get: (b) => b.response.withinTarget?.calendarShare },
  { name: 'within_target_business_share', get: (b) => b.response.withinTarget?.businessShare },
  { name: 'in_hours_needing_reply', get: (b) => b.offHours.inHours.needingReply },
  { name: 'in_hours_response_rate', get: (b) => b.offHours.inHours.rate },
  { name: 'in_hours_median_minutes', get: (b) => b.offHours.inHours.medianMinutes },
  { name: 'off_hours_needing_reply', get: (b) => b.offHours.offHours.needingReply },
  { name: 'off_hours_response_rate', get: (b) => b.offHours.offHours.rate },
  { name: 'off_hours_median_minutes', get: (b) => b.offHours.offHours.medianMinutes },
  { name: 'deflections', get: (b) => b.response.deflections },
  { name: 'deflection_share', get: (b) => b.response.deflectionShare },
  { name: 'broadcasts', get: (b) => b.brandActivity.broadcasts },
  { name: 'brand_replies', get: (b) => b.brandActivity.replies },
  { name: 'broadcast_share', get: (b) => b.brandActivity.broadcastShare },
  { name: 'broadcasts_while_complaints_waited', get: (b) => b.brandActivity.broadcastsWhileComplaintWaiting },
  { name: 'spikes', get: (b) => b.spikes.map((s) => `${s.date} ${s.kind}`).join('; ') },
];

/** Columns summary.csv gains with --compare: the change since the previous report. */
const DELTA_COLUMNS = ['mentions', 'negative_share', 'response_rate', 'median_reply_minutes', 'unanswered'] as const;

const CSV = { header: true, record_delimiter: '\n' } as const;

function cell(v: Cell): string | number {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return typeof v === 'number' ? v : neutraliseFormula(v);
}

function brandsOf(report: Report): BrandSummary[] {
  const { overall, brands } = report.summary;
  return brands.length > 1 ? [...brands, overall] : brands.length === 1 ? brands : [overall];
}

/** summary.csv: one row per brand with every headline figure (and deltas with --compare). */
export function renderSummaryCsv(report: Report, comparison?: Comparison): string {
  const header = [...SUMMARY_COLUMNS.map((c) => c.name), ...(comparison ? DELTA_COLUMNS.map((d) => `${d}_change`) : [])];
  const rows = brandsOf(report).map((b) => {
    const base = SUMMARY_COLUMNS.map((c) => cell(c.get(b)));
    if (!comparison) return base;
    const deltas = comparison.brands.find((x) => x.brand === b.brand)?.changes;
    return [...base, ...DELTA_COLUMNS.map((d) => cell(deltas?.find((x) => x.figure === d)?.change))];
  });
  return stringify(rows, { ...CSV, columns: header });
}

/** daily.csv: one row per brand and day (days in the report's time zone). */
export function renderDailyCsv(report: Report): string {
  const rows = brandsOf(report).flatMap((b) => b.volume.byDay.map((d) => [cell(b.brand), d.date, d.count, d.positive, d.negative]));
  return stringify(rows, { ...CSV, columns: ['brand', 'date', 'mentions', 'positive', 'negative'] });
}

/** unanswered.csv: every brand's unanswered queue, most severe first, with links. */
export function renderUnansweredCsv(report: Report, options: { rawCsv?: boolean } = {}): string {
  const text = (v: string | undefined): string => (v === undefined ? '' : options.rawCsv ? v : neutraliseFormula(v));
  const brands = report.summary.brands.length > 0 ? report.summary.brands : [report.summary.overall];
  const rows = brands.flatMap((b) =>
    b.unanswered.map((u, i) => [text(b.brand), i + 1, text(u.id), u.source, u.createdAt, u.openMinutes, u.severity, u.intent, u.sentiment, text(u.author), text(u.url), text(u.excerpt)]),
  );
  return stringify(rows, { ...CSV, columns: ['brand', 'rank', 'id', 'source', 'created_at', 'open_minutes', 'severity', 'intent', 'sentiment', 'author', 'url', 'excerpt'] });
}
