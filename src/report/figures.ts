/**
 * The figure registry: every headline number of a BrandSummary, once. summary.csv's columns, `--compare` and its
 * change table read from here, and the table's and HTML report's views (views.ts) place figures by id, so a new
 * metric is its computation in the summary plus one row below (and its id in the views that should show it).
 */
import { DEADLINE_CLASSES } from '../analysis/deadlines.js';
import type { BrandSummary } from '../core/report.js';
import { minutesText, pct } from './format.js';

/** One figure of a brand's summary. */
export interface Figure {
  /** snake_case: summary.csv's column and `--compare`'s figure name. */
  id: string;
  label: string;
  get(b: BrandSummary): number | null | undefined;
  /** The value as people read it (tables, HTML). */
  format(v: number): string;
  /** True when a rise is good news, false when bad; absent when neither. */
  higherIsBetter?: boolean;
  /** What the number counts: views format counts with thousands separators where they can. */
  unit: FigureUnit;
  /** How a value reads at a glance, for views that colour it; absent when it never stands out. */
  tone?(v: number): Tone | undefined;
  /** summary.csv puts it after `spikes`: added since, so the columns before keep their place for readers by position. */
  afterSpikes?: true;
}

/** What a figure's number is. */
type FigureUnit = 'count' | 'share' | 'minutes';

/** A value's emphasis: good news, worth a look, or bad news. */
export type Tone = 'good' | 'warn' | 'bad';

const FORMAT: Record<FigureUnit, Figure['format']> = { count: (v) => String(v), share: pct, minutes: minutesText };
const fig = (id: string, label: string, get: Figure['get'], unit: FigureUnit, higherIsBetter?: boolean, tone?: Figure['tone']): Figure => ({
  id, label, get, format: FORMAT[unit], unit, ...(higherIsBetter !== undefined ? { higherIsBetter } : {}), ...(tone ? { tone } : {}),
});
// The response rate's bands: 80% and over is good, under half is bad.
const rateTone = (v: number): Tone => (v >= 0.8 ? 'good' : v >= 0.5 ? 'warn' : 'bad');
// Any at all is worth a look.
const anyIsWarn = (v: number): Tone | undefined => (v > 0 ? 'warn' : undefined);

