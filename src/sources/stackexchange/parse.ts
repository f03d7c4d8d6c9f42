/** Pure parsers for Stack Exchange API 2.3 responses: the common wrapper, questions, answers, comments, errors. */
import { remoteText } from '../../core/sanitize.js';
import { SourceError, type ErrorCode } from '../../core/errors.js';
import type { Mention } from '../../core/mention.js';
import type { ParseResult, SourceQuery } from '../types.js';
import { decodeEntities, deepHtmlWarning, forumHtmlToText } from '../shared/html-text.js';
import { idString, isObject, num, obj, parseJsonBody, str, toIsoUtc, type JsonObject } from '../shared/json-fields.js';
import { isBrandHandle, normaliseHandles } from '../shared/handles.js';

const SOURCE = 'stackexchange';

/** The wrapper every 2.3 response shares. */
export interface SeWrapper {
  items: JsonObject[];
  hasMore: boolean;
  quotaMax?: number;
  quotaRemaining?: number;
  /** Seconds to wait before calling the same method again. */
  backoff?: number;
}

/** What the parsers need besides the body. */
export interface SeParseOptions {
  query: SourceQuery;
  /** API site parameter, e.g. `stackoverflow`. */
  site: string;
}

/** Error ids of the API (https://api.stackexchange.com/docs/error-handling) → our codes. */
const ERROR_CODES: Record<number, { code: ErrorCode; retryable: boolean }> = {
  400: { code: 'config', retryable: false }, // bad_parameter (e.g. an unknown site)
  401: { code: 'auth-required', retryable: false }, // access_token_required
  402: { code: 'auth-required', retryable: false }, // invalid_access_token
  403: { code: 'auth-required', retryable: false }, // access_denied (e.g. page above 25 without a key)
  404: { code: 'not-found', retryable: false }, // no_method
  405: { code: 'auth-required', retryable: false }, // key_required
  406: { code: 'auth-required', retryable: false }, // access_token_compromised
  409: { code: 'bad-response', retryable: true }, // duplicate_request
  500: { code: 'bad-response', retryable: true }, // internal_error
  502: { code: 'rate-limited', retryable: false }, // throttle_violation
  503: { code: 'unavailable', retryable: true }, // temporarily_unavailable
};

/** Builds a SourceError from an error body (`{error_id, error_name, error_message}`). */
export function stackExchangeError(data: JsonObject, status?: number): SourceError {
  const id = num(data, 'error_id') ?? 0;
  const name = str(data, 'error_name') ?? 'unknown_error';
  const said = str(data, 'error_message');
  const kind = ERROR_CODES[id] ?? { code: 'bad-response' as ErrorCode, retryable: false };
  const hint =
    id === 403 || id === 405 ? '; set STACKEXCHANGE_KEY to raise the limits' : id === 502 ? '; wait before trying again' : '';
  const opts: { sourceId: string; retryable: boolean; status?: number } = { sourceId: SOURCE, retryable: kind.retryable };
  if (status !== undefined) opts.status = status;
  return new SourceError(kind.code, `stackexchange: ${name} (${id})${said ? `: ${remoteText(decodeEntities(said))}` : ''}${hint}.`, opts);
}

/** Reads the common wrapper; an error body throws its classified error, anything else unexpected throws bad-response. */
export function readWrapper(body: string, what: string, status?: number): SeWrapper {
  const data = parseJsonBody(body, SOURCE, `a JSON ${what} response`);
  if (isObject(data) && num(data, 'error_id') !== undefined) throw stackExchangeError(data, status);
  if (!isObject(data) || !Array.isArray(data['items'])) {
    throw new SourceError('bad-response', `stackexchange: expected a ${what} response with an "items" array.`, {
      sourceId: SOURCE,
    });
  }
  const wrapper: SeWrapper = {
    items: data['items'].filter(isObject),
    hasMore: data['has_more'] === true,
  };
  const quotaMax = num(data, 'quota_max');
  const quotaRemaining = num(data, 'quota_remaining');
  const backoff = num(data, 'backoff');
  if (quotaMax !== undefined) wrapper.quotaMax = quotaMax;
  if (quotaRemaining !== undefined) wrapper.quotaRemaining = quotaRemaining;
  if (backoff !== undefined) wrapper.backoff = backoff;
  return wrapper;
}

/** Mention id of a question, answer or comment: `stackexchange:<site>:q123` / `a…` / `c…` (separate id spaces). */
function seMentionId(site: string, kind: 'q' | 'a' | 'c', id: number | string): string {
  return `${SOURCE}:${site}:${kind}${id}`;
}

function brandIds(query: SourceQuery): Set<string> {
  const v = query.options['brandUserIds'];
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return new Set(list.filter((x) => typeof x === 'number' || typeof x === 'string').map(String));
}

interface Common {
  mention: Mention;
}

