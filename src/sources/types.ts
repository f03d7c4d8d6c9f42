/** The source contract: every folder under src/sources/ exports one `Source`. */
import type { Mention } from '../core/mention.js';
import type { Logger } from '../core/log.js';
import type { HttpClient, RateLimit, ServiceHints } from '../http/types.js';

export type { RateLimit };

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

/** Result of the pure parse part: mentions plus what could not be read. */
export interface ParseResult {
  mentions: Mention[];
  warnings: string[];
}

/** One batch yielded by a source's fetch part. */
export interface SourceBatch {
  mentions: Mention[];
  warnings: string[];
}

/** A source: metadata plus a fetch part that yields parsed batches. */
export interface Source {
  id: string;
  title: string;
  /** One line: what it needs from the user (query, feed URL, token env vars). */
  needs: string;
  /** Environment variables it reads for tokens (optional or required, see `needs`). */
  tokenEnv: readonly string[];
  defaultBaseUrl: string;
  rateLimit: RateLimit;
  /** One line: how a brand reply is recognised on this source. */
  brandReplySignal: string;
  /**
   * False when results are about the brand by construction (its review page, its app, a page the user
   * pointed at), so the query is not applied locally; otherwise threads must match the whole query.
   */
  filterLocally?: false;
  /** How this service's auth, quota and block pages read, for the HTTP client's classifier. */
  hints?: ServiceHints;
  fetch(ctx: SourceContext): AsyncIterable<SourceBatch>;
}
