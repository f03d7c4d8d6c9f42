/** gh-style field selection (`--fields id,url,sentiment.label`) for machine formats. */
import { UsageError } from '../core/errors.js';
import type { AnalyzedMention } from '../core/report.js';
import { csvColumns } from './csv.js';

/** Top-level and nested fields of an analysed mention that may be selected. */
const MENTION_FIELD_PATHS = [
  'id', 'source', 'kind', 'url', 'author', 'author.id', 'author.handle', 'author.name', 'fromBrand', 'brand', 'title', 'text',
  'createdAt', 'parentId', 'threadId', 'rating', 'engagement', 'engagement.score', 'engagement.likes', 'engagement.replies',
  'engagement.followers', 'language', 'replyObservable', 'dateEstimated', 'sentiment', 'sentiment.label', 'sentiment.score', 'sentiment.comparative',
  'sentiment.scored', 'sentiment.language', 'sentiment.evidence', 'sentiment.probabilities', 'intent', 'intentEvidence', 'needsReply',
  'response', 'response.status', 'response.postedInHours', 'response.firstReplyId', 'response.firstReplyAt', 'response.firstReplyUrl',
  'response.replyMinutes', 'response.replyBusinessMinutes', 'response.deflection', 'response.openMinutes', 'response.severity',
] as const;

/** Parses `--fields` for a format: dot paths for json/ndjson, CSV column names for csv; table and html have no fields to pick. */
export function parseFields(value: string, format: string): string[] {
  if (format !== 'csv' && format !== 'json' && format !== 'ndjson') {
    throw new UsageError(`--fields works with -f csv, json or ndjson, not ${format}; drop --fields or choose one of those formats.`);
  }
  const fields = value.split(',').map((f) => f.trim()).filter(Boolean);
  const valid: readonly string[] = format === 'csv' ? csvColumns() : MENTION_FIELD_PATHS;
  const unknown = fields.filter((f) => !valid.includes(f));
  if (fields.length === 0 || unknown.length > 0) {
    throw new UsageError(`--fields: unknown field${unknown.length === 1 ? '' : 's'} ${unknown.map((f) => `'${f}'`).join(', ') || '(none given)'}; valid for ${format}: ${valid.join(', ')}.`);
  }
  return fields;
}

/**
 * Picks the chosen (possibly nested) fields of a mention into a new object nested like the full record, so that
 * `--fields id,response.status` still answers `jq .response.status`; a missing field is null, and a whole object
 * chosen (`response`) wins over parts of it (`response.status`).
 */
export function pickFields(m: AnalyzedMention, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (fields.some((g) => f.startsWith(`${g}.`))) continue;
    const parts = f.split('.');
    let v: unknown = m;
    for (const part of parts) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
    // No chosen field is a prefix of another (skipped above), so every node on the way is one made here.
    let node = out;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[parts[parts.length - 1]!] = v === undefined ? null : v;
  }
  return out;
}
