/**
 * The harness every source test (tests/unit/sources/*.test.ts) builds on, so each file states only what is
 * particular to its source: its fixture folder, its query options and its expectations.
 *
 * - Fixtures: `sourceFixtureDir('github')` is `fixtures/sources/github`; `fixtureReader(dir)` reads its files.
 * - In-memory HTTP: `routesClient(dir, requests, notFound)` serves that folder's `routes.json` with the fixture
 *   server's matching rules (exact path, listed query params equal, first match wins) and records each GET.
 * - Query and context: `sourceQuery(overrides)` is the two-week "acme cloud" audit every source test starts from;
 *   `sourceContext(http, query, over)` builds a SourceContext at TEST_NOW; `loggedContext` also hands back its
 *   captured log; `routesContext(...)` combines that with the in-memory client.
 * - Running a source: `collect(source, ctx)` drains `fetch(ctx)` and keeps what came before an error;
 *   `collectOrThrow` lets the error escape.
 * - Real sockets: `realHttp(dir)` serves the folder on 127.0.0.1 and builds the real client (fast retries,
 *   no rate wait); `close()` stops both. `realHttpForSuite(dir)` shares one pair across a describe block;
 *   `realHttpEachTest(dir)` gives a fresh pair per test, closed after it.
 * - `byId(mentions, id)` finds one mention or fails the test naming the ids there were.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { memoryLogger } from '../../src/core/log.js';
import type { Mention } from '../../src/core/mention.js';
import type { SourceError } from '../../src/core/errors.js';
import { classifyResponse, describeFailure, hintsFor } from '../../src/http/classify.js';
import { createHttpClient } from '../../src/http/index.js';
import type { EarshotHttpClient, HttpClientOptions } from '../../src/http/index.js';
import type { HttpClient, HttpRequestOptions, HttpResponse } from '../../src/http/types.js';
import { SERVICE_HINTS, SOURCES } from '../../src/sources/index.js';
import type { SourceBatch, SourceContext, SourceQuery } from '../../src/sources/types.js';
import { selectorsSource } from '../../src/sources/selectors/index.js';
import { serveFixtureDir, type FixtureServer } from './fixture-server.js';

/** Repository root's `fixtures/sources` folder. */
const SOURCES_DIR = join(import.meta.dirname, '../../fixtures/sources');

/** The "now" every source test runs at (the day after the default window ends). */
export const TEST_NOW = '2026-11-23T09:00:00Z';

/** `fetchedAt` the in-memory clients stamp on responses. */
export const FETCHED_AT = '2026-11-23T09:00:00.000Z';

/** Absolute path of `fixtures/sources/<name>`. */
export function sourceFixtureDir(name: string): string {
  return join(SOURCES_DIR, name);
}

/** A reader of one fixture folder's files as UTF-8 text. */
export function fixtureReader(dir: string): (file: string) => string {
  return (file) => readFileSync(join(dir, file), 'utf8');
}

/** One route of a fixture folder's routes.json, as the in-memory clients read it. */
export interface FixtureRouteEntry {
  method?: string;
  path: string;
  query?: Record<string, string>;
  status?: number;
  headers?: Record<string, string>;
  file: string;
}

/** The routes of `<dir>/routes.json`, in file order. */
export function readRoutes(dir: string): FixtureRouteEntry[] {
  return (JSON.parse(readFileSync(join(dir, 'routes.json'), 'utf8')) as { routes: FixtureRouteEntry[] }).routes;
}

/**
 * The first route that answers `url`: exact path, every listed query param equal (others ignored).
 * With `method`, the route's method (default GET) must equal it too; without, methods are not compared.
 */
export function findRoute(routes: readonly FixtureRouteEntry[], url: URL, method?: string): FixtureRouteEntry | undefined {
  return routes.find(
    (r) =>
      (method === undefined || (r.method ?? 'GET') === method) &&
      r.path === url.pathname &&
      Object.entries(r.query ?? {}).every(([k, v]) => url.searchParams.get(k) === v),
  );
}

/** A GET the in-memory client saw. */
export interface SeenRequest {
  url: string;
  options?: HttpRequestOptions;
}

/** What the in-memory client answers when no route matches (each source's own "not found" shape). */
export interface NotFoundAnswer {
  status: number;
  body: string;
  /** Headers of the unmatched answer (default none). */
  headers?: Record<string, string>;
}

