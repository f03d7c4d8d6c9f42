/** Pure parsers for GitHub REST responses: `/search/issues` pages, issue comment pages, Link headers and errors. */
import { createSourceError, RateLimitedError, rewordOptions, SourceError } from '../../core/errors.js';
import { remoteText } from '../../core/sanitize.js';
import type { Mention } from '../../core/mention.js';
import type { ParseResult, SourceQuery } from '../types.js';
import { idString, isObject, num, obj, parseJsonBody, str, toIsoUtc, type JsonObject } from '../shared/json-fields.js';
import { isBrandHandle, normaliseHandles } from '../shared/handles.js';

const SOURCE = 'github';

/** `author_association` values that mean the author speaks for the repository's owner. */
const BRAND_ASSOCIATIONS: ReadonlySet<string> = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

/** What the fetch part needs to know about an issue to fetch its comments. */
export interface GithubIssueRef {
  /** Mention id of the issue (the thread root). */
  mentionId: string;
  /** `owner/name`. */
  repo: string;
  number: number;
  /** Absolute `comments_url` as GitHub returned it. */
  commentsUrl?: string;
  /** Comment count reported by search (0 → no comment request needed). */
  comments: number;
}

/** One parsed search page. */
export interface GithubSearchPage extends ParseResult {
  totalCount?: number;
  incompleteResults: boolean;
  issues: GithubIssueRef[];
}

/** Who counts as the brand: configured handles, and repositories whose author_association is trusted. */
interface GithubBrandRules {
  handles: ReadonlySet<string>;
  /** Lower-cased owners (orgs/users) whose repositories are the brand's. */
  owners: ReadonlySet<string>;
  /** Lower-cased `owner/name` of repositories that are the brand's. */
  repos: ReadonlySet<string>;
}

/**
 * Builds the brand rules from the query. `author_association` is relative to the repository, so it only
 * means "the brand" in the brand's own repositories: those owned by option `org` / `brandOrgs`, or listed in `repos`.
 */
function brandRules(query: SourceQuery): GithubBrandRules {
  const list = (key: string): string[] => {
    const v = query.options[key];
    if (typeof v === 'string') return [v];
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  };
  return {
    handles: normaliseHandles(query.brandHandles),
    owners: new Set([...list('org'), ...list('brandOrgs')].map((o) => o.toLowerCase())),
    repos: new Set(list('repos').map((r) => r.toLowerCase())),
  };
}

/** True for GitHub Apps and bot accounts (`dependabot[bot]`, `user.type == "Bot"`): never a human brand reply. */
function isBot(user: JsonObject | undefined): boolean {
  if (!user) return false;
  const login = str(user, 'login') ?? '';
  return str(user, 'type') === 'Bot' || /\[bot\]$/i.test(login);
}

/** Decides fromBrand for an issue or comment. */
function isFromBrand(item: JsonObject, repo: string, rules: GithubBrandRules): boolean {
  const user = obj(item, 'user');
  if (isBot(user)) return false;
  if (isBrandHandle(user ? str(user, 'login') : undefined, rules.handles)) return true;
  const association = str(item, 'author_association');
  if (association === undefined || !BRAND_ASSOCIATIONS.has(association)) return false;
  const repoLower = repo.toLowerCase();
  const owner = repoLower.split('/')[0] ?? '';
  return rules.owners.has(owner) || rules.repos.has(repoLower);
}

