/**
 * Collection benchmark: the real HTTP client against the fixture server with injected latency. Measures wall time
 * against the ideal pages × latency ÷ concurrency, proves a binding rate limit is never exceeded (from the server's
 * request log, time scaled down to seconds) and that a cached rerun makes no request at all.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createHttpClient } from '../../src/http/index.js';
import { SERVICE_HINTS, SOURCES } from '../../src/sources/index.js';
import { startFixtureServer, type FixtureServer } from './fixture-server.js';
import { median } from './bench-run.js';

/** Settings for the collection benchmark. */
export interface CollectionOptions {
  pages: number;
  latencyMs: number;
  concurrency: number;
  runs: number;
  /** Pages fetched in the rate-limit scenario. */
  limitedPages: number;
  /** The binding limit of the rate-limit scenario. */
  limitPerMinute: number;
  /** Scratch folder for cache directories. */
  work: string;
}

/** What the collection benchmark measured. */
export interface CollectionResult {
  pages: number;
  latencyMs: number;
  concurrency: number;
  /** Median wall time of the uncached runs. */
  wallMs: number;
  idealMs: number;
  /** wallMs ÷ idealMs (target <= 1.2). */
  ratio: number;
  maxConcurrentSeen: number;
  limited: {
    limitPerMinute: number;
    pages: number;
    wallMs: number;
    /** Window the limit is checked over (the minute scaled to the run). */
    windowMs: number;
    allowedInWindow: number;
    maxInWindow: number;
  };
  cached: { pages: number; requests: number; wallMs: number };
  peakRssBytes: number;
}

/** A synthetic paginated JSON page: 20 items of mention-like data. */
function pageBody(page: number): string {
  const items = [];
  for (let i = 0; i < 20; i += 1) {
    const id = page * 20 + i;
    items.push({ id: `item-${id}`, author: `user${id % 997}`, text: `Synthetic post ${id} about Acme Cloud`, created: 1_700_000_000 + id * 60 });
  }
  return JSON.stringify({ page, items, next: `/items?page=${page + 1}` });
}

/** Fetches pages 1..n with `concurrency` workers through one client; returns wall ms. */
async function fetchPages(
  server: FixtureServer,
  n: number,
  rate: { requestsPerMinute: number; concurrency: number },
  cacheDir: string | undefined,
): Promise<number> {
  const client = createHttpClient({
    serviceHints: { ...SERVICE_HINTS },
    defaultRateLimit: rate,
    cache: cacheDir === undefined ? false : { dir: cacheDir, ttlMs: 3_600_000 },
    retry: { maxAttempts: 1 },
  });
  let next = 1;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next <= n) {
      const page = next;
      next += 1;
      const res = await client.get(`${server.url}/items?page=${page}`);
      const parsed = JSON.parse(res.body) as { page: number };
      if (parsed.page !== page) throw new Error(`page ${page}: got page ${parsed.page}`);
    }
  };
  await Promise.all(Array.from({ length: rate.concurrency }, worker));
  const wall = performance.now() - started;
  await client.close();
  return wall;
}

/** Largest number of request arrivals inside any half-open window [t, t + windowMs). */
export function maxInWindow(arrivals: readonly number[], windowMs: number): number {
  const s = [...arrivals].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < s.length; hi += 1) {
    while ((s[hi] as number) - (s[lo] as number) >= windowMs) lo += 1;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

/** Runs the three collection scenarios. */
export async function benchCollection(o: CollectionOptions): Promise<CollectionResult> {
  const server = await startFixtureServer({
    handler: (req) => {
      if (req.path !== '/items') return undefined;
      return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: pageBody(Number(req.query.page ?? '1')) };
    },
    faults: [{ fault: { kind: 'latency', ms: o.latencyMs } }],
  });
  const dirs: string[] = [];
  try {
    // 1. Throughput: a limit far above what the run can reach, so only concurrency and latency bind.
    const open = { requestsPerMinute: 600_000, concurrency: o.concurrency };
    const walls: number[] = [];
    let lastCache = '';
    let maxConcurrentSeen = 0;
    for (let i = 0; i < o.runs; i += 1) {
      server.resetLog();
      lastCache = mkdtempSync(join(o.work, 'cache-'));
      dirs.push(lastCache);
      walls.push(await fetchPages(server, o.pages, open, lastCache));
      if (server.requests.length !== o.pages) throw new Error(`expected ${o.pages} requests, server saw ${server.requests.length}`);
      maxConcurrentSeen = Math.max(maxConcurrentSeen, server.maxConcurrent());
    }
    const wallMs = median(walls);
    const idealMs = (o.pages * o.latencyMs) / o.concurrency;

    // 2. Cached rerun on the last run's cache: every page is fresh, so the server must see nothing.
    server.resetLog();
    const cachedWall = await fetchPages(server, o.pages, open, lastCache);
    const cachedRequests = server.requests.length;

    // 3. A binding limit: the minute is scaled to one second (limit/60 per second) and checked on arrivals.
    server.resetLog();
    const limited = { requestsPerMinute: o.limitPerMinute, concurrency: Math.max(2, Math.min(o.concurrency, 8)) };
    const limitedWall = await fetchPages(server, o.limitedPages, limited, undefined);
    const windowMs = 1000;
    const allowedInWindow = Math.floor((o.limitPerMinute * windowMs) / 60_000);
    const seen = maxInWindow(server.requests.map((r) => r.at), windowMs);

    return {
      pages: o.pages,
      latencyMs: o.latencyMs,
      concurrency: o.concurrency,
      wallMs,
      idealMs,
      ratio: wallMs / idealMs,
      maxConcurrentSeen,
      limited: { limitPerMinute: o.limitPerMinute, pages: o.limitedPages, wallMs: limitedWall, windowMs, allowedInWindow, maxInWindow: seen },
      cached: { pages: o.pages, requests: cachedRequests, wallMs: cachedWall },
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
  } finally {
    await server.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}