/**
 * An in-memory HttpClient serving `<dir>/routes.json` with the fixture server's matching rules. Like the real
 * client, a non-2xx answer (or a block page behind a 200) throws the classified error, with the source's
 * service hints, instead of reaching the source. Every GET is pushed to `requests`; POST is refused.
 */
export function routesClient(dir: string, requests: SeenRequest[], notFound: NotFoundAnswer): HttpClient {
  const routes = readRoutes(dir);
  const fixture = fixtureReader(dir);
  return {
    async get(url: string, options?: HttpRequestOptions): Promise<HttpResponse> {
      requests.push({ url, options });
      const route = findRoute(routes, new URL(url));
      const base = { url, fromCache: false, fetchedAt: FETCHED_AT };
      const res = route
        ? { ...base, status: route.status ?? 200, headers: lowerCased(route.headers ?? {}), body: fixture(route.file) }
        : { ...base, status: notFound.status, headers: lowerCased(notFound.headers ?? {}), body: notFound.body };
      const error = clientError(res, options?.sourceId);
      if (error) throw error;
      return res;
    },
    post: () => Promise.reject(new Error('no POST')),
    close: () => Promise.resolve(),
  };
}

/**
 * What the real HTTP client throws for this answer to a request of `sourceId` (its service hints applied), or
 * undefined when the answer is usable: sources' error handling is tested against what they really receive.
 */
export function clientError(
  res: { url: string; status: number; headers?: Record<string, string>; body: string },
  sourceId: string | undefined,
): SourceError | undefined {
  const raw = { url: res.url, status: res.status, headers: lowerCased(res.headers ?? {}), body: res.body };
  const verdict = classifyResponse(raw, hintsFor(SERVICE_HINTS, sourceId), Date.parse(FETCHED_AT));
  if (!verdict) return undefined;
  return describeFailure(verdict, { method: 'GET', url: res.url, headers: {}, sourceId, signal: undefined, secrets: [] }, 1, 0);
}

function lowerCased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

/** The two-week "acme cloud" audit of brand "Acme Cloud" (limit 100, no options) with `overrides` on top. */
export function sourceQuery(overrides: Partial<SourceQuery> = {}): SourceQuery {
  return {
    query: 'acme cloud',
    brand: 'Acme Cloud',
    brandHandles: [],
    since: new Date('2026-11-09T00:00:00Z'),
    until: new Date('2026-11-22T23:59:59Z'),
    limit: 100,
    options: {},
    ...overrides,
  };
}

/** A logger that keeps its lines, as tests read them. */
export type CapturedLog = ReturnType<typeof memoryLogger>;

/** What a context may differ in; `baseUrl` is the one thing every test must say. */
export type ContextOverrides = Partial<Omit<SourceContext, 'http' | 'query' | 'log'>> & { baseUrl: string };

/** A SourceContext at TEST_NOW over `http`, with a fresh signal, no env and a memory log unless `over` says otherwise. */
export function sourceContext(http: HttpClient, query: SourceQuery, over: Partial<SourceContext> & { baseUrl: string }): SourceContext {
  return {
    http,
    query,
    log: memoryLogger(),
    signal: new AbortController().signal,
    env: {},
    now: new Date(TEST_NOW),
    ...over,
  };
}

/** sourceContext with its log captured and handed back beside it. */
export function loggedContext(http: HttpClient, query: SourceQuery, over: ContextOverrides): { ctx: SourceContext; log: CapturedLog } {
  const log = memoryLogger();
  return { ctx: sourceContext(http, query, { ...over, log }), log };
}

/** A context over the in-memory routes client of `dir`: the context, the requests it made and its log. */
export function routesContext(
  dir: string,
  query: SourceQuery,
  over: ContextOverrides & { notFound: NotFoundAnswer },
): { ctx: SourceContext; requests: SeenRequest[]; log: CapturedLog } {
  const { notFound, ...rest } = over;
  const requests: SeenRequest[] = [];
  const { ctx, log } = loggedContext(routesClient(dir, requests, notFound), query, rest);
  return { ctx, requests, log };
}

/** Something that yields batches: a Source (its `fetch`) or a bare fetch function. */
export type BatchFetcher = { fetch(ctx: SourceContext): AsyncIterable<SourceBatch> } | ((ctx: SourceContext) => AsyncIterable<SourceBatch>);

