/**
 * Views over the figure registry: which figures the table's headline and brand table, the HTML report's cards and
 * competitor table show, and, where a view says more than one value ("6 (5 customer, 1 brand)"), the words it uses.
 * A figure placed by its id alone shows its label and its formatted value, so a new metric needs no renderer change.
 */
import type { BrandSummary } from '../core/report.js';
import { CHANGE_COLUMNS, COMPARED, FIGURES, type Figure, type Tone } from './figures.js';
import { minutesText, pct } from './format.js';

/** A brand's figures as one view shows them. */
export interface Values {
  /** A figure's value as this view formats it, emphasised by the figure's tone where the view colours text. */
  (id: string): string;
  /** The value without emphasis. */
  plain(id: string): string;
  /** Text emphasised as a tone (the table colours it; HTML leaves it as it is). */
  em(tone: Tone, text: string): string;
}

/** One line of a view (a row, a card, a column): the figure it shows and, when not by default, its words. */
export interface Shown {
  /** The registry figure; without `text`, the line shows its value. */
  id: string;
  /** This view's label; default the figure's. */
  label?: string | ((b: BrandSummary) => string);
  /** This view's text when it says more than the figure's value. */
  text?(b: BrandSummary, v: Values): string;
  /** Shown only for brands where this holds (a figure the summary does not always have). */
  when?(b: BrandSummary): boolean;
}

/** A card of the HTML headline: a line with a note beneath its value and a link to its definition. */
interface Card extends Shown {
  /** The card's `data-figure`; default the id with hyphens. */
  key?: string;
  note?(b: BrandSummary, v: Values): string;
  /** The id of its definition in "How to read this"; default that section. */
  def?: string;
  /** The card's emphasis; default the figure's tone of its value. */
  tone?(b: BrandSummary): Tone | undefined;
}

/** The figures, what `--compare` reports, and each view's placement of them: everything the renderers read. */
export interface FigureRegistry {
  figures: readonly Figure[];
  /** Figure ids `--compare` reports, in report.json's order. */
  compared: readonly string[];
  /** Compared figure ids summary.csv gains a `<id>_change` column for. */
  changeColumns: readonly string[];
  views: {
    /** The table's headline (one brand). */
    tableHeadline: readonly Shown[];
    /** The table's brands side by side (rows). */
    tableBrands: readonly Shown[];
    /** The table's brands one row each, when more than fit side by side (columns, the first kept longest). */
    tableRanked: readonly Shown[];
    /** The HTML report's headline cards. */
    htmlCards: readonly Card[];
    /** The HTML report's competitor table (columns). */
    htmlBrands: readonly Shown[];
  };
}

// Shares beside shares: positive and negative are of the scored customer mentions, unscored of all of them.
const unscoredShare = (b: BrandSummary): string => pct(b.volume.customer > 0 ? b.sentiment.unscored / b.volume.customer : null);
const unseen = (b: BrandSummary): number => b.volume.bySource.reduce((n, s) => n + s.unobservable, 0);

/**
 * The one line that says why the substantive rate is below the response rate: of the answered, how many got a
 * template first and how many only a deflection. Shown beside the substantive rate in the table and the HTML.
 */
function substantiveNote(b: BrandSummary): string {
  const r = b.response;
  if (r.needingReply === 0) return 'nothing needed a reply';
  if (r.answered === 0) return `0 of ${r.needingReply} answered`;
  if (r.answered === r.substantive) return `${r.substantive}/${r.needingReply}: every answer written for its customer`;
  const deflecting = Math.max(0, r.answered - r.cannedFirstReplies - r.substantive);
  const less = [r.cannedFirstReplies > 0 ? `${r.cannedFirstReplies} canned` : '', deflecting > 0 ? `${deflecting} only deflected` : ''].filter((s) => s !== '');
  return `${r.substantive}/${r.needingReply}; of ${r.answered} answered, ${less.join(', ')}`;
}

/** Resolution in public, in words: of the answered, how many said fixed, not fixed, or nothing decisive. */
function resolutionText(b: BrandSummary, v: Values): string {
  if (b.response.answered === 0) return 'no answer to follow';
  return `${v('resolved_share')} resolved · ${v('unresolved_share')} not · ${v('resolution_unknown')} of ${v('answered')} unknown`;
}