/** Every figure, in summary.csv's column order. */
export const FIGURES: readonly Figure[] = [
  fig('mentions', 'Mentions', (b) => b.volume.total, 'count'),
  fig('customer_mentions', 'Customer mentions', (b) => b.volume.customer, 'count'),
  fig('brand_mentions', 'Brand posts', (b) => b.volume.fromBrand, 'count'),
  fig('share_of_voice', 'Share of voice', (b) => b.shareOfVoice, 'share', true),
  fig('positive', 'Positive', (b) => b.sentiment.positive, 'count', true),
  fig('neutral', 'Neutral', (b) => b.sentiment.neutral, 'count'),
  fig('negative', 'Negative', (b) => b.sentiment.negative, 'count', false),
  fig('unscored', 'Unscored', (b) => b.sentiment.unscored, 'count'),
  fig('positive_share', 'Positive share', (b) => b.sentiment.positiveShare, 'share', true),
  fig('negative_share', 'Negative share', (b) => b.sentiment.negativeShare, 'share', false),
  fig('complaints', 'Complaints', (b) => b.intents.complaint, 'count', false),
  fig('questions', 'Questions', (b) => b.intents.question, 'count'),
  fig('praise', 'Praise', (b) => b.intents.praise, 'count', true),
  fig('needing_reply', 'Needing a reply', (b) => b.response.needingReply, 'count'),
  fig('answered', 'Answered', (b) => b.response.answered, 'count', true),
  fig('unanswered', 'Unanswered', (b) => b.response.unanswered, 'count', false, anyIsWarn),
  fig('response_rate', 'Response rate', (b) => b.response.rate, 'share', true, rateTone),
  fig('median_reply_minutes', 'Median first reply', (b) => b.response.medianMinutes, 'minutes', false),
  fig('p90_reply_minutes', 'p90 first reply', (b) => b.response.p90Minutes, 'minutes', false),
  fig('median_reply_business_minutes', 'Median first reply, business', (b) => b.response.medianBusinessMinutes, 'minutes', false),
  fig('p90_reply_business_minutes', 'p90 first reply, business', (b) => b.response.p90BusinessMinutes, 'minutes', false),
  fig('within_target_share', 'Answered within target', (b) => b.response.withinTarget?.calendarShare, 'share', true),
  fig('within_target_business_share', 'Answered within target, business', (b) => b.response.withinTarget?.businessShare, 'share', true),
  fig('in_hours_needing_reply', 'In hours: needing a reply', (b) => b.offHours.inHours.needingReply, 'count'),
  fig('in_hours_response_rate', 'In-hours response rate', (b) => b.offHours.inHours.rate, 'share', true),
  fig('in_hours_median_minutes', 'In-hours median first reply', (b) => b.offHours.inHours.medianMinutes, 'minutes', false),
  fig('off_hours_needing_reply', 'Off hours: needing a reply', (b) => b.offHours.offHours.needingReply, 'count'),
  fig('off_hours_response_rate', 'Off-hours response rate', (b) => b.offHours.offHours.rate, 'share', true),
  fig('off_hours_median_minutes', 'Off-hours median first reply', (b) => b.offHours.offHours.medianMinutes, 'minutes', false),
  fig('deflections', 'Deflecting replies', (b) => b.response.deflections, 'count', false),
  fig('deflection_share', 'Deflection share', (b) => b.response.deflectionShare, 'share', false),
  fig('broadcasts', 'Broadcasts', (b) => b.brandActivity.broadcasts, 'count'),
  fig('brand_replies', 'Brand replies', (b) => b.brandActivity.replies, 'count', true),
  fig('broadcast_share', 'Broadcast share', (b) => b.brandActivity.broadcastShare, 'share', false),
  fig('broadcasts_while_complaints_waited', 'Broadcasts while complaints waited', (b) => b.brandActivity.broadcastsWhileComplaintWaiting, 'count', false, anyIsWarn),
  // Added since summary.csv's `spikes` column: they go after it, so columns read by position keep their place.
  ...[
    fig('canned_first_replies', 'Canned first replies', (b) => b.response.cannedFirstReplies, 'count', false),
    fig('canned_share', 'Canned share', (b) => b.response.cannedShare, 'share', false),
    fig('substantive', 'Answered substantively', (b) => b.response.substantive, 'count', true),
    fig('substantive_rate', 'Substantive response rate', (b) => b.response.substantiveRate, 'share', true, rateTone),
    fig('follow_ups_unanswered', 'Came back, no answer', (b) => b.response.followUpsUnanswered, 'count', false, anyIsWarn),
    fig('resolved', 'Resolved in public', (b) => b.response.resolved, 'count', true),
    fig('unresolved', 'Unresolved in public', (b) => b.response.unresolved, 'count', false),
    fig('resolution_unknown', 'Resolution unknown', (b) => b.response.resolutionUnknown, 'count'),
    fig('resolved_share', 'Resolved share', (b) => b.response.resolvedShare, 'share', true),
    fig('unresolved_share', 'Unresolved share', (b) => b.response.unresolvedShare, 'share', false),
    // Triage classes beside complaint / question / praise (docs/metrics.md), and what is past its reply deadline.
    fig('outages', 'Outage and bug reports', (b) => b.intents.outage, 'count', false),
    fig('churn_risk', 'Churn risk', (b) => b.intents.churn, 'count', false),
    fig('purchase_intent', 'Purchase intent', (b) => b.intents.purchase, 'count'),
    fig('spam', 'Spam and self-promotion', (b) => b.intents.spam, 'count'),
    fig('overdue', 'Overdue', (b) => b.overdue?.total, 'count', false, anyIsWarn),
    ...DEADLINE_CLASSES.map((c) => fig(`overdue_${c}`, `Overdue: ${c}`, (b) => b.overdue?.byClass[c], 'count', false)),
  ].map((f): Figure => ({ ...f, afterSpikes: true })),
];

/** Figures `--compare` reports, in report.json's order. */
export const COMPARED = [
  'mentions', 'negative_share', 'response_rate', 'median_reply_minutes', 'p90_reply_minutes', 'unanswered', 'off_hours_response_rate', 'broadcasts_while_complaints_waited',
  'substantive_rate', 'canned_share', 'follow_ups_unanswered',
  'resolved_share', 'unresolved_share',
] as const;

/** Compared figures summary.csv gains a `<id>_change` column for. */
export const CHANGE_COLUMNS: readonly ComparedFigure[] = ['mentions', 'negative_share', 'response_rate', 'median_reply_minutes', 'unanswered'];

/** A figure `--compare` reports. */
type ComparedFigure = (typeof COMPARED)[number];
