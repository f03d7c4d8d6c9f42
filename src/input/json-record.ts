/** Validates one JSON value as an earshot Mention (NDJSON line or JSON array element). */
import type { Author, Engagement, Mention, MentionKind } from '../core/mention.js';
import { isBrandAuthor, parseDate } from './values.js';

/** Either a normalised mention or a sentence saying what is wrong with the record. */
export type RecordResult = { mention: Mention; error?: undefined } | { mention?: undefined; error: string };

const KINDS: readonly MentionKind[] = ['post', 'comment', 'review'];
const OPTIONAL_STRINGS = ['url', 'brand', 'title', 'parentId', 'threadId', 'language'] as const;
const AUTHOR_FIELDS = ['id', 'handle', 'name'] as const;
const ENGAGEMENT_FIELDS = ['score', 'likes', 'replies', 'followers'] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/**
 * Turns a parsed JSON value into a Mention. Unknown top-level fields (analysis output such as `sentiment`,
 * `intent`, `response`) are ignored so `analyze` output reads back; `null` counts as absent for optional fields.
 */
export function mentionFromJson(value: unknown, brandHandles: ReadonlySet<string>): RecordResult {
  if (!isObject(value)) return { error: `expected a JSON object, found ${typeName(value)}` };
  const { id, text, createdAt } = value;
  if (id === undefined || id === null) return { error: 'missing "id"' };
  if (typeof id !== 'string' || id.trim() === '') return { error: `"id" must be a non-empty string, found ${typeName(id)}` };
  if (text === undefined || text === null) return { error: 'missing "text"' };
  if (typeof text !== 'string') return { error: `"text" must be a string, found ${typeName(text)}` };
  if (createdAt === undefined || createdAt === null) return { error: 'missing "createdAt"' };
  if (typeof createdAt !== 'string' && typeof createdAt !== 'number') {
    return { error: `"createdAt" must be a date string or epoch number, found ${typeName(createdAt)}` };
  }
  const when = parseDate(createdAt);
  if (when === undefined) return { error: `"createdAt" is not a date: ${JSON.stringify(createdAt)}` };

  let source: string;
  if (value.source === undefined || value.source === null) {
    const colon = id.indexOf(':');
    source = colon > 0 ? id.slice(0, colon) : 'json';
  } else if (typeof value.source === 'string' && value.source !== '') source = value.source;
  else return { error: `"source" must be a non-empty string, found ${typeName(value.source)}` };

  let kind: MentionKind = 'post';
  if (value.kind !== undefined && value.kind !== null) {
    if (typeof value.kind !== 'string' || !KINDS.includes(value.kind as MentionKind)) {
      return { error: `"kind" must be one of ${KINDS.join(', ')}, found ${JSON.stringify(value.kind)}` };
    }
    kind = value.kind as MentionKind;
  }

  const author: Author = {};
  if (value.author !== undefined && value.author !== null) {
    if (!isObject(value.author)) return { error: `"author" must be an object, found ${typeName(value.author)}` };
    for (const key of AUTHOR_FIELDS) {
      const v = value.author[key];
      if (v === undefined || v === null) continue;
      if (typeof v !== 'string') return { error: `"author.${key}" must be a string, found ${typeName(v)}` };
      author[key] = v;
    }
  }

  const engagement: Engagement = {};
  if (value.engagement !== undefined && value.engagement !== null) {
    if (!isObject(value.engagement)) return { error: `"engagement" must be an object, found ${typeName(value.engagement)}` };
    for (const key of ENGAGEMENT_FIELDS) {
      const v = value.engagement[key];
      if (v === undefined || v === null) continue;
      if (typeof v !== 'number' || !Number.isFinite(v)) return { error: `"engagement.${key}" must be a number, found ${typeName(v)}` };
      engagement[key] = v;
    }
  }

  let fromBrand = false;
  if (value.fromBrand !== undefined && value.fromBrand !== null) {
    if (typeof value.fromBrand !== 'boolean') return { error: `"fromBrand" must be true or false, found ${typeName(value.fromBrand)}` };
    fromBrand = value.fromBrand;
  }
  if (isBrandAuthor(author, brandHandles)) fromBrand = true;

  const mention: Mention = { id, source, kind, author, fromBrand, text, createdAt: when, engagement };
  for (const key of OPTIONAL_STRINGS) {
    const v = value[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') return { error: `"${key}" must be a string, found ${typeName(v)}` };
    mention[key] = v;
  }
  // Sources that cannot show brand replies say so; keep it so a re-analysis does not call their items unanswered.
  if (value.replyObservable === false) mention.replyObservable = false;
  // An estimated time stays marked as one, so a re-analysis keeps it out of reply-time figures too.
  if (value.dateEstimated === true) mention.dateEstimated = true;
  if (value.rating !== undefined && value.rating !== null) {
    if (typeof value.rating !== 'number' || !Number.isFinite(value.rating)) {
      return { error: `"rating" must be a number, found ${typeName(value.rating)}` };
    }
    mention.rating = value.rating;
  }
  return { mention };
}