/** The table's headline, one row each. */
const TABLE_HEADLINE: readonly Shown[] = [
  { id: 'mentions', text: (_b, v) => `${v('mentions')} (${v('customer_mentions')} customer, ${v('brand_mentions')} brand)` },
  {
    id: 'negative_share',
    label: 'Sentiment (customers)',
    text: (b, v) => `${v('positive_share')} positive · ${v.em('bad', v.plain('negative_share'))} negative${b.sentiment.unscored ? ` · ${unscoredShare(b)} unscored` : ''}`,
  },
  { id: 'needing_reply', text: (b, v) => `${v('needing_reply')} complaints and questions${unseen(b) > 0 ? ` (+${unseen(b)} where replies cannot be seen)` : ''}` },
  { id: 'response_rate', text: (_b, v) => `${v('response_rate')} (${v('answered')}/${v('needing_reply')})` },
  { id: 'substantive_rate', label: 'Substantive rate', text: (b, v) => `${v('substantive_rate')} (${substantiveNote(b)})` },
  { id: 'canned_share', label: 'Canned replies', text: (b, v) => `${v('canned_share')} of answers (${b.response.templates.length} template${b.response.templates.length === 1 ? '' : 's'})` },
  { id: 'follow_ups_unanswered' },
  { id: 'resolved_share', label: 'Resolved in public', text: resolutionText },
  { id: 'median_reply_minutes', label: 'First reply, median', text: (_b, v) => `${v('median_reply_minutes')} (business ${v('median_reply_business_minutes')})` },
  { id: 'p90_reply_minutes', label: 'First reply, p90', text: (_b, v) => `${v('p90_reply_minutes')} (business ${v('p90_reply_business_minutes')})` },
  { id: 'in_hours_response_rate', label: 'In hours: rate, median', text: (_b, v) => `${v('in_hours_response_rate')}, ${v('in_hours_median_minutes')} (${v('in_hours_needing_reply')} needing)` },
  { id: 'off_hours_response_rate', label: 'Off hours: rate, median', text: (_b, v) => `${v('off_hours_response_rate')}, ${v('off_hours_median_minutes')} (${v('off_hours_needing_reply')} needing)` },
  {
    id: 'within_target_share',
    when: (b) => b.response.withinTarget !== undefined,
    label: (b) => `Answered within ${minutesText(b.response.withinTarget?.targetMinutes)}`,
    text: (_b, v) => `${v('within_target_share')} (business hours: ${v('within_target_business_share')})`,
  },
  { id: 'deflections', text: (_b, v) => `${v('deflections')} (${v('deflection_share')} of answers)` },
  { id: 'broadcasts', label: 'Broadcasts vs replies', text: (_b, v) => `${v('broadcasts')} vs ${v('brand_replies')} (${v('broadcast_share')} broadcast)` },
  { id: 'broadcasts_while_complaints_waited', label: 'Promos while complaints open' },
  { id: 'overdue', label: 'Past reply deadline', text: (b, v) => `${v('overdue')}${overdueByClass(b)}` },
];

/** The table's brands side by side, one row each. Customer mentions: the count share of voice divides. */
const TABLE_BRANDS: readonly Shown[] = [
  { id: 'customer_mentions' },
  { id: 'share_of_voice' },
  { id: 'negative_share', label: 'Negative (customers)' },
  { id: 'needing_reply' },
  { id: 'response_rate' },
  { id: 'substantive_rate', label: 'Substantive rate' },
  { id: 'canned_share' },
  { id: 'resolved_share', label: 'Resolved in public' },
  { id: 'median_reply_minutes' },
  { id: 'p90_reply_minutes' },
  { id: 'median_reply_business_minutes', label: 'Median, business' },
  { id: 'in_hours_response_rate', label: 'Rate in / off hours', text: (_b, v) => `${v('in_hours_response_rate')}/${v('off_hours_response_rate')}` },
  { id: 'broadcasts', label: 'Broadcasts / replies', text: (_b, v) => `${v('broadcasts')}/${v('brand_replies')}` },
  // Uncoloured here: beside other brands' counts a warning colour says nothing.
  { id: 'unanswered', text: (_b, v) => v.plain('unanswered') },
];

