/**
 * `earshot doctor` without the command line: one cheap live probe per source (its own fetch with a limit of 1, up to
 * the first page that yields a mention), classified into what the user has to fix, and the lines that say so.
 */
import { BudgetSpentError, EarshotError, RateLimitedError, SourceSkippedError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { messageLine } from '../core/sanitize.js';
import { formatDuration, neverSentCode, redactText, type BudgetLedger, type RequestBudget } from '../http/index.js';
import type { HttpClient, HttpResponse } from '../http/types.js';
import { plainStyle, type Style } from '../report/style.js';
import type { QuotaLeft, Source, SourceQuery } from '../sources/types.js';
import { fetchWithinBudget, sourceLogger, tokenValues, withSourceId } from './gather.js';

/** What a probe found, in one word a script can read. */
export type DoctorStatus =
  | 'ok'
  | 'no-results'
  | 'not-configured'
  | 'token-required'
  | 'token-rejected'
  | 'blocked'
  | 'rate-limited'
  | 'unreachable'
  | 'timeout'
  | 'not-found'
  | 'bad-response';

/** Whether the source's token variables were set and what the service made of them. */
export type TokenState = 'not-used' | 'not-set' | 'set' | 'accepted' | 'rejected';

/** One source's probe, as `earshot doctor -f json` prints it. */
export interface DoctorCheck {
  source: string;
  status: DoctorStatus;
  /** True when an audit can read this source as configured (ok, or a query that finds nothing). */
  usable: boolean;
  /** The service answered at all; absent when no request was made (not configured). */
  reachable?: boolean;
  token: TokenState;
  /** Which way the source reads its service with this environment, where it has a choice (Reddit: OAuth or RSS). */
  route?: string;
  /** Requests the probe made (a login, the first page, the thread of the one mention read). */
  requests: number;
  /** Mentions on the page read (the probe stops at the first). */
  mentions: number;
  quota?: QuotaLeft;
  /** earshot's own request budget for the service, kept across runs (Reddit's feeds), after the probe. */
  budget?: BudgetLeft;
  /** When a rate limit ends, as the service said (ISO 8601). */
  resetAt?: string;
  /** Why the source is not usable, as one sentence (tokens redacted). */
  message?: string;
  /** Why the query may have found nothing (scope, language, dates). */
  hint?: string;
}

/** What is left of a request budget earshot keeps for a service (docs/http.md), in its window. */
interface BudgetLeft {
  remaining: number;
  limit: number;
  windowMs: number;
}

/** Every probe, plus whether the machine seems to have no network at all. */
export interface DoctorReport {
  checks: DoctorCheck[];
  /** Every source that made a request failed to connect before sending it (no DNS, refused, no route). */
  offline: boolean;
  /** The connect-failure codes seen when offline (ENOTFOUND, ECONNREFUSED, …), sorted. */
  offlineCodes?: string[];
  /** Every configured source is usable: exit 0. */
  usable: boolean;
}

/** One source to probe: the source, the base URL in force and the query it is asked (its options included). */
export interface ProbeJob {
  source: Source;
  baseUrl: string;
  query: SourceQuery;
  /** The whole query as the user wrote it (the source is asked one alternative of it), for the hint. */
  written?: string;
}

/** What probing needs from the outside. */
export interface ProbeDeps {
  http: HttpClient;
  log: Logger;
  signal: AbortSignal;
  env: Readonly<Record<string, string | undefined>>;
  now: Date;
  /** Longest one probe may take in all, in ms. */
  budgetMs?: number;
  /** The request-budget ledger the client keeps to, to say what is left of a budget the probe's requests carried. */
  budgets?: BudgetLedger;
  /** The real clock the ledger counts by (default Date.now). */
  clock?: () => number;
}

/** What happened on the wire during one probe, before it is classified. */
export interface ProbeOutcome {
  /** The error that ended the probe, if any. */
  error?: unknown;
  mentions: number;
  requests: number;
  /** Requests answered with a usable (2xx/304) response. */
  answered: number;
  quota?: QuotaLeft;
  budget?: BudgetLeft;
}

/** Options that narrow a source to one language, country or site: named in the "nothing found" hint. */
const NARROWING_OPTIONS = /^(lang|language|locale|country|region|site|hl|gl)$/i;

/** Probes every job side by side and classifies each; never throws for a source's failure. */
export async function runDoctor(jobs: readonly ProbeJob[], deps: ProbeDeps): Promise<DoctorReport> {
  const outcomes = await Promise.all(jobs.map((job) => probeSource(job, deps)));
  return summarise(
    jobs.map((job, i) => classifyProbe(job, outcomes[i]!, deps.env)),
    outcomes,
  );
}

/** Runs one source's own fetch with a limit of 1 until its first page with a mention (or its end), counting requests. */
export async function probeSource(job: ProbeJob, deps: ProbeDeps): Promise<ProbeOutcome> {
  const outcome: ProbeOutcome = { mentions: 0, requests: 0, answered: 0 };
  const seen = (res: HttpResponse): HttpResponse => {
    outcome.answered += 1;
    const quota = job.source.quotaLeft?.(res) ?? headerQuota(res.headers);
    // The lowest figure is the one after the probe's own requests.
    if (quota && (outcome.quota === undefined || quota.remaining <= outcome.quota.remaining)) outcome.quota = quota;
    return res;
  };
  let budget: RequestBudget | undefined;
  const http: HttpClient = {
    get: async (url, options) => {
      outcome.requests += 1;
      if (options?.budget) budget = options.budget;
      return seen(await deps.http.get(url, options));
    },
    post: async (url, body, options) => {
      outcome.requests += 1;
      return seen(await deps.http.post(url, body, options));
    },
    close: () => deps.http.close(),
  };
  const query: SourceQuery = { ...job.query, limit: 1 };
  const ctx = { http, baseUrl: job.baseUrl, query, log: sourceLogger(job.source, deps.env, deps.log), signal: deps.signal, env: deps.env, now: deps.now };
  try {
    for await (const batch of fetchWithinBudget(job.source, ctx, deps.budgetMs)) {
      outcome.mentions += batch.mentions.length;
      for (const w of batch.warnings) deps.log.debug(withSourceId(job.source.id, w));
      if (outcome.mentions > 0) break;
    }
  } catch (err) {
    outcome.error = err;
  }
  if (budget && deps.budgets) {
    const remaining = await deps.budgets.remaining(budget, (deps.clock ?? Date.now)());
    outcome.budget = { remaining, limit: budget.limit, windowMs: budget.windowMs };
  }
  return outcome;
}

/** The quota a response reports in the usual headers (GitHub, Mastodon and Reddit's x-ratelimit-*, Bluesky's ratelimit-*), if any. */
export function headerQuota(headers: Readonly<Record<string, string>>): QuotaLeft | undefined {
  const read = (...names: string[]): number | undefined => {
    for (const name of names) {
      const n = Number(headers[name]?.trim() ?? Number.NaN);
      if (headers[name] !== undefined && Number.isFinite(n) && n >= 0) return Math.floor(n);
    }
    return undefined;
  };
  const remaining = read('x-ratelimit-remaining', 'ratelimit-remaining', 'x-rate-limit-remaining');
  if (remaining === undefined) return undefined;
  const limit = read('x-ratelimit-limit', 'ratelimit-limit', 'x-rate-limit-limit');
  return { remaining, ...(limit !== undefined ? { limit } : {}) };
}

/** The check for one probe: its status from the error class, the token state, the quota, and the hint when empty. */
export function classifyProbe(job: ProbeJob, outcome: ProbeOutcome, env: Readonly<Record<string, string | undefined>>): DoctorCheck {
  const { source } = job;
  const secrets = tokenValues(source, env);
  const tokenSet = secrets.length > 0;
  const route = source.route ? { route: messageLine(source.route(env)) } : {};
  const base = { source: source.id, ...route, requests: outcome.requests, mentions: outcome.mentions, ...(outcome.quota ? { quota: outcome.quota } : {}), ...(outcome.budget ? { budget: outcome.budget } : {}) };
  const token = (rejected: boolean): TokenState =>
    source.tokenEnv.length === 0 ? 'not-used' : !tokenSet ? 'not-set' : rejected ? 'rejected' : outcome.answered > 0 ? 'accepted' : 'set';
  if (outcome.error === undefined) {
    if (outcome.mentions > 0) return { ...base, status: 'ok', usable: true, reachable: true, token: token(false) };
    return { ...base, status: 'no-results', usable: true, ...(outcome.requests > 0 ? { reachable: true } : {}), token: token(false), hint: messageLine(emptyHint(job)) };
  }
  const err = outcome.error;
  // Anything but an earshot error is a source's own failure on the answer it got, not the network.
  const code = err instanceof EarshotError ? err.code : 'bad-response';
  const status = statusOf(err, code, tokenSet);
  const raw = err instanceof Error ? err.message : String(err);
  const message = redactText(messageLine(withoutSourceId(source.id, raw)), secrets);
  // earshot's own request budget (or a 429 it remembers) refused the last request before it was sent.
  const unsent = err instanceof BudgetSpentError ? 1 : 0;
  const requests = outcome.requests - unsent;
  const answeredError = typeof (err as { status?: unknown }).status === 'number';
  const reachable = outcome.answered > 0 || answeredError || !['unreachable', 'timeout', 'not-configured', ...(unsent ? ['rate-limited'] : [])].includes(status);
  const reset = status === 'rate-limited' ? resetOf(err) : undefined;
  const resetAt = reset ? { resetAt: reset.toISOString() } : {};
  return {
    ...base,
    requests,
    status,
    usable: false,
    ...(requests > 0 ? { reachable } : {}),
    token: token(status === 'token-rejected'),
    ...resetAt,
    message,
  };
}

/**
 * The report over every check (`outcomes` in the same order): usable when every source is; offline when every source
 * that made a request failed to connect before sending it, and there were at least two (one host refusing is that
 * host being down, not the network).
 */
export function summarise(checks: DoctorCheck[], outcomes: readonly ProbeOutcome[]): DoctorReport {
  const report: DoctorReport = { checks, offline: false, usable: checks.every((c) => c.usable) };
  const codes = outcomes.filter((o) => o.requests > 0).map((o) => neverSentCode(o.error));
  if (codes.length < 2 || codes.some((c) => c === undefined)) return report;
  return { ...report, offline: true, offlineCodes: [...new Set(codes as string[])].sort() };
}

/** When a rate limit ends: on the error, or on the client's error a source re-worded (its cause). */
function resetOf(err: unknown): Date | undefined {
  let e: unknown = err;
  for (let i = 0; i < 5 && e instanceof Error; i += 1) {
    if (e instanceof RateLimitedError && e.resetAt !== undefined) return e.resetAt;
    e = e.cause;
  }
  return undefined;
}

function statusOf(err: unknown, code: string, tokenSet: boolean): DoctorStatus {
  if (err instanceof SourceSkippedError) return code === 'auth-required' ? 'token-required' : 'not-configured';
  switch (code) {
    case 'auth-required':
      return tokenSet ? 'token-rejected' : 'token-required';
    case 'blocked':
      return 'blocked';
    case 'rate-limited':
      return 'rate-limited';
    case 'network':
      return 'unreachable';
    case 'timeout':
      return 'timeout';
    case 'not-found':
      return 'not-found';
    case 'not-configured':
    case 'config':
    case 'usage':
      return 'not-configured';
    default:
      return 'bad-response';
  }
}

/** Why a query may find nothing on this source: what it searched, in which window, narrowed to which language or site. */
export function emptyHint(job: ProbeJob): string {
  const { source, query } = job;
  const given = (key: string): boolean => {
    const v = query.options[key];
    return v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0);
  };
  const narrowing = Object.entries(source.options)
    .filter(([key]) => NARROWING_OPTIONS.test(key))
    .map(([key, option]) => [key, given(key) ? query.options[key] : option.default] as const)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `${key}=${String(value)}`);
  // The options the user set that say what is read (subreddits, repos, tags, the feed, app or page: text or lists), by
  // their config key; counts and switches (page sizes, brandBlog) do not, nor do those that only mark brand replies.
  const scoping = Object.keys(query.options)
    .filter((k) => given(k) && !NARROWING_OPTIONS.test(k) && !/^brand[A-Z]/.test(k) && (typeof query.options[k] === 'string' || Array.isArray(query.options[k])))
    .map((k) => `${source.id}.${k}`);
  const parts: string[] = [];
  if (source.scope === 'search') {
    const written = job.written ?? query.query;
    const phrase = /"/.test(written) ? ' (a quoted phrase must appear exactly as written)' : '';
    parts.push(`the service found nothing for ${written}${phrase}${scoping.length > 0 ? ` within ${scoping.join(', ')}` : ''}`);
  } else {
    parts.push(`the brand's own pages it reads (${scoping.length > 0 ? scoping.join(', ') : 'as configured'}) have nothing`);
  }
  if (query.since || query.until) {
    const day = (d: Date): string => d.toISOString().slice(0, 10);
    const window = query.since && query.until ? `between ${day(query.since)} and ${day(query.until)}` : query.since ? `since ${day(query.since)}` : `before ${day(query.until!)}`;
    parts.push(`in the window ${window}`);
  }
  if (narrowing.length > 0) parts.push(`limited to ${narrowing.join(', ')}`);
  const fixes = [
    source.scope === 'search' ? `a broader --query${scoping.length > 0 ? ` or fewer sources.${source.id} settings` : ''}` : `other sources.${source.id} settings`,
    query.since || query.until ? 'a wider --since' : undefined,
    narrowing.length > 0 ? `another ${narrowing.map((n) => n.split('=')[0]).join(' or ')}` : undefined,
  ].filter(Boolean);
  return `${parts.join(' ')}; try ${fixes.join(', ')}`;
}