/** What a run yielded, flattened; `error` is present only when the run threw. */
export interface Collected {
  batches: SourceBatch[];
  mentions: Mention[];
  warnings: string[];
  error?: unknown;
}

function batchesOf(fetcher: BatchFetcher, ctx: SourceContext): AsyncIterable<SourceBatch> {
  return typeof fetcher === 'function' ? fetcher(ctx) : fetcher.fetch(ctx);
}

function flatten(batches: SourceBatch[]): Collected {
  return { batches, mentions: batches.flatMap((b) => b.mentions), warnings: batches.flatMap((b) => b.warnings) };
}

/** Drains a run; an error ends it and is returned beside the batches yielded before it (which must be kept). */
export async function collect(fetcher: BatchFetcher, ctx: SourceContext): Promise<Collected> {
  const batches: SourceBatch[] = [];
  try {
    for await (const batch of batchesOf(fetcher, ctx)) batches.push(batch);
  } catch (error) {
    return { ...flatten(batches), error };
  }
  return flatten(batches);
}

/** Drains a run and lets an error escape (for `await expect(...).rejects`). */
export async function collectOrThrow(fetcher: BatchFetcher, ctx: SourceContext): Promise<Omit<Collected, 'error'>> {
  const batches: SourceBatch[] = [];
  for await (const batch of batchesOf(fetcher, ctx)) batches.push(batch);
  return flatten(batches);
}

/** The real client tuned for tests: no rate wait, two fast attempts. */
const FAST_CLIENT: HttpClientOptions = {
  defaultRateLimit: { requestsPerMinute: 60_000, concurrency: 4 },
  retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, jitter: 0 },
};

/** A running fixture server with the real client pointed at nothing in particular; `close` stops both. */
export interface RealHttp {
  server: FixtureServer;
  http: EarshotHttpClient;
  close(): Promise<void>;
}

/**
 * Serves `dir` over real HTTP on 127.0.0.1 and builds the real client (`client`, FAST_CLIENT unless given;
 * `server` adds routes or faults to the fixture server).
 */
export async function realHttp(
  dir: string,
  options: { client?: HttpClientOptions; server?: Parameters<typeof serveFixtureDir>[1] } = {},
): Promise<RealHttp> {
  const server = await serveFixtureDir(dir, options.server);
  // Every source's hints, as openSession passes them, so block/auth/quota pages classify as in a real run.
  const http = createHttpClient({ serviceHints: { ...SERVICE_HINTS }, ...(options.client ?? FAST_CLIENT) });
  return {
    server,
    http,
    close: async () => {
      await http.close();
      await server.close();
    },
  };
}

/**
 * For a describe block that shares one server and client: starts them in beforeAll and closes them in afterAll.
 * Read `server` and `http` inside tests and hooks only (they are set once beforeAll has run).
 */
export function realHttpForSuite(dir: string, client: HttpClientOptions = FAST_CLIENT): { readonly server: FixtureServer; readonly http: EarshotHttpClient } {
  let current: RealHttp | undefined;
  beforeAll(async () => {
    current = await realHttp(dir, { client });
  });
  afterAll(() => current?.close());
  const started = (): RealHttp => {
    if (!current) throw new Error('realHttpForSuite: the server is read before beforeAll ran');
    return current;
  };
  return {
    get server() {
      return started().server;
    },
    get http() {
      return started().http;
    },
  };
}

/**
 * For suites that want a fresh server and client in each test: registers an afterEach that closes what the
 * returned `open()` started (nothing when a test did not call it). `open` may add server routes or faults.
 */
export function realHttpEachTest(
  dir: string,
  client: HttpClientOptions = FAST_CLIENT,
): (server?: Parameters<typeof serveFixtureDir>[1]) => Promise<RealHttp> {
  let current: RealHttp | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return async (server) => {
    current = await realHttp(dir, { client, server });
    return current;
  };
}

/** The mention with this id; fails the test naming the ids there were. */
export function byId(mentions: readonly Mention[], id: string): Mention {
  const m = mentions.find((x) => x.id === id);
  if (!m) throw new Error(`no mention ${id} in ${mentions.map((x) => x.id).join(', ')}`);
  return m;
}

export type { FixtureServer };

/** The options that read the selectors fixture site (an invented review site with company replies and paging). */
export const SELECTORS_FIXTURE_OPTIONS = selectorsSource.scenario.options('') as Record<string, string>;