/** The table's brands one row each, columns in the order they are given up as the terminal narrows (last first). */
const TABLE_RANKED: readonly Shown[] = [
  { id: 'customer_mentions' },
  { id: 'share_of_voice' },
  { id: 'needing_reply', label: 'Need reply' },
  { id: 'answered' },
  { id: 'response_rate', label: 'Rate' },
  { id: 'median_reply_minutes', label: 'Median reply' },
  { id: 'negative_share', label: 'Negative' },
  { id: 'unanswered', text: (_b, v) => v.plain('unanswered') },
  { id: 'p90_reply_minutes', label: 'p90 reply' },
];

/** The HTML report's headline cards. */
const HTML_CARDS: readonly Card[] = [
  { id: 'mentions', note: (_b, v) => `${v('customer_mentions')} customer · ${v('brand_mentions')} brand`, def: 'def-mentions' },
  { id: 'response_rate', note: (_b, v) => `${v('answered')} of ${v('needing_reply')} needing a reply`, def: 'def-response-rate' },
  { id: 'substantive_rate', note: (b) => substantiveNote(b), def: 'def-substantive' },
  { id: 'canned_share', note: (b) => `${b.response.cannedFirstReplies} answers from ${b.response.templates.length} template${b.response.templates.length === 1 ? '' : 's'}`, def: 'def-canned' },
  { id: 'follow_ups_unanswered', key: 'follow-ups', note: () => 'customers who wrote again after a reply and heard nothing since', def: 'def-follow-ups' },
  {
    id: 'resolved_share',
    key: 'resolution',
    label: 'Resolved in public',
    note: (b, v) => (b.response.answered === 0 ? 'no answer to follow' : `${v('unresolved')} said not fixed · ${v('resolution_unknown')} unknown, of ${v('answered')} answered`),
    def: 'def-resolution',
  },
  { id: 'median_reply_minutes', key: 'median-reply', label: 'First reply, median', note: (_b, v) => `business hours: ${v('median_reply_business_minutes')}`, def: 'def-first-reply' },
  { id: 'p90_reply_minutes', key: 'p90-reply', label: 'First reply, p90', note: (_b, v) => `business hours: ${v('p90_reply_business_minutes')}`, def: 'def-first-reply' },
  {
    id: 'in_hours_response_rate',
    key: 'off-hours-gap',
    label: 'In hours vs off hours',
    text: (_b, v) => `${v('in_hours_response_rate')} vs ${v('off_hours_response_rate')}`,
    note: (b, v) => {
      const g = gap(b);
      return `${g === null ? 'gap —' : `gap ${g > 0 ? '+' : ''}${g} pts`} · median ${v('in_hours_median_minutes')} vs ${v('off_hours_median_minutes')}`;
    },
    def: 'def-off-hours',
    // A gap of 20 points or more is the pattern the off-hours section exists to show.
    tone: (b) => ((gap(b) ?? 0) >= 20 ? 'warn' : undefined),
  },
  // Of the complaints and questions needing a reply, not of all of them: those where replies cannot be seen are apart.
  { id: 'unanswered', note: (b, v) => `of ${v('needing_reply')} needing a reply${unseen(b) > 0 ? ` (+${unseen(b)} where replies cannot be seen)` : ''}`, def: 'def-unanswered' },
  { id: 'deflections', note: (_b, v) => `${v('deflection_share')} of answers`, def: 'def-deflection' },
  { id: 'broadcasts', label: 'Broadcasts vs replies', text: (_b, v) => `${v('broadcasts')} vs ${v('brand_replies')}`, note: (_b, v) => `${v('broadcast_share')} of brand posts are broadcasts`, def: 'def-broadcast' },
  { id: 'broadcasts_while_complaints_waited', key: 'broadcasts-waiting', note: () => 'brand broadcasts with a complaint unanswered', def: 'def-broadcast' },
  { id: 'negative_share', note: (b, v) => `positive ${v('positive_share')}${b.sentiment.unscored > 0 ? ` · ${unscoredShare(b)} unscored` : ''}`, def: 'def-sentiment' },
  { id: 'overdue', label: 'Past reply deadline', note: (b) => `unanswered past their class's deadline${overdueByClass(b)}`, def: 'def-unanswered' },
];

