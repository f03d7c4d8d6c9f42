/** gh-style field selection (`--fields id,url,sentiment.label`) for machine formats. */
import { UsageError } from '../core/errors.js';
import type { AnalyzedMention } from '../core/report.js';
import { csvColumns } from './csv.js';

/** Top-level and nested fields of an analysed mention that may be selected. */
const MENTION_FIELD_PATHS = [
  'id', 'source', 'kind', 'url', 'author', 'author.id', 'author.handle', 'author.name', 'fromBrand', 'brand', 'title', 'text',
  'createdAt', 'parentId', 'threadId', 'rating', 'engagement', 'engagement.score', 'engagement.likes', 'engagement.replies',
  'engagement.followers', 'language', 'replyObservable', 'sentiment', 'sentiment.label', 'sentiment.score', 'sentiment.comparative',
  'sentiment.scored', 'sentiment.language', 'sentiment.evidence', 'sentiment.probabilities', 'intent', 'intentEvidence', 'needsReply',
  'response', 'response.status', 'response.postedInHours', 'response.firstReplyId', 'response.firstReplyAt', 'response.firstReplyUrl',
  'response.replyMinutes', 'response.replyBusinessMinutes', 'response.deflection', 'response.openMinutes', 'response.severity',
] as const;

/** Parses `--fields` for a format: dot paths for json/ndjson, CSV column names for csv. */
export function parseFields(value: string, format: string): string[] {
  const fields = value.split(',').map((f) => f.trim()).filter(Boolean);
  const valid: readonly string[] = format === 'csv' ? csvColumns() : MENTION_FIELD_PATHS;
  const unknown = fields.filter((f) => !valid.includes(f));
  if (fields.length === 0 || unknown.length > 0) {
    throw new UsageError(`--fields: unknown field${unknown.length === 1 ? '' : 's'} ${unknown.map((f) => `'${f}'`).join(', ') || '(none given)'}; valid for ${format}: ${valid.join(', ')}.`);
  }
  return fields;
}

/** Picks the chosen (possibly nested) fields of a mention into a new object; missing ones become null. */
export function pickFields(m: AnalyzedMention, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    let v: unknown = m;
    for (const part of f.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
    out[f] = v === undefined ? null : v;
  }
  return out;
}