/** `owner/name` from an API `repository_url` or an `html_url`. */
function repoFromUrls(item: JsonObject): string | undefined {
  const api = str(item, 'repository_url');
  if (api) {
    const m = /\/repos\/([^/]+)\/([^/?#]+)\/?$/.exec(api);
    if (m) return `${m[1]}/${m[2]}`;
  }
  const html = str(item, 'html_url');
  if (html) {
    const m = /^https?:\/\/[^/]+\/([^/]+)\/([^/]+)\/(?:issues|pull)\/\d+/.exec(html);
    if (m) return `${m[1]}/${m[2]}`;
  }
  return undefined;
}

/** Mention id of an issue: `github:owner/name#number`. */
export function issueMentionId(repo: string, number: number): string {
  return `${SOURCE}:${repo}#${number}`;
}

/** Issue and comment bodies are Markdown; template comments (`<!-- … -->`) are instructions, not the author's words. */
function cleanMarkdown(body: string | undefined): string {
  if (!body) return '';
  return body
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/\r\n?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function engagementOf(item: JsonObject, replies?: number): Mention['engagement'] {
  const reactions = obj(item, 'reactions');
  const up = reactions ? num(reactions, '+1') : undefined;
  const down = reactions ? num(reactions, '-1') : undefined;
  const engagement: Mention['engagement'] = {};
  if (up !== undefined) engagement.score = up - (down ?? 0);
  const total = reactions ? num(reactions, 'total_count') : undefined;
  if (total !== undefined) engagement.likes = total;
  if (replies !== undefined) engagement.replies = replies;
  return engagement;
}

function authorOf(item: JsonObject, label: string, warnings: string[]): Mention['author'] {
  const user = obj(item, 'user');
  if (!user) {
    warnings.push(`github: field "user" unreadable on ${label}; author left empty.`);
    return {};
  }
  const author: Mention['author'] = {};
  const id = idString(user, 'id');
  const login = str(user, 'login');
  if (id !== undefined) author.id = id;
  if (login !== undefined) author.handle = login;
  else warnings.push(`github: field "user.login" unreadable on ${label}.`);
  return author;
}

/** Parses one `/search/issues` page into issue mentions (thread roots) and refs for comment fetching. */
export function parseSearchIssues(body: string, query: SourceQuery): GithubSearchPage {
  const data = parseJsonBody(body, SOURCE, 'a /search/issues JSON object');
  if (!isObject(data) || !Array.isArray(data['items'])) {
    throw new SourceError('bad-response', 'github: expected a search response with an "items" array.', { sourceId: SOURCE });
  }
  const rules = brandRules(query);
  const warnings: string[] = [];
  const mentions: Mention[] = [];
  const issues: GithubIssueRef[] = [];
  data['items'].forEach((raw, index) => {
    if (!isObject(raw)) {
      warnings.push(`github: search item ${index} is not an object; skipped.`);
      return;
    }
    const number = num(raw, 'number');
    const repo = repoFromUrls(raw);
    if (number === undefined || repo === undefined) {
      warnings.push(`github: search item ${index} has no readable "number"/"repository_url"; skipped.`);
      return;
    }
    const label = `issue ${repo}#${number}`;
    const createdAt = toIsoUtc(raw['created_at']);
    if (createdAt === undefined) {
      warnings.push(`github: field "created_at" unreadable on ${label}; skipped.`);
      return;
    }
    const id = issueMentionId(repo, number);
    const comments = num(raw, 'comments');
    if (comments === undefined) warnings.push(`github: field "comments" unreadable on ${label}; its comments are fetched anyway.`);
    const mention: Mention = {
      id,
      source: SOURCE,
      kind: 'post',
      author: authorOf(raw, label, warnings),
      fromBrand: isFromBrand(raw, repo, rules),
      brand: query.brand,
      text: cleanMarkdown(str(raw, 'body')),
      createdAt,
      threadId: id,
      engagement: engagementOf(raw, comments),
    };
    const url = str(raw, 'html_url');
    if (url !== undefined) mention.url = url;
    const title = str(raw, 'title');
    if (title !== undefined) mention.title = title;
    else warnings.push(`github: field "title" unreadable on ${label}.`);
    mentions.push(mention);
    const ref: GithubIssueRef = { mentionId: id, repo, number, comments: comments ?? 1 };
    const commentsUrl = str(raw, 'comments_url');
    if (commentsUrl !== undefined) ref.commentsUrl = commentsUrl;
    issues.push(ref);
  });
  const page: GithubSearchPage = {
    mentions,
    warnings,
    issues,
    incompleteResults: data['incomplete_results'] === true,
  };
  const total = num(data, 'total_count');
  if (total !== undefined) page.totalCount = total;
  return page;
}

/** Parses one page of `/repos/{o}/{r}/issues/{n}/comments` into comment mentions under `issue`. */
export function parseIssueComments(body: string, issue: GithubIssueRef, query: SourceQuery): ParseResult {
  const data = parseJsonBody(body, SOURCE, 'an issue comments JSON array');
  if (!Array.isArray(data)) {
    throw new SourceError('bad-response', `github: expected a JSON array of comments for ${issue.repo}#${issue.number}.`, {
      sourceId: SOURCE,
    });
  }
  const rules = brandRules(query);
  const warnings: string[] = [];
  const mentions: Mention[] = [];
  data.forEach((raw, index) => {
    const commentId = isObject(raw) ? idString(raw, 'id') : undefined;
    if (!isObject(raw) || commentId === undefined) {
      warnings.push(`github: comment ${index} of ${issue.repo}#${issue.number} has no readable "id"; skipped.`);
      return;
    }
    const label = `comment ${commentId} on ${issue.repo}#${issue.number}`;
    const createdAt = toIsoUtc(raw['created_at']);
    if (createdAt === undefined) {
      warnings.push(`github: field "created_at" unreadable on ${label}; skipped.`);
      return;
    }
    const mention: Mention = {
      id: `${issue.mentionId}/c${commentId}`,
      source: SOURCE,
      kind: 'comment',
      author: authorOf(raw, label, warnings),
      fromBrand: isFromBrand(raw, issue.repo, rules),
      brand: query.brand,
      text: cleanMarkdown(str(raw, 'body')),
      createdAt,
      parentId: issue.mentionId,
      threadId: issue.mentionId,
      engagement: engagementOf(raw),
    };
    const url = str(raw, 'html_url');
    if (url !== undefined) mention.url = url;
    mentions.push(mention);
  });
  return { mentions, warnings };
}

/** The `rel="next"` URL of a GitHub `Link` header, if any. */
export function nextLink(link: string | undefined): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (m && m[2]?.split(/\s+/).includes('next')) return m[1];
  }
  return undefined;
}

/**
 * A failure the HTTP client threw, in GitHub's terms: the error answer's body says why (rate limit, rejected
 * query, SAML), the token decides the advice. Failures without a GitHub answer (network, timeouts) pass unchanged.
 */
export function githubError(error: SourceError, hasToken: boolean): SourceError {
  if (error.status === undefined) return error;
  const status = error.status;
  const message = githubMessage(error.body ?? '');
  const opts = rewordOptions(error, SOURCE);
  if (error.code === 'rate-limited' || (status === 403 && /rate limit/i.test(message))) {
    const reset = error instanceof RateLimitedError ? error.resetAt : undefined;
    const resetAt = reset && Number.isFinite(reset.getTime()) ? reset : undefined;
    const until = resetAt ? ` until ${resetAt.toISOString()}` : '';
    const hint = hasToken ? '' : '; set GITHUB_TOKEN to raise the limits (30 searches/min, 5,000 requests/h)';
    return new RateLimitedError(`github: rate limit exhausted${until}${hint}. ${error.message}`, { ...opts, retryable: true, ...(resetAt ? { resetAt } : {}) });
  }
  const said = message ? `: ${message}` : '';
  if (status === 401) {
    const advice = hasToken ? 'the token in GITHUB_TOKEN was rejected (401); check or unset it' : 'GitHub asked for authentication (401); set GITHUB_TOKEN';
    return createSourceError('auth-required', `github: ${advice}.`, opts);
  }
  if (status === 422) {
    const detail = message ? ` (${message})` : '';
    return new SourceError('config', `github: the search query was rejected${detail}; check the query and the repos/org options.`, opts);
  }
  if (error.code === 'not-found') return createSourceError('not-found', `github: not found (${status})${said}.`, opts);
  if (error.code === 'blocked') return createSourceError('blocked', `github: access refused (${status})${said}.`, opts);
  return error;
}

/** GitHub's own sentence in an error body: `message`, with 422 details from errors[].message appended. */
function githubMessage(body: string): string {
  let message = '';
  try {
    const data = JSON.parse(body) as unknown;
    if (isObject(data)) {
      message = str(data, 'message') ?? '';
      // 422s carry the useful sentence in errors[].message ("Validation Failed" alone says nothing).
      const details = Array.isArray(data['errors'])
        ? data['errors'].map((e) => (isObject(e) ? str(e, 'message') : undefined)).filter((m): m is string => !!m)
        : [];
      if (details.length > 0) message = `${message}: ${details.join(' ')}`;
      message = remoteText(message);
    }
  } catch {
    // Not JSON (a proxy page): the status alone decides.
  }
  return message;
}
