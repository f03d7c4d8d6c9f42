/** GitHub fetch part: `/search/issues` with Link paging, then each found issue's comments. */
import { SourceError } from '../../core/errors.js';
import type { Mention } from '../../core/mention.js';
import type { HttpResponse } from '../../http/types.js';
import type { SourceBatch, SourceContext } from '../types.js';
import { stringListOption } from '../shared/options.js';
import { createPager, type Pager } from '../shared/pages.js';
import { header, joinUrl, rebaseUrl, utcDay } from '../shared/url.js';
import { githubError, nextLink, parseIssueComments, parseSearchIssues, type GithubIssueRef } from './parse.js';

const SOURCE = 'github';
/** GitHub search never returns more than 1,000 results for one query. */
const SEARCH_RESULT_CAP = 1000;
/** Comment page requests allowed per run without a token: the keyless core budget is 60 requests an hour. */
const KEYLESS_COMMENT_REQUESTS = 50;

/** Builds the `q` search string: terms, `is:issue` (required by GitHub since 2025), scope and creation window. */
export function buildSearchQuery(ctx: Pick<SourceContext, 'query'>): string {
  const { query } = ctx;
  const parts = [query.query.trim(), 'in:title,body,comments', 'is:issue'];
  for (const repo of stringListOption(query.options, 'repos', SOURCE)) parts.push(`repo:${repo}`);
  for (const org of stringListOption(query.options, 'org', SOURCE)) parts.push(`org:${org}`);
  if (query.since) parts.push(`created:>=${utcDay(query.since)}`);
  if (query.until) parts.push(`created:<=${utcDay(query.until)}`);
  return parts.join(' ');
}

/** Request headers; the token (when set) only ever travels in Authorization. */
function requestHeaders(token: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {
    Accept: 'application/vnd.github+json',
    'X-GitHub-Api-Version': '2022-11-28',
  };
  if (token) headers['Authorization'] = `Bearer ${token}`;
  return headers;
}

/** Page size: 100 (GitHub's maximum) unless option `perPage` asks for fewer. */
function perPageOption(options: Readonly<Record<string, unknown>>): number {
  const v = options['perPage'];
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 100 ? v : 100;
}

function inWindow(createdAt: string, since?: Date, until?: Date): boolean {
  const t = Date.parse(createdAt);
  if (since && t < since.getTime()) return false;
  if (until && t > until.getTime()) return false;
  return true;
}