/** Words for each status, as the line shows them. */
const STATUS_WORDS: Record<DoctorStatus, string> = {
  ok: 'ok',
  'no-results': 'no results',
  'not-configured': 'not configured',
  'token-required': 'token required',
  'token-rejected': 'token rejected',
  blocked: 'blocked',
  'rate-limited': 'rate-limited',
  unreachable: 'unreachable',
  timeout: 'timeout',
  'not-found': 'not found',
  'bad-response': 'bad response',
};

const TOKEN_WORDS: Record<TokenState, string> = {
  'not-used': 'no token needed',
  'not-set': 'no token set',
  set: 'token set (not checked)',
  accepted: 'token accepted',
  rejected: 'token rejected',
};

/** The report as text: one line per source (status word, then what was found), or the one "no network" line. */
export function doctorLines(report: DoctorReport, style: Style = plainStyle): string {
  if (report.offline) {
    const tried = report.checks.filter((c) => c.requests > 0).length;
    return `${style('bad', 'no network')}: none of the ${tried} sources' servers could be reached (${(report.offlineCodes ?? []).join(', ')}); check the connection, DNS or proxy, then run earshot doctor again.\n`;
  }
  const idWidth = Math.max(...report.checks.map((c) => c.source.length), 0);
  const wordWidth = Math.max(...report.checks.map((c) => STATUS_WORDS[c.status].length), 0);
  return report.checks
    .map((c) => {
      const word = STATUS_WORDS[c.status];
      const role = c.status === 'ok' ? 'good' : c.usable ? 'warn' : 'bad';
      // Padding is added outside the colour codes, so the columns line up with colour on or off.
      return `${c.source.padEnd(idWidth)}  ${style(role, word)}${' '.repeat(wordWidth - word.length)}  ${details(c).join('; ')}\n`;
    })
    .join('');
}

