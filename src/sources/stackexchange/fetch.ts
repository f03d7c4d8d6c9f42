/**
 * Stack Exchange fetch part: `/search/advanced` pages, then answers and comments of the questions found, in
 * batches of up to 100 ids. Obeys `backoff` per method and stops with `rate-limited` when the daily quota is spent.
 */
import { createSourceError, RateLimitedError, rewordOptions, SourceError } from '../../core/errors.js';
import { DEFAULT_RETRY, waitTooLong } from '../../http/policy.js';
import type { Mention } from '../../core/mention.js';
import type { SourceBatch, SourceContext } from '../types.js';
import { isObject, type JsonObject } from '../shared/json-fields.js';
import { stringListOption } from '../shared/options.js';
import { createPager, type Pager } from '../shared/pages.js';
import { joinUrl } from '../shared/url.js';
import {
  answerMentions,
  commentMentions,
  questionMentions,
  readWrapper,
  stackExchangeError,
  type SeParseOptions,
  type SeWrapper,
} from './parse.js';

const SOURCE = 'stackexchange';
/** Ids per vectorised request (`/questions/{ids}/answers` takes at most 100). */
const IDS_PER_REQUEST = 100;
/** Without a key the API refuses pages above 25 (error 403 access_denied). */
const KEYLESS_MAX_PAGE = 25;

/** Sleeps `ms`, rejecting when `signal` aborts. */
type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

/** Injectable dependencies of the fetch part (tests pass a recording sleep). */
export interface StackExchangeDeps {
  sleep?: Sleep;
}

/** Real sleep on a timer, cancelled by the run's signal. */
const timerSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new SourceError('interrupted', 'stackexchange: interrupted while backing off.', { sourceId: SOURCE }));
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new SourceError('interrupted', 'stackexchange: interrupted while backing off.', { sourceId: SOURCE }));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

function pageSizeOption(options: Readonly<Record<string, unknown>>): number {
  const v = options['pageSize'];
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 100 ? v : 100;
}

/**
 * Per-run client state: the backoff owed per method and the last quota seen. `backoff` is obeyed by sleeping
 * its full length before the next call to the same method (no clock needed; over-waiting slightly is harmless).
 */
class SeSession {
  private readonly owed = new Map<string, number>();
  quotaMax: number | undefined;
  quotaRemaining: number | undefined;

  constructor(
    private readonly ctx: SourceContext,
    private readonly sleep: Sleep,
    private readonly key: string | undefined,
  ) {}

  /** GETs `path` (a method path such as `/questions/1;2/answers`) as method `method`, returning the wrapper. */
  async get(method: string, path: string, params: Record<string, string>): Promise<SeWrapper> {
    if (this.quotaRemaining === 0) {
      const max = this.quotaMax ?? (this.key ? 10000 : 300);
      throw new SourceError(
        'rate-limited',
        `stackexchange: the daily quota of ${max} requests is used up (it resets at 00:00 UTC)` +
          `${this.key ? '' : '; set STACKEXCHANGE_KEY to raise it to 10,000'}.`,
        { sourceId: SOURCE, retryable: false },
      );
    }
    const wait = this.owed.get(method);
    // The same cap as a Retry-After (docs/http.md): a longer back-off is not slept out (99999 s would be 28 h, and
    // 1e10 s overflows Node's timer) but ends this source, saying how long the API asked for.
    if (wait !== undefined && wait * 1000 > DEFAULT_RETRY.maxRetryAfterMs) {
      throw new RateLimitedError(
        `stackexchange: the API asked for a ${wait} s back-off before the next ${method} request; ${waitTooLong(wait * 1000, DEFAULT_RETRY.maxRetryAfterMs)}.`,
        { sourceId: SOURCE, retryable: true },
      );
    }
    if (wait !== undefined && wait > 0) {
      this.ctx.log.info(`stackexchange: the API asked for a ${wait} s back-off before the next ${method} request; waiting.`);
      await this.sleep(wait * 1000, this.ctx.signal);
    }
    this.owed.delete(method);
    const search = new URLSearchParams(params);
    this.ctx.log.debug(`stackexchange: GET ${path}?${search.toString()}`);
    // The key is not a secret per the API docs but is still kept out of logs (added after logging).
    if (this.key) search.set('key', this.key);
    const url = `${joinUrl(this.ctx.baseUrl, path)}?${search.toString()}`;
    const res = await this.ctx.http.get(url, { signal: this.ctx.signal, sourceId: SOURCE }).catch((error: unknown) => {
      throw explainClientError(error, method);
    });
    const wrapper = readWrapper(res.body, method, res.status);
    if (wrapper.quotaMax !== undefined) this.quotaMax = wrapper.quotaMax;
    if (wrapper.quotaRemaining !== undefined) this.quotaRemaining = wrapper.quotaRemaining;
    if (wrapper.backoff !== undefined) this.owed.set(method, wrapper.backoff);
    return wrapper;
  }
}

