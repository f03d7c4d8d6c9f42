/**
 * Pagination that never ends (issue 19, item 6): each source that pages is pointed at a 127.0.0.1 server serving its
 * recorded fixtures, rewritten so that every answer says "there is more": the same next link or cursor again
 * (`same`), or a new page number or cursor each time over the same items (`new`). Runs go through gather and the real
 * client, without a cache and again from a warm cache (cache hits do no I/O that would notice Ctrl-C), and with the
 * source's token where it has one. Every run must end, after a bounded number of requests, keeping what it read;
 * aborting the run's signal after the Nth request ends it with at most one more.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gather, type GatherResult } from '../../src/audit/gather.js';
import { memoryLogger } from '../../src/core/log.js';
import { createHttpClient } from '../../src/http/index.js';
import type { HttpClient } from '../../src/http/types.js';
import { SERVICE_HINTS, SOURCES } from '../../src/sources/index.js';
import { startFixtureServer, type FixtureServer, type RecordedRequest } from '../helpers/fixture-server.js';
import { findRoute, readRoutes, sourceFixtureDir } from '../helpers/source-harness.js';
import { SCENARIOS, WINDOW, scenarioQuery } from './scenarios.js';

type Mode = 'same' | 'new';

/** An answer the server is about to send, which a rewrite may change. */
interface Answer {
  headers: Record<string, string>;
  body: string;
}

/** How one source's answers are made endless. */
interface Endless {
  id: string;
  /** Rewrites a matched answer so that it promises another page. */
  rewrite(req: RecordedRequest, answer: Answer, mode: Mode, server: string): void;
  /** Extra source options and environment (a token mode). */
  options?: (server: string) => Record<string, unknown>;
  env?: Record<string, string>;
  /** A fixture answering every request to this path, whatever it asks (Algolia windows differ on every split). */
  pin?: Record<string, string>;
  /** Read all time, not the scenario's window: a page reaching before --since would end paging by itself. */
  allTime?: true;
  /** The modes that make sense (default both). */
  modes?: Mode[];
  label?: string;
}

/** Query parameters that name a page: stripped when no route matches, so an invented page gets the first one. */
const PAGING = ['page', 'cursor', 'after', 'start-index', 'max_id', 'offset'];

const json = (answer: Answer, edit: (data: Record<string, unknown>) => void): void => {
  const data = JSON.parse(answer.body) as Record<string, unknown>;
  edit(data);
  answer.body = JSON.stringify(data);
};

/** The request's URL with one query parameter set (the next page, in `new` mode). */
const withParam = (server: string, req: RecordedRequest, key: string, value: string): string => {
  const u = new URL(req.url, server);
  u.searchParams.set(key, value);
  return u.toString();
};

/** Counter for invented cursors and page numbers. */
let invented = 0;

