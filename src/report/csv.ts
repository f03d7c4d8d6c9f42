/** CSV renderer: one row per analysed mention, columns documented in docs/csv.md. */
import { stringify } from 'csv-stringify/sync';
import { neutraliseFormula } from '../core/sanitize.js';
import type { AnalyzedMention } from '../core/report.js';

type Cell = string | number | boolean | undefined;

/** One CSV column: its header and how to read it. */
interface Column {
  name: string;
  get: (m: AnalyzedMention) => Cell;
}

/** Every column, in the documented, stable order. */
const MENTION_COLUMNS: readonly Column[] = [
  { name: 'id', get: (m) => m.id },
  { name: 'source', get: (m) => m.source },
  { name: 'kind', get: (m) => m.kind },
  { name: 'brand', get: (m) => m.brand },
  { name: 'created_at', get: (m) => m.createdAt },
  { name: 'url', get: (m) => m.url },
  { name: 'author_id', get: (m) => m.author.id },
  { name: 'author_handle', get: (m) => m.author.handle },
  { name: 'author_name', get: (m) => m.author.name },
  { name: 'from_brand', get: (m) => m.fromBrand },
  { name: 'title', get: (m) => m.title },
  { name: 'text', get: (m) => m.text },
  { name: 'parent_id', get: (m) => m.parentId },
  { name: 'thread_id', get: (m) => m.threadId },
  { name: 'rating', get: (m) => m.rating },
  { name: 'engagement_score', get: (m) => m.engagement.score },
  { name: 'likes', get: (m) => m.engagement.likes },
  { name: 'replies', get: (m) => m.engagement.replies },
  { name: 'followers', get: (m) => m.engagement.followers },
  { name: 'language', get: (m) => m.language ?? m.sentiment.language },
  { name: 'sentiment_label', get: (m) => (m.sentiment.scored ? m.sentiment.label : 'unscored') },
  { name: 'sentiment_score', get: (m) => m.sentiment.score },
  { name: 'sentiment_comparative', get: (m) => round4(m.sentiment.comparative) },
  { name: 'intent', get: (m) => m.intent },
  { name: 'needs_reply', get: (m) => m.needsReply },
  { name: 'status', get: (m) => m.response.status },
  { name: 'posted_in_hours', get: (m) => m.response.postedInHours },
  { name: 'first_reply_id', get: (m) => m.response.firstReplyId },
  { name: 'first_reply_at', get: (m) => m.response.firstReplyAt },
  { name: 'first_reply_url', get: (m) => m.response.firstReplyUrl },
  { name: 'reply_minutes', get: (m) => m.response.replyMinutes },
  { name: 'reply_business_minutes', get: (m) => m.response.replyBusinessMinutes },
  { name: 'deflection', get: (m) => m.response.deflection },
  { name: 'open_minutes', get: (m) => m.response.openMinutes },
  { name: 'severity', get: (m) => m.response.severity },
  // Last, so scripts that read columns by position keep working; read back, it keeps such a source out of response figures.
  { name: 'reply_observable', get: (m) => (m.replyObservable === false ? false : undefined) },
  // Added after reply_observable for the same reason: true when the source gave no readable time for the item.
  { name: 'date_estimated', get: (m) => (m.dateEstimated === true ? true : undefined) },
];

/** Options for CSV output. */
export interface CsvOptions {
  /** Keep cells starting with = + - @ tab CR as they are (default: neutralise them). */
  rawCsv?: boolean;
}

/** The header names, in order. */
export function csvColumns(): string[] {
  return MENTION_COLUMNS.map((c) => c.name);
}

/**
 * One row's cells, every text cell formula-neutralised unless `rawCsv`; undefined becomes an empty cell. Every column,
 * not only the free-text ones: an input file sets `source`, `language` and the rest to whatever it likes.
 */
export function csvRow(m: AnalyzedMention, options: CsvOptions = {}): (string | number)[] {
  return MENTION_COLUMNS.map((c) => {
    const v = c.get(m);
    if (v === undefined) return '';
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (typeof v === 'number') return v;
    return options.rawCsv ? v : neutraliseFormula(v);
  });
}

/**
 * The whole CSV (header first, even with no rows) in pieces of 1,000 rows: a million rows are more text than one
 * JavaScript string may hold.
 */
export function* renderCsvParts(mentions: readonly AnalyzedMention[], options: CsvOptions = {}): Generator<string> {
  for (let i = 0; i === 0 || i < mentions.length; i += 1000) {
    const rows = mentions.slice(i, i + 1000).map((m) => csvRow(m, options));
    yield stringify(rows, { header: i === 0, columns: csvColumns(), record_delimiter: '\n' });
  }
}

function round4(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}