/**
 * A failure the HTTP client threw, in Stack Exchange terms: its error answer is `{error_id, error_name,
 * error_message}` (throttle_violation arrives as HTTP 400), which the error keeps. A 400 without one is still
 * explained, since the API uses it both for throttling and for bad parameters.
 */
function explainClientError(error: unknown, method: string): unknown {
  if (!(error instanceof SourceError) || error.status === undefined) return error;
  const data = error.body === undefined ? undefined : parseErrorBody(error.body);
  if (data) {
    const worded = stackExchangeError(data, error.status);
    return createSourceError(worded.code, worded.message, { ...rewordOptions(error, SOURCE), retryable: worded.retryable });
  }
  if (error.status !== 400) return error;
  return new SourceError(
    error.code,
    `stackexchange: the API refused the ${method} request (HTTP 400), which it does for throttle_violation (too many ` +
      'requests from this IP today) and for bad parameters such as an unknown site; check the site option, wait, or set STACKEXCHANGE_KEY.',
    { cause: error, sourceId: SOURCE, status: 400, retryable: false },
  );
}

/** The API's error object in an error answer, if the body is one. */
function parseErrorBody(body: string): JsonObject | undefined {
  try {
    const data = JSON.parse(body) as unknown;
    return isObject(data) && typeof data['error_id'] === 'number' ? data : undefined;
  } catch {
    return undefined;
  }
}

/** Builds the fetch part with injectable dependencies. */
export function createStackExchangeFetch(deps: StackExchangeDeps = {}): (ctx: SourceContext) => AsyncGenerator<SourceBatch> {
  const sleep = deps.sleep ?? timerSleep;
  return async function* fetchStackExchange(ctx: SourceContext): AsyncGenerator<SourceBatch> {
    const { query } = ctx;
    const siteOption = query.options['site'];
    const site = typeof siteOption === 'string' && siteOption !== '' ? siteOption : 'stackoverflow';
    const tagged = stringListOption(query.options, 'tagged', SOURCE);
    const key = ctx.env['STACKEXCHANGE_KEY']?.trim() || undefined;
    const session = new SeSession(ctx, sleep, key);
    const opts: SeParseOptions = { query, site };
    const pageSize = String(pageSizeOption(query.options));
    const pending: string[] = [];
    if (!key) {
      pending.push(
        `stackexchange: STACKEXCHANGE_KEY is not set, so the daily quota is 300 requests per IP and search stops at page ${KEYLESS_MAX_PAGE}; ` +
          'set STACKEXCHANGE_KEY to raise the quota to 10,000.',
      );
    }
    const searchParams: Record<string, string> = {
      order: 'desc',
      sort: 'creation',
      site,
      pagesize: pageSize,
      filter: 'withbody',
    };
    if (query.query.trim() !== '') searchParams['q'] = query.query.trim();
    if (tagged.length > 0) searchParams['tagged'] = tagged.join(';');
    if (query.since) searchParams['fromdate'] = String(Math.floor(query.since.getTime() / 1000));
    if (query.until) searchParams['todate'] = String(Math.floor(query.until.getTime() / 1000));

    let yielded = 0;
    const pager = createPager(SOURCE, ctx.signal, (w) => pending.push(w));
    const search = pager.loop('the search results');
    for (let page = 1; yielded + pager.repeats < query.limit; page += 1) {
      if (!key && page > KEYLESS_MAX_PAGE) {
        pending.push(`stackexchange: stopped at page ${KEYLESS_MAX_PAGE} (the keyless maximum); set STACKEXCHANGE_KEY to read further.`);
        break;
      }
      // Page numbers, not URLs, name the pages: the URL carries the key.
      if (!search.next(`page ${page}`)) break;
      const wrapper = await session.get('search/advanced', '/search/advanced', { ...searchParams, page: String(page) });
      const found = questionMentions(wrapper.items, opts);
      pending.push(...found.warnings);
      if (!search.listed(found.questions.map((q) => String(q.id)))) break;
      const threads = new Map<string, Mention[]>(found.mentions.map((m) => [m.id, [m]]));
      try {
        await fetchThreads(session, pager, opts, found.questions, threads, pending, pageSize);
      } catch (error) {
        // Keep the questions (and whatever thread parts were read) before surfacing the failure.
        yield { mentions: flatten(threads).slice(0, query.limit - yielded), warnings: pending.splice(0) };
        throw error;
      }
      const batch = flatten(threads).slice(0, query.limit - yielded);
      yielded += batch.length;
      yield { mentions: batch, warnings: pending.splice(0) };
      if (!wrapper.hasMore) break;
    }
    if (session.quotaRemaining !== undefined && session.quotaRemaining < 10) {
      pending.push(`stackexchange: only ${session.quotaRemaining} requests left in today's quota.`);
    }
    if (pending.length > 0) yield { mentions: [], warnings: pending };
  };
}

