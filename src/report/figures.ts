/**
 * The figure registry: every headline number of a BrandSummary, once. summary.csv's columns, `--compare` and its
 * change table read from here, so a new metric is its computation in the summary plus one row below.
 */
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
}

const count = (v: number): string => String(v);
const fig = (id: string, label: string, get: Figure['get'], format: Figure['format'], higherIsBetter?: boolean): Figure => ({ id, label, get, format, ...(higherIsBetter !== undefined ? { higherIsBetter } : {}) });

/** Every figure, in summary.csv's column order. */
export const FIGURES: readonly Figure[] = [
  fig('mentions', 'Mentions', (b) => b.volume.total, count),
  fig('customer_mentions', 'Customer mentions', (b) => b.volume.customer, count),
  fig('brand_mentions', 'Brand posts', (b) => b.volume.fromBrand, count),
  fig('share_of_voice', 'Share of voice', (b) => b.shareOfVoice, pct, true),
  fig('positive', 'Positive', (b) => b.sentiment.positive, count, true),
  fig('neutral', 'Neutral', (b) => b.sentiment.neutral, count),
  fig('negative', 'Negative', (b) => b.sentiment.negative, count, false),
  fig('unscored', 'Unscored', (b) => b.sentiment.unscored, count),
  fig('positive_share', 'Positive share', (b) => b.sentiment.positiveShare, pct, true),
  fig('negative_share', 'Negative share', (b) => b.sentiment.negativeShare, pct, false),
  fig('complaints', 'Complaints', (b) => b.intents.complaint, count, false),
  fig('questions', 'Questions', (b) => b.intents.question, count),
  fig('praise', 'Praise', (b) => b.intents.praise, count, true),
  fig('needing_reply', 'Needing a reply', (b) => b.response.needingReply, count),
  fig('answered', 'Answered', (b) => b.response.answered, count, true),
  fig('unanswered', 'Unanswered', (b) => b.response.unanswered, count, false),
  fig('response_rate', 'Response rate', (b) => b.response.rate, pct, true),
  fig('median_reply_minutes', 'Median first reply', (b) => b.response.medianMinutes, minutesText, false),
  fig('p90_reply_minutes', 'p90 first reply', (b) => b.response.p90Minutes, minutesText, false),
  fig('median_reply_business_minutes', 'Median first reply, business', (b) => b.response.medianBusinessMinutes, minutesText, false),
  fig('p90_reply_business_minutes', 'p90 first reply, business', (b) => b.response.p90BusinessMinutes, minutesText, false),
  fig('within_target_share', 'Answered within target', (b) => b.response.withinTarget?.calendarShare, pct, true),
  fig('within_target_business_share', 'Answered within target, business', (b) => b.response.withinTarget?.businessShare, pct, true),
  fig('in_hours_needing_reply', 'In hours: needing a reply', (b) => b.offHours.inHours.needingReply, count),
  fig('in_hours_response_rate', 'In-hours response rate', (b) => b.offHours.inHours.rate, pct, true),
  fig('in_hours_median_minutes', 'In-hours median first reply', (b) => b.offHours.inHours.medianMinutes, minutesText, false),
  fig('off_hours_needing_reply', 'Off hours: needing a reply', (b) => b.offHours.offHours.needingReply, count),
  fig('off_hours_response_rate', 'Off-hours response rate', (b) => b.offHours.offHours.rate, pct, true),
  fig('off_hours_median_minutes', 'Off-hours median first reply', (b) => b.offHours.offHours.medianMinutes, minutesText, false),
  fig('deflections', 'Deflecting replies', (b) => b.response.deflections, count, false),
  fig('deflection_share', 'Deflection share', (b) => b.response.deflectionShare, pct, false),
  fig('broadcasts', 'Broadcasts', (b) => b.brandActivity.broadcasts, count),
  fig('brand_replies', 'Brand replies', (b) => b.brandActivity.replies, count, true),
  fig('broadcast_share', 'Broadcast share', (b) => b.brandActivity.broadcastShare, pct, false),
  fig('broadcasts_while_complaints_waited', 'Broadcasts while complaints waited', (b) => b.brandActivity.broadcastsWhileComplaintWaiting, count, false),
];

/** Figures `--compare` reports, in report.json's order. */
export const COMPARED = ['mentions', 'negative_share', 'response_rate', 'median_reply_minutes', 'p90_reply_minutes', 'unanswered', 'off_hours_response_rate', 'broadcasts_while_complaints_waited'] as const;

/** Compared figures summary.csv gains a `<id>_change` column for. */
export const CHANGE_COLUMNS: readonly ComparedFigure[] = ['mentions', 'negative_share', 'response_rate', 'median_reply_minutes', 'unanswered'];

/** A figure `--compare` reports. */
export type ComparedFigure = (typeof COMPARED)[number];

const BY_ID = new Map(FIGURES.map((f) => [f.id, f]));

/** The registry row for an id (ids come from this module, so a missing one is a programming error). */
export function figure(id: string): Figure {
  const f = BY_ID.get(id);
  if (!f) throw new Error(`Unknown figure '${id}'.`);
  return f;
}