const ENDLESS: Endless[] = [
  {
    id: 'github',
    rewrite(req, answer, mode, server) {
      const next = mode === 'same' ? new URL(req.url, server).toString() : withParam(server, req, 'page', String(Number(req.query['page'] ?? '1') + 1));
      answer.headers['link'] = `<${next}>; rel="next"`;
    },
  },
  {
    id: 'github',
    label: 'github with GITHUB_TOKEN',
    env: { GITHUB_TOKEN: 'ghp_endlessPagingToken1234' },
    rewrite(req, answer, mode, server) {
      const next = mode === 'same' ? new URL(req.url, server).toString() : withParam(server, req, 'page', String(Number(req.query['page'] ?? '1') + 1));
      answer.headers['link'] = `<${next}>; rel="next"`;
    },
  },
  {
    id: 'hn',
    label: 'hn claiming nbPages 1e9',
    modes: ['new'],
    pin: { '/api/v1/search_by_date': 'search-page0.json' },
    rewrite(req, answer) {
      if (req.path === '/api/v1/search_by_date') json(answer, (d) => (d['nbPages'] = 1e9));
    },
  },
  {
    id: 'hn',
    label: 'hn claiming 1e6 hits with one reachable (window splitting)',
    modes: ['new'],
    pin: { '/api/v1/search_by_date': 'search-page0.json' },
    rewrite(req, answer) {
      if (req.path !== '/api/v1/search_by_date') return;
      json(answer, (d) => {
        d['nbHits'] = 1e6;
        d['nbPages'] = 1;
        d['hitsPerPage'] = 1;
      });
    },
  },
  {
    id: 'stackexchange',
    modes: ['new'],
    rewrite: (_req, answer) => json(answer, (d) => (d['has_more'] = true)),
  },
  {
    id: 'stackexchange',
    label: 'stackexchange with STACKEXCHANGE_KEY',
    modes: ['new'],
    env: { STACKEXCHANGE_KEY: 'endlessPagingKey((' },
    rewrite: (_req, answer) => json(answer, (d) => (d['has_more'] = true)),
  },
  {
    id: 'discourse',
    modes: ['new'],
    rewrite(req, answer) {
      if (req.path !== '/search.json') return;
      json(answer, (d) => {
        d['grouped_search_result'] = { ...(d['grouped_search_result'] as object), more_full_page_results: true };
      });
    },
  },
  {
    id: 'bluesky',
    rewrite(req, answer, mode) {
      if (req.path !== '/xrpc/app.bsky.feed.searchPosts' && req.path !== '/xrpc/app.bsky.feed.getAuthorFeed') return;
      json(answer, (d) => (d['cursor'] = mode === 'same' ? 'the-same-cursor' : `cursor-${(invented += 1)}`));
    },
  },
  {
    id: 'mastodon',
    rewrite(req, answer, mode, server) {
      if (!/\/(timelines\/tag|statuses)$/.test(req.path) || req.path.includes('/context')) return;
      const maxId = mode === 'same' ? '117000000000000000' : String(117000000000000000n - BigInt((invented += 1)));
      answer.headers['link'] = `<${withParam(server, req, 'max_id', maxId)}>; rel="next"`;
    },
  },
  {
    id: 'mastodon',
    label: 'mastodon with MASTODON_TOKEN (search by offset)',
    modes: ['new'],
    env: { MASTODON_TOKEN: 'endlessPagingMastodonToken' },
    // The recorded search has 3 hits: with pages of 3 each is full, so only the guard can end the offsets.
    options: () => ({ pageSize: 3 }),
    pin: { '/api/v2/search': 'search-statuses.json' },
    rewrite() {},
  },
  {
    id: 'wordpress',
    modes: ['new'],
    rewrite(req, answer) {
      if (req.path.startsWith('/wp-json/wp/v2/')) answer.headers['x-wp-totalpages'] = '1000000';
    },
  },
  {
    id: 'blogger',
    modes: ['new'],
    rewrite(req, answer) {
      if (!req.path.startsWith('/feeds/')) return;
      json(answer, (d) => {
        (d['feed'] as Record<string, unknown>)['openSearch$totalResults'] = { $t: '1000000' };
      });
    },
  },
  {
    id: 'steam',
    // Every page the same reviews, under a cursor that never ends ('same': the cursor asked for, which is how the last
    // page really looks; 'new': a fresh one each time).
    pin: { '/appreviews/2954110': 'reviews-page1.json' },
    rewrite(req, answer, mode) {
      json(answer, (d) => (d['cursor'] = mode === 'same' ? String(req.query['cursor'] ?? '*') : `AoJw+endless${(invented += 1)}/=`));
    },
  },
  {
    id: 'trustpilot',
    modes: ['new'],
    allTime: true,
    rewrite(_req, answer) {
      answer.body = answer.body.replace(/"totalPages":\d+/g, '"totalPages":1000000');
    },
  },
  {
    id: 'reddit',
    label: 'reddit with REDDIT_CLIENT_ID (JSON listings)',
    env: { REDDIT_CLIENT_ID: 'endless-id', REDDIT_CLIENT_SECRET: 'endless-secret-value' },
    options: (server) => ({ oauthBaseUrl: server, pageSize: 1 }),
    rewrite(req, answer, mode) {
      if (req.path !== '/search') return;
      json(answer, (d) => {
        (d['data'] as Record<string, unknown>)['after'] = mode === 'same' ? 't3_same' : `t3_new${(invented += 1)}`;
      });
    },
  },
];