/** An answer's or comment's own id, for spotting a page that repeats an earlier one. */
function itemId(item: JsonObject): string | undefined {
  const id = item['comment_id'] ?? item['answer_id'] ?? item['question_id'];
  return typeof id === 'number' ? String(id) : undefined;
}

function flatten(threads: Map<string, Mention[]>): Mention[] {
  return [...threads.values()].flat();
}

/** Adds answers, question comments and answer comments to each question's thread list. */
async function fetchThreads(
  session: SeSession,
  pager: Pager,
  opts: SeParseOptions,
  questions: readonly { id: number; answerCount?: number }[],
  threads: Map<string, Mention[]>,
  warnings: string[],
  pageSize: string,
): Promise<void> {
  const add = (mentions: readonly Mention[]): void => {
    for (const m of mentions) {
      const list = m.threadId === undefined ? undefined : threads.get(m.threadId);
      if (list) list.push(m);
      else warnings.push(`stackexchange: ${m.id} belongs to no fetched question; skipped.`);
    }
  };
  const base = { site: opts.site, filter: 'withbody', pagesize: pageSize };
  const pagesOf = async (method: string, path: string, order: Record<string, string>): Promise<SeWrapper['items']> => {
    const items: SeWrapper['items'] = [];
    // "the answers of questions 1;2;3": what the method reads, of which parents.
    const [parents = '', what = ''] = method.split('/');
    const ids = path.split('/')[2] ?? '';
    const pages = pager.loop(`the ${what} of ${parents} ${ids.length > 40 ? `${ids.slice(0, 40)}…` : ids}`);
    for (let page = 1; pages.next(`page ${page}`); page += 1) {
      const w = await session.get(method, path, { ...order, ...base, page: String(page) });
      items.push(...w.items);
      if (!pages.listed(w.items.map(itemId)) || !w.hasMore) break;
    }
    return items;
  };
  const threadOf = new Map<number, number>();
  // Questions reported with 0 answers need no answers request (saves the keyless daily quota).
  const withAnswers = questions.filter((q) => q.answerCount === undefined || q.answerCount > 0).map((q) => q.id);
  // A set: an answers pager that repeats itself must not repeat ids in the comments request (nor grow it).
  const answerIds = new Set<number>();
  for (const ids of chunks(withAnswers, IDS_PER_REQUEST)) {
    const items = await pagesOf('questions/answers', `/questions/${ids.join(';')}/answers`, { order: 'asc', sort: 'creation' });
    const parsed = answerMentions(items, opts);
    warnings.push(...parsed.warnings);
    add(parsed.mentions);
    for (const id of parsed.answerIds) answerIds.add(id);
    for (const item of items) {
      const a = item['answer_id'];
      const q = item['question_id'];
      if (typeof a === 'number' && typeof q === 'number') threadOf.set(a, q);
    }
  }
  for (const ids of chunks(questions.map((q) => q.id), IDS_PER_REQUEST)) {
    const items = await pagesOf('questions/comments', `/questions/${ids.join(';')}/comments`, { order: 'asc', sort: 'creation' });
    const parsed = commentMentions(items, { ...opts, on: 'question' });
    warnings.push(...parsed.warnings);
    add(parsed.mentions);
  }
  for (const ids of chunks([...answerIds], IDS_PER_REQUEST)) {
    const items = await pagesOf('answers/comments', `/answers/${ids.join(';')}/comments`, { order: 'asc', sort: 'creation' });
    const parsed = commentMentions(items, { ...opts, on: 'answer', threadOf });
    warnings.push(...parsed.warnings);
    add(parsed.mentions);
  }
}