/** What one line says after the status word, in a fixed order. */
function details(c: DoctorCheck): string[] {
  const out: string[] = [c.reachable === undefined ? 'no request made' : c.reachable ? 'reachable' : 'not reachable', TOKEN_WORDS[c.token]];
  if (c.route !== undefined) out.push(`reads ${c.route}`);
  if (c.quota) out.push(`quota ${c.quota.remaining}${c.quota.limit !== undefined ? ` of ${c.quota.limit}` : ''} left`);
  if (c.budget) out.push(`earshot's budget ${c.budget.remaining} of ${c.budget.limit} requests per ${formatDuration(c.budget.windowMs)} left`);
  if (c.status === 'rate-limited') out.push(c.resetAt !== undefined ? `rate-limited until ${c.resetAt}` : 'rate-limited (the service gave no reset time)');
  if (c.status === 'ok') out.push('the query finds mentions');
  if (c.status === 'no-results' && c.hint) out.push(`nothing found: ${c.hint}`);
  if (c.message !== undefined) out.push(c.message.replace(/\.$/, ''));
  out.push(`${c.requests} ${c.requests === 1 ? 'request' : 'requests'}`);
  return out;
}

function withoutSourceId(id: string, message: string): string {
  return message.startsWith(`${id}: `) ? message.slice(id.length + 2) : message;
}