/** Yields one batch per found issue (the issue plus its comments), newest first, until the limit. */
export async function* fetchGithub(ctx: SourceContext): AsyncGenerator<SourceBatch> {
  const token = ctx.env['GITHUB_TOKEN']?.trim() || undefined;
  const headers = requestHeaders(token);
  const { query } = ctx;
  const maxCommentRequests = token
    ? Number.POSITIVE_INFINITY
    : typeof query.options['maxCommentRequests'] === 'number'
      ? query.options['maxCommentRequests']
      : KEYLESS_COMMENT_REQUESTS;

  const get = async (url: string): Promise<HttpResponse> => {
    ctx.log.debug(`github: GET ${url}`);
    // The client throws on non-2xx; the error keeps the start of GitHub's answer, which says why.
    return ctx.http.get(url, { headers, signal: ctx.signal, sourceId: SOURCE }).catch((error: unknown) => {
      throw error instanceof SourceError ? githubError(error, token !== undefined) : error;
    });
  };

  const pending: string[] = [];
  if (!token) {
    pending.push(
      `github: GITHUB_TOKEN is not set, so search is limited to 10 requests/min and comment fetching to 60 requests/hour ` +
        `(at most ${maxCommentRequests} comment pages this run); set GITHUB_TOKEN to raise the limits.`,
    );
  }

  const perPage = String(perPageOption(query.options));
  const params = new URLSearchParams({ q: buildSearchQuery(ctx), sort: 'created', order: 'desc', per_page: perPage });
  let url: string | undefined = `${joinUrl(ctx.baseUrl, '/search/issues')}?${params.toString()}`;
  let yielded = 0;
  let commentRequests = 0;
  let skippedThreads = 0;
  let capWarned = false;
  const seen = new Set<string>();
  const pager = createPager(SOURCE, ctx.signal, (w) => pending.push(w));
  // GitHub serves at most 1,000 results a query, so more pages than that would hold are a server going round.
  const search = pager.loop('the search results', Math.ceil(SEARCH_RESULT_CAP / perPageOption(query.options)));

  while (url !== undefined && yielded + pager.repeats < query.limit && search.next(url)) {
    const res = await get(url);
    const page = parseSearchIssues(res.body, query);
    pending.push(...page.warnings);
    if (!search.listed(page.issues.map((i) => i.mentionId))) break;
    if (page.incompleteResults) {
      pending.push('github: GitHub marked the search results incomplete (the search timed out); some issues may be missing.');
    }
    if (page.totalCount !== undefined && page.totalCount > SEARCH_RESULT_CAP && !capWarned) {
      capWarned = true;
      pending.push(
        `github: ${page.totalCount} issues match but GitHub search returns at most ${SEARCH_RESULT_CAP}; narrow the time window or add repos/org.`,
      );
    }
    const byId = new Map(page.mentions.map((m) => [m.id, m]));
    for (const issue of page.issues) {
      if (yielded + pager.repeats >= query.limit) break;
      const root = byId.get(issue.mentionId);
      if (!root || seen.has(root.id) || !inWindow(root.createdAt, query.since, query.until)) continue;
      seen.add(root.id);
      const mentions: Mention[] = [root];
      const warnings = pending.splice(0);
      if (issue.comments > 0) {
        if (commentRequests >= maxCommentRequests) {
          skippedThreads += 1;
        } else {
          try {
            const room = query.limit - yielded - pager.repeats;
            commentRequests += await fetchComments(ctx, pager, issue, get, mentions, warnings, maxCommentRequests - commentRequests, room);
          } catch (error) {
            if (error instanceof SourceError && error.code === 'not-found') {
              warnings.push(`github: comments of ${issue.repo}#${issue.number} are gone (${error.message}); issue kept without them.`);
            } else {
              // Keep what was read so far, then surface the failure.
              yield { mentions: mentions.slice(0, query.limit - yielded), warnings };
              throw error;
            }
          }
        }
      }
      const batch = mentions.slice(0, query.limit - yielded);
      yielded += batch.length;
      yield { mentions: batch, warnings };
    }
    const next = nextLink(header(res.headers, 'link'));
    url = next === undefined ? undefined : rebaseUrl(next, ctx.baseUrl);
  }
  if (skippedThreads > 0) {
    pending.push(
      `github: comments of ${skippedThreads} issues were not fetched (keyless budget of ${maxCommentRequests} comment requests used); ` +
        'set GITHUB_TOKEN to fetch every thread.',
    );
  }
  if (pending.length > 0) yield { mentions: [], warnings: pending };
}

/**
 * Fetches the pages of one issue's comments into `out` until `room` mentions (the issue included) are held: what the
 * limit still allows, so a thread that never ends cannot fill memory. Returns the number of requests made.
 */
async function fetchComments(
  ctx: SourceContext,
  pager: Pager,
  issue: GithubIssueRef,
  get: (url: string) => Promise<HttpResponse>,
  out: Mention[],
  warnings: string[],
  budget: number,
  room: number,
): Promise<number> {
  const first = issue.commentsUrl
    ? rebaseUrl(issue.commentsUrl, ctx.baseUrl)
    : joinUrl(ctx.baseUrl, `/repos/${issue.repo}/issues/${issue.number}/comments`);
  const u = new URL(first);
  u.searchParams.set('per_page', String(perPageOption(ctx.query.options)));
  let url: string | undefined = u.toString();
  let requests = 0;
  const pages = pager.loop(`the comments of ${issue.repo}#${issue.number}`);
  while (url !== undefined && out.length < room && pages.next(url)) {
    if (requests >= budget) {
      warnings.push(`github: stopped reading comments of ${issue.repo}#${issue.number} (keyless request budget used); set GITHUB_TOKEN.`);
      break;
    }
    const res = await get(url);
    requests += 1;
    const parsed = parseIssueComments(res.body, issue, ctx.query);
    out.push(...parsed.mentions);
    warnings.push(...parsed.warnings);
    if (!pages.listed(parsed.mentions.map((m) => m.id))) break;
    const next = nextLink(header(res.headers, 'link'));
    url = next === undefined ? undefined : rebaseUrl(next, ctx.baseUrl);
  }
  return requests;
}