/** The HTML report's competitor table, one column each. Customer mentions: the count share of voice divides. */
const HTML_BRANDS: readonly Shown[] = [
  { id: 'customer_mentions' },
  { id: 'share_of_voice' },
  { id: 'negative_share', label: 'Negative' },
  { id: 'needing_reply', label: 'Need reply' },
  { id: 'response_rate' },
  { id: 'substantive_rate', label: 'Substantive rate' },
  { id: 'canned_share', label: 'Canned' },
  { id: 'follow_ups_unanswered', label: 'Came back, no answer' },
  { id: 'median_reply_minutes', label: 'Reply median / p90', text: (_b, v) => `${v('median_reply_minutes')} / ${v('p90_reply_minutes')}` },
  { id: 'median_reply_business_minutes', label: 'Business median / p90', text: (_b, v) => `${v('median_reply_business_minutes')} / ${v('p90_reply_business_minutes')}` },
  { id: 'in_hours_response_rate', label: 'Rate in / off hours', text: (_b, v) => `${v('in_hours_response_rate')} / ${v('off_hours_response_rate')}` },
  { id: 'deflections', label: 'Deflections' },
  { id: 'broadcasts', label: 'Broadcasts / replies', text: (_b, v) => `${v('broadcasts')} / ${v('brand_replies')}` },
  { id: 'broadcasts_while_complaints_waited', label: 'Broadcasts while waiting' },
  { id: 'unanswered' },
  { id: 'resolved_share', label: 'Resolved in public' },
];

/** " (outage 2, complaint 5)": the classes with overdue items, most urgent first; "" when none. */
function overdueByClass(b: BrandSummary): string {
  const parts = Object.entries(b.overdue?.byClass ?? {}).filter(([, n]) => n > 0).map(([c, n]) => `${c} ${n}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

function gap(b: BrandSummary): number | null {
  const { inHours, offHours } = b.offHours;
  return inHours.rate !== null && offHours.rate !== null ? Math.round((inHours.rate - offHours.rate) * 100) : null;
}

/** The registry every renderer uses unless given another (tests give a copy with a throwaway figure). */
export const REGISTRY: FigureRegistry = {
  figures: FIGURES,
  compared: COMPARED,
  changeColumns: CHANGE_COLUMNS,
  views: { tableHeadline: TABLE_HEADLINE, tableBrands: TABLE_BRANDS, tableRanked: TABLE_RANKED, htmlCards: HTML_CARDS, htmlBrands: HTML_BRANDS },
};

/** A registry's row for an id (ids come from the registry itself, so a missing one is a programming error). */
export function figureIn(registry: FigureRegistry, id: string): Figure {
  const f = registry.figures.find((x) => x.id === id);
  if (!f) throw new Error(`Unknown figure '${id}'.`);
  return f;
}

/** How a view writes numbers and emphasis. */
export interface ViewStyle {
  /** A count as this view writes it (HTML adds thousands separators). */
  count?(n: number): string;
  em(tone: Tone, text: string): string;
}

/** A brand's values for one view. */
export function valuesOf(registry: FigureRegistry, b: BrandSummary, style: ViewStyle): Values {
  const plain = (id: string): string => {
    const f = figureIn(registry, id);
    const v = f.get(b);
    if (v === null || v === undefined) return '—';
    return f.unit === 'count' && style.count ? style.count(v) : f.format(v);
  };
  const values = (id: string): string => {
    const f = figureIn(registry, id);
    const v = f.get(b);
    const tone = v === null || v === undefined ? undefined : f.tone?.(v);
    return tone ? style.em(tone, plain(id)) : plain(id);
  };
  return Object.assign(values, { plain, em: style.em });
}

/** A line's label for a brand (a column header passes the first brand). */
export function labelOf(registry: FigureRegistry, shown: Shown, b: BrandSummary): string {
  const { label } = shown;
  return label === undefined ? figureIn(registry, shown.id).label : typeof label === 'string' ? label : label(b);
}

/** A line's text for a brand. */
export function textOf(shown: Shown, b: BrandSummary, v: Values): string {
  return shown.text ? shown.text(b, v) : v(shown.id);
}

/** The lines of a view a brand has. */
export function linesFor<T extends Shown>(lines: readonly T[], b: BrandSummary): T[] {
  return lines.filter((l) => !l.when || l.when(b));
}
