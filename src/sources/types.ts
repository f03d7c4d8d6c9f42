/** The source contract: every folder under src/sources/ exports one `Source`. */
import type { Mention } from '../core/mention.js';
import type { Logger } from '../core/log.js';
import type { GenericSchema } from 'valibot';
import type { HttpClient, HttpResponse, RateLimit, ServiceHints } from '../http/types.js';


/** What to look for, shared by every source. */
export interface SourceQuery {
  /** The search terms as the user typed them. */
  query: string;
  /** Brand name, stamped on each mention. */
  brand: string;
  /** Usernames/handles whose posts count as the brand's (case-insensitive, no leading @). */
  brandHandles: readonly string[];
  since?: Date;
  until?: Date;
  /** Upper bound on mentions a source should gather (threads included). */
  limit: number;
  /** Source-specific options: feed URLs, subreddits, ... */
  options: Readonly<Record<string, unknown>>;
}

/** Everything a source's fetch part may use; I/O only through `http`. */
export interface SourceContext {
  http: HttpClient;
  /** Base URL in force (the default, or an override such as a fixture server). */
  baseUrl: string;
  query: SourceQuery;
  log: Logger;
  signal: AbortSignal;
  /** Environment for tokens; never logged. */
  env: Readonly<Record<string, string | undefined>>;
  now: Date;
}

/** Result of the pure parse part, and each batch a fetch part yields: mentions plus what could not be read. */
export interface ParseResult {
  mentions: Mention[];
  warnings: string[];
}

/** One batch yielded by a source's fetch part: a parse result, plus what the source knows it could not read. */
export interface SourceBatch extends ParseResult {
  /** Items the source knows exist but could not read (a thread expansion that failed): the coverage says partial. */
  unread?: number;
}

/** What a page parser may know besides the body: the query and the URL the page was fetched from. */
export interface ParseContext {
  query: SourceQuery;
  /** The page's URL; parsers that need the parent (an issue, a post) read it from here. */
  url: string;
}

/** A source's pure parser for one kind of page. */
type PageParser = (body: string, ctx: ParseContext) => ParseResult;

/** One source option, as `sources.<id>.<key>` in the config or `--source-option id.key=value`. */
interface SourceOption {
  /** The type in a few words, for the docs (`list of strings`, `whole number 1-100`). */
  type: string;
  /** One line: what it does. */
  description: string;
  /** The value used when it is not given, in words or as the value (for the docs). */
  default?: string | number | boolean;
  /** The schema a given value must pass (config and `--source-option` alike). */
  schema: GenericSchema;
  /** A dedicated CLI flag that sets this option too (`--feed` for rss.feeds). */
  flag?: string;
}

/** How the fault, secrets and e2e suites point this source at its recorded fixtures (fixtures/sources/<id>/). */
interface SourceScenario {
  /** Appended to the fixture server URL to form the base URL (Stack Exchange's `/2.3`). */
  basePath?: string;
  /** Source options that find mentions in the fixtures. */
  options(server: string): Record<string, unknown>;
  /** Environment the source reads (placeholder credentials where a login mode is exercised). */
  env?: Record<string, string>;
  /** The query, when not "acme cloud". */
  query?: string;
}

/** Names the starter config's examples are built from: the brand glued into one word, and an example domain. */
export interface StarterNames {
  glued: string;
  domain: string;
}

/** A source's section in the starter earshot.yml. */
interface SourceStarter {
  /** Listed (so audited by default) rather than commented out. */
  audited?: true;
  /** Example option lines, YAML without indentation (`subreddits: ["acme"]    # search only these`); shown commented. */
  lines(names: StarterNames): readonly string[];
}

/** What is left of a service's request quota, as one answer reported it (`earshot doctor`). */
export interface QuotaLeft {
  remaining: number;
  /** The whole quota, when the service says. */
  limit?: number;
}

/** A source: metadata plus a fetch part that yields parsed batches. */
export interface Source {
  id: string;
  title: string;
  /** One line: what it needs from the user (query, feed URL, token env vars). */
  needs: string;
  /** Environment variables it reads for tokens (optional or required, see `needs`). */
  tokenEnv: readonly string[];
  /** Which way the source reads its service with this environment, and why, for `earshot sources` (names, never values). */
  route?(env: Readonly<Record<string, string | undefined>>): string;
  defaultBaseUrl: string;
  rateLimit: RateLimit;
  /** One line: how a brand reply is recognised on this source. */
  brandReplySignal: string;
  /**
   * False when results are about the brand by construction (its review page, its app, a page the user
   * pointed at), so the query is not applied locally; otherwise threads must match the whole query.
   */
  filterLocally?: false;
  /**
   * `brand-owned` when everything read is the brand's own (its feeds, blog, review page), so competitors are not
   * audited on it; `search` when the source searches for the query.
   */
  scope: 'search' | 'brand-owned';
  /** Every option the source reads, by key. */
  options: Readonly<Record<string, SourceOption>>;
  /** The pure parsers, by page label (the golden pairs live in fixtures/sources/<id>/golden/<label>/). */
  parsers: Readonly<Record<string, PageParser>>;
  /** The working configuration against the recorded fixtures. */
  scenario: SourceScenario;
  /** True for a source `npm run new-source` made and nobody finished yet: docs/sources.md leaves it out. */
  draft?: true;
  /** How `earshot init`'s starter config shows this source; a source without it is not in the starter. */
  starter?: SourceStarter;
  /** How this service's auth, quota and block pages read, for the HTTP client's classifier. */
  hints?: ServiceHints;
  /**
   * Throws a `config` SourceError when a setting the source cannot run without is missing or malformed (App Store
   * without `appId`): checked when the audit is planned, so it is a usage error before any request.
   */
  checkSettings?(options: Readonly<Record<string, unknown>>): void;
  /**
   * The quota left as one successful answer reports it, for `earshot doctor`, when the service says it somewhere other
   * than the usual `x-ratelimit-remaining`/`ratelimit-remaining` headers (Stack Exchange's `quota_remaining` in the body).
   */
  quotaLeft?(res: HttpResponse): QuotaLeft | undefined;
  fetch(ctx: SourceContext): AsyncIterable<SourceBatch>;
}