/** A server for one source whose answers come from its fixtures, rewritten by `endless` in `mode`. */
function endlessServer(endless: Endless, mode: Mode): Promise<FixtureServer> {
  const dir = sourceFixtureDir(endless.id);
  // Error routes answer particular queries and page numbers past the recorded ones: an endless server has neither.
  const routes = readRoutes(dir).filter((r) => !r.file.startsWith('error-'));
  let url = '';
  const answer = (req: RecordedRequest) => {
    const asked = new URL(req.url, url);
    const pinned = endless.pin?.[req.path];
    let route = pinned === undefined ? findRoute(routes, asked, req.method) : { path: req.path, file: pinned };
    if (route === undefined) {
      for (const p of PAGING) asked.searchParams.delete(p);
      route = findRoute(routes, asked, req.method);
    }
    if (route === undefined) {
      asked.searchParams.set('page', '1');
      route = findRoute(routes, asked, req.method);
    }
    if (route === undefined) return undefined;
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', ...(route.headers ?? {}) };
    const a: Answer = { headers, body: readFileSync(join(dir, route.file), 'utf8') };
    if ((route.status ?? 200) === 200) endless.rewrite(req, a, mode, url);
    return { status: route.status ?? 200, headers: a.headers, body: a.body };
  };
  return startFixtureServer({ handler: answer }).then((s) => {
    url = s.url;
    return s;
  });
}

/** The client's GETs and POSTs, counted (cache hits included); `abortAfter` aborts the run once that many were made. */
function counting(http: HttpClient, abort: AbortController, abortAfter?: number): HttpClient & { calls: number } {
  let calls = 0;
  const note = (): void => {
    calls += 1;
    if (abortAfter !== undefined && calls >= abortAfter) abort.abort();
  };
  return {
    get calls() {
      return calls;
    },
    get: async (url, options) => {
      const res = await http.get(url, options);
      note();
      return res;
    },
    post: async (url, body, options) => {
      const res = await http.post(url, body, options);
      note();
      return res;
    },
    close: () => http.close(),
  };
}

interface Run {
  result: GatherResult;
  calls: number;
  requests: number;
  warnings: string[];
}

let cacheRoot = '';

/** One audit of `endless.id` against `server`; `cache` names a cache folder (a second run with it is served from the cache). */
async function audit(endless: Endless, server: FixtureServer, opts: { cache?: string; abortAfter?: number } = {}): Promise<Run> {
  server.resetLog();
  const abort = new AbortController();
  const real = createHttpClient({
    serviceHints: { ...SERVICE_HINTS },
    defaultRateLimit: { requestsPerMinute: 600_000, concurrency: 4 },
    retry: { maxAttempts: 1 },
    ...(opts.cache ? { cache: { dir: opts.cache, mode: 'normal' as const } } : {}),
  });
  const http = counting(real, abort, opts.abortAfter);
  const sc = SCENARIOS[endless.id]!;
  const base = scenarioQuery(sc, server.url);
  const { since: _since, ...allTime } = base;
  const query = { ...(endless.allTime ? allTime : base), options: { ...base.options, ...endless.options?.(server.url) } };
  const log = memoryLogger();
  try {
    const result = await gather([{ source: SOURCES[endless.id]!, baseUrl: sc.baseUrl(server.url), query }], {
      http,
      log,
      signal: abort.signal,
      env: { ...sc.env, ...endless.env },
      now: WINDOW.now,
    });
    return { result, calls: http.calls, requests: server.requests.length, warnings: result.coverage[0]!.warnings };
  } finally {
    await real.close();
  }
}

