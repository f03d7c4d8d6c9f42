/**
 * Waits a server asks for in the body of its answer (issue 19, item 7) get the Retry-After cap and wording of
 * docs/http.md: Stack Exchange's `backoff: 99999` would sleep 27.8 hours and `backoff: 1e10` overflows Node's timer,
 * Discourse's `wait_seconds` was promised as it came. Real source, real timer, real client, 127.0.0.1.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gather } from '../../src/audit/gather.js';
import { memoryLogger } from '../../src/core/log.js';
import { createHttpClient } from '../../src/http/index.js';
import { SERVICE_HINTS, SOURCES } from '../../src/sources/index.js';
import { serveFixtureDir, type FixtureServer } from '../helpers/fixture-server.js';
import { sourceFixtureDir } from '../helpers/source-harness.js';
import { SCENARIOS, WINDOW, scenarioQuery } from './scenarios.js';

let server: FixtureServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** One gather run of `id` against `server` with a fast client (one attempt, no rate wait). */
async function run(id: string, s: FixtureServer) {
  const http = createHttpClient({ serviceHints: { ...SERVICE_HINTS }, defaultRateLimit: { requestsPerMinute: 600_000, concurrency: 4 }, retry: { maxAttempts: 1 } });
  const sc = SCENARIOS[id]!;
  try {
    const result = await gather([{ source: SOURCES[id]!, baseUrl: sc.baseUrl(s.url), query: scenarioQuery(sc, s.url) }], {
      http,
      log: memoryLogger(),
      signal: new AbortController().signal,
      env: {},
      now: WINDOW.now,
    });
    return result.coverage[0]!;
  } finally {
    await http.close();
  }
}

describe('body-level waits are capped like Retry-After', () => {
  it.each([
    [99999, '28 h'],
    [1e10, '2777778 h'],
  ])('Stack Exchange backoff: %d is not slept out: rate-limited at once, asking for %s, keeping the first page', async (backoff, shown) => {
    const dir = sourceFixtureDir('stackexchange');
    const page1 = JSON.parse(readFileSync(join(dir, 'search-page1.json'), 'utf8')) as Record<string, unknown>;
    server = await serveFixtureDir(dir, {
      routes: [{ path: '/2.3/search/advanced', query: { page: '1' }, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...page1, backoff }) }],
    });
    const c = await run('stackexchange', server);
    expect(c.error?.code).toBe('rate-limited');
    expect(c.error?.message).toBe(
      `the API asked for a ${backoff} s back-off before the next search/advanced request; it asked to wait ${shown}, longer than the 60 s earshot waits; try again later or lower this source's request rate.`,
    );
    // Page 1 and its threads were read; search page 2 was never asked for.
    expect(c.status).toBe('partial');
    expect(c.mentions).toBeGreaterThan(0);
    expect(server.requests.filter((r) => r.path === '/2.3/search/advanced').map((r) => r.query['page'])).toEqual(['1']);
  }, 10_000);

  it.each([
    [99999, 'it asked to wait 28 h, longer than the 60 s earshot waits'],
    [1e10, 'it asked to wait 2777778 h, longer than the 60 s earshot waits'],
    [27, 'retry after 27 s'],
  ])("Discourse wait_seconds: %d is worded with the cap (without a Retry-After header)", async (wait, said) => {
    server = await serveFixtureDir(sourceFixtureDir('discourse'), {
      routes: [
        {
          path: '/search.json',
          status: 429,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ errors: ['You have performed this action too many times.'], error_type: 'rate_limit', extras: { wait_seconds: wait } }),
        },
      ],
    });
    const c = await run('discourse', server);
    expect(c.error?.code).toBe('rate-limited');
    expect(c.error?.message).toContain(`the forum rate-limited us; ${said}`);
    expect(c.error?.message).not.toContain(`${wait} s;`);
  }, 10_000);
});