/** Shared mapping of owner, dates, body and score; undefined (with a warning) when the item cannot be a mention. */
function baseMention(
  item: JsonObject,
  kind: 'q' | 'a' | 'c',
  idKey: string,
  opts: SeParseOptions,
  warnings: string[],
): Common | undefined {
  const label = { q: 'question', a: 'answer', c: 'comment' }[kind];
  const id = idString(item, idKey);
  if (id === undefined) {
    warnings.push(`stackexchange: ${label} without a readable "${idKey}"; skipped.`);
    return undefined;
  }
  const createdAt = toIsoUtc(item['creation_date']);
  if (createdAt === undefined) {
    warnings.push(`stackexchange: field "creation_date" unreadable on ${label} ${id}; skipped.`);
    return undefined;
  }
  const owner = obj(item, 'owner');
  const author: Mention['author'] = {};
  if (!owner) {
    warnings.push(`stackexchange: field "owner" unreadable on ${label} ${id}; author left empty.`);
  } else {
    const userId = idString(owner, 'user_id');
    const name = str(owner, 'display_name');
    if (userId !== undefined) author.id = userId;
    if (name !== undefined) {
      author.handle = decodeEntities(name);
      author.name = author.handle;
    }
  }
  const body = str(item, 'body');
  if (body === undefined) warnings.push(`stackexchange: field "body" unreadable on ${label} ${id} (filter without body?); text left empty.`);
  const fromBrand =
    (author.id !== undefined && brandIds(opts.query).has(author.id)) ||
    isBrandHandle(author.handle, normaliseHandles(opts.query.brandHandles));
  const mention: Mention = {
    id: seMentionId(opts.site, kind, id),
    source: SOURCE,
    kind: kind === 'q' ? 'post' : 'comment',
    author,
    fromBrand,
    brand: opts.query.brand,
    text: forumHtmlToText(body ?? '', () => warnings.push(deepHtmlWarning('stackexchange', `${label} ${id}`))),
    createdAt,
    engagement: {},
  };
  const score = num(item, 'score');
  if (score !== undefined) mention.engagement.score = score;
  const link = str(item, 'link');
  if (link !== undefined) mention.url = link;
  return { mention };
}

/** Question items → thread-root mentions, with the ids the fetch part needs for answers and comments. */
export function questionMentions(
  items: readonly JsonObject[],
  opts: SeParseOptions,
): ParseResult & { questions: { id: number; answerCount?: number }[] } {
  const warnings: string[] = [];
  const mentions: Mention[] = [];
  const questions: { id: number; answerCount?: number }[] = [];
  for (const item of items) {
    const base = baseMention(item, 'q', 'question_id', opts, warnings);
    if (!base) continue;
    const { mention } = base;
    const id = num(item, 'question_id') as number;
    mention.threadId = mention.id;
    const title = str(item, 'title');
    if (title !== undefined) mention.title = decodeEntities(title);
    else warnings.push(`stackexchange: field "title" unreadable on question ${id}.`);
    const answers = num(item, 'answer_count');
    if (answers !== undefined) mention.engagement.replies = answers;
    mentions.push(mention);
    questions.push(answers === undefined ? { id } : { id, answerCount: answers });
  }
  return { mentions, warnings, questions };
}

/** Answer items → comment mentions under their question. */
export function answerMentions(items: readonly JsonObject[], opts: SeParseOptions): ParseResult & { answerIds: number[] } {
  const warnings: string[] = [];
  const mentions: Mention[] = [];
  const answerIds: number[] = [];
  for (const item of items) {
    const base = baseMention(item, 'a', 'answer_id', opts, warnings);
    if (!base) continue;
    const questionId = num(item, 'question_id');
    if (questionId === undefined) {
      warnings.push(`stackexchange: field "question_id" unreadable on answer ${num(item, 'answer_id')}; skipped.`);
      continue;
    }
    const { mention } = base;
    mention.parentId = seMentionId(opts.site, 'q', questionId);
    mention.threadId = mention.parentId;
    mentions.push(mention);
    answerIds.push(num(item, 'answer_id') as number);
  }
  return { mentions, warnings, answerIds };
}

/**
 * Comment items → comment mentions. `post_id` is the question or answer commented on (which one depends on the
 * endpoint, so the caller says); `threadOf` maps an answer id to its question id for the thread link.
 */
export function commentMentions(
  items: readonly JsonObject[],
  opts: SeParseOptions & { on: 'question' | 'answer'; threadOf?: ReadonlyMap<number, number> },
): ParseResult {
  const warnings: string[] = [];
  const mentions: Mention[] = [];
  for (const item of items) {
    const base = baseMention(item, 'c', 'comment_id', opts, warnings);
    if (!base) continue;
    const postId = num(item, 'post_id');
    if (postId === undefined) {
      warnings.push(`stackexchange: field "post_id" unreadable on comment ${num(item, 'comment_id')}; skipped.`);
      continue;
    }
    const { mention } = base;
    if (opts.on === 'question') {
      mention.parentId = seMentionId(opts.site, 'q', postId);
      mention.threadId = mention.parentId;
    } else {
      mention.parentId = seMentionId(opts.site, 'a', postId);
      const questionId = opts.threadOf?.get(postId);
      if (questionId !== undefined) mention.threadId = seMentionId(opts.site, 'q', questionId);
    }
    mentions.push(mention);
  }
  return { mentions, warnings };
}

/** Convenience: a `/search/advanced` body → question mentions plus the wrapper fields. */
export function parseSearch(body: string, opts: SeParseOptions): ReturnType<typeof questionMentions> & { wrapper: SeWrapper } {
  const wrapper = readWrapper(body, '/search/advanced');
  return { ...questionMentions(wrapper.items, opts), wrapper };
}