const CASES = ENDLESS.flatMap((e) => (e.modes ?? (['same', 'new'] as const)).map((mode) => ({ name: `${e.label ?? e.id}, ${mode === 'same' ? 'the same next page again' : 'a new next page each time'}`, e, mode })));

/** Generous bound on what one run may read: the guards allow 100 pages a loop, and most end after one repeat. */
const MAX_CALLS = 400;

const measured: string[] = [];

beforeAll(() => {
  cacheRoot = mkdtempSync(join(tmpdir(), 'earshot-endless-'));
});

afterAll(() => {
  rmSync(cacheRoot, { recursive: true, force: true });
  // The numbers the report quotes: requests per run, cold and from the cache.
  console.log(measured.join('\n'));
});

describe('pagination ends on every source that pages (issue 19, item 6)', () => {
  it('covers every source that pages, except the ones whose paging the test cannot make endless (listed)', () => {
    // rss reads each feed once; appstore's feed has 10 pages at most by its URL; googleplay's RPC is a POST (never
    // cached) capped by option pages; selectors keeps a visited set and maxPages: their loops use the same guard.
    const covered = new Set(ENDLESS.map((e) => e.id));
    expect(Object.keys(SOURCES).filter((id) => !covered.has(id)).sort()).toEqual(['appstore', 'googleplay', 'rss', 'selectors']);
  });

  it.each(CASES)('$name: ends after a bounded number of requests, cold and from the cache, keeping what it read', async ({ e, mode }) => {
    const server = await endlessServer(e, mode);
    try {
      const cache = mkdtempSync(join(cacheRoot, `${e.id}-`));
      const cold = await audit(e, server, { cache });
      const warm = await audit(e, server, { cache });
      for (const [label, run] of [['cold', cold], ['warm', warm]] as const) {
        const c = run.result.coverage[0]!;
        expect(c.error, `${label}: ${c.error?.message}`).toBeUndefined();
        expect(c.status, label).toBe('ok');
        expect(c.mentions, label).toBeGreaterThan(0);
        expect(run.calls, label).toBeLessThanOrEqual(MAX_CALLS);
        // The guard ended it, and said so (the server never stops promising more).
        expect(run.warnings.filter((w) => /^stopped reading /.test(w)), label).not.toEqual([]);
      }
      // The warm run reads the same pages, from the cache: the guard, not the network, ended it.
      expect(warm.calls).toBe(cold.calls);
      expect(warm.result.coverage[0]!.mentions).toBe(cold.result.coverage[0]!.mentions);
      measured.push(`${e.label ?? e.id} (${mode}): ${cold.calls} calls cold (${cold.requests} requests), ${warm.requests} requests warm, ${cold.result.coverage[0]!.mentions} mentions; ${cold.warnings.filter((w) => /stopped/.test(w)).join(" / ")}`);
    } finally {
      await server.close();
    }
  }, 60_000);

  it.each(CASES)('$name: aborting after the 3rd request ends the run with at most one more, from the cache too', async ({ e, mode }) => {
    const server = await endlessServer(e, mode);
    try {
      const cache = mkdtempSync(join(cacheRoot, `${e.id}-abort-`));
      await audit(e, server, { cache });
      for (const opts of [{}, { cache }]) {
        const run = await audit(e, server, { ...opts, abortAfter: 3 });
        expect(run.calls, opts.cache ? 'from the cache' : 'cold').toBeLessThanOrEqual(4);
        const c = run.result.coverage[0]!;
        // Interrupted (or, when the third call was the last one, finished): never failed for another reason.
        if (c.error) expect(c.error.code).toBe('interrupted');
      }
    } finally {
      await server.close();
    }
  }, 60_000);
});
