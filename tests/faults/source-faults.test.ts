/**
 * Fault matrix, in process: every registered source is pointed at a fixture server injecting one fault, next to a
 * healthy source on its own server; gather must report the faulty source with a classified error (never a crash,
 * never a silent "ok, 0 mentions") and keep every mention of the healthy one. Real sockets, real client; retries
 * and timeouts are shortened (2 attempts, 1 s) so the whole matrix runs in seconds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gather, type GatherResult } from '../../src/audit/gather.js';
import { memoryLogger } from '../../src/core/log.js';
import { createHttpClient } from '../../src/http/index.js';
import { SERVICE_HINTS, SOURCES } from '../../src/sources/index.js';
import type { Fault, FaultRule, FixtureServer } from '../helpers/fixture-server.js';
import { SCENARIOS, SOURCE_IDS, WINDOW, scenarioQuery, startSourceServers } from './scenarios.js';

const CHANGED_LAYOUT =
  '<!doctype html><html><head><title>Our new look!</title></head><body><main><div class="card">Welcome to the redesigned site</div></main></body></html>';

/** A fault, the error code it must produce and a pattern its message must match. */
interface FaultCase {
  name: string;
  fault: Fault;
  code: string;
  message: RegExp;
  /** Only the next N requests (default: every request). */
  times?: number;
}

const FAULTS: FaultCase[] = [
  { name: '429 with Retry-After: 1', fault: { kind: 'rate-limit', retryAfter: 1 }, code: 'rate-limited', message: /is rate-limiting requests \(HTTP 429\)|^Reddit rate-limited .* allow a small number of requests per IP address/ },
  { name: '503 on every request', fault: { kind: 'status', status: 503 }, code: 'bad-response', message: /failed with HTTP 503/ },
  { name: 'body slower than the timeout', fault: { kind: 'hang-body' }, code: 'timeout', message: /stopped sending the response body for 1 s/ },
  { name: 'no answer within the timeout', fault: { kind: 'hang' }, code: 'timeout', message: /did not answer within 1 s/ },
  { name: 'reset mid-body', fault: { kind: 'reset' }, code: 'bad-response', message: /cut the response off after \d+ of \d+ bytes/ },
  { name: 'reset before headers', fault: { kind: 'reset-before-headers' }, code: 'network', message: /Could not reach 127\.0\.0\.1:\d+ \(UND_ERR_SOCKET\)/ },
  { name: 'truncated body (short of Content-Length)', fault: { kind: 'truncate' }, code: 'bad-response', message: /cut the response off|truncated/ },
  // Parser-level faults: the message must say what was expected, not leak a JSON.parse/cheerio message.
  { name: 'truncated JSON with 200', fault: { kind: 'malformed' }, code: 'bad-response', message: /expected/i },
  { name: 'HTML whose layout changed', fault: { kind: 'malformed', body: CHANGED_LAYOUT, contentType: 'text/html; charset=utf-8' }, code: 'bad-response', message: /expected|layout|matched nothing/i },
  { name: 'empty JSON body', fault: { kind: 'malformed', body: '', contentType: 'application/json' }, code: 'bad-response', message: /expected|empty/i },
  { name: 'empty HTML page', fault: { kind: 'malformed', body: '', contentType: 'text/html; charset=utf-8' }, code: 'bad-response', message: /expected|empty/i },
  { name: 'redirect loop', fault: { kind: 'redirect-loop' }, code: 'bad-response', message: /redirected in a loop or more than 5 times/ },
];

// The healthy neighbour: Hacker News on its own server (Discourse when HN itself is the faulty one).
const companionOf = (id: string): string => (id === 'hn' ? 'discourse' : 'hn');

let faulty: Record<string, FixtureServer> = {};
let healthy: Record<string, FixtureServer> = {};
const baseline: Record<string, number> = {};
// Mentions of each companion that survive gather's dedupe and window filter in a healthy run.
const companionKept: Record<string, number> = {};

/** Runs the faulty source and its healthy neighbour side by side, with a fresh client (no shared limiter or pool). */
async function audit(id: string): Promise<{ result: GatherResult; log: ReturnType<typeof memoryLogger>; ms: number }> {
  const http = createHttpClient({
    serviceHints: { ...SERVICE_HINTS },
    defaultRateLimit: { requestsPerMinute: 60_000, concurrency: 4 },
    retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, jitter: 0 },
    timeouts: { headersMs: 1000, bodyMs: 1000 },
  });
  const log = memoryLogger();
  const jobs = [id, companionOf(id)].map((sid, i) => {
    const sc = SCENARIOS[sid]!;
    const server = (i === 0 ? faulty[sid] : healthy[sid])!.url;
    return { source: SOURCES[sid]!, baseUrl: sc.baseUrl(server), query: scenarioQuery(sc, server) };
  });
  const env = { ...SCENARIOS[id]!.env, ...SCENARIOS[companionOf(id)]!.env };
  const started = Date.now();
  try {
    const result = await gather(jobs, { http, log, signal: new AbortController().signal, env, now: WINDOW.now });
    return { result, log, ms: Date.now() - started };
  } finally {
    await http.close();
  }
}

beforeAll(async () => {
  faulty = await startSourceServers(SOURCE_IDS);
  healthy = await startSourceServers(['hn', 'discourse']);
  // Every scenario finds mentions when nothing goes wrong: the faults below are judged against these counts.
  await Promise.all(
    SOURCE_IDS.map(async (id) => {
      const { result } = await audit(id);
      baseline[id] = result.coverage[0]!.mentions;
      const cid = companionOf(id);
      companionKept[cid] = result.mentions.filter((m) => m.source === cid).length;
    }),
  );
  for (const s of Object.values(faulty)) s.resetLog();
});

afterAll(async () => {
  await Promise.all([...Object.values(faulty), ...Object.values(healthy)].map((s) => s.close()));
});

describe('fault matrix: every source × every fault, next to a healthy source', () => {
  it('covers every registered source', () => {
    expect(Object.keys(SCENARIOS)).toEqual(SOURCE_IDS);
  });

  it.each(SOURCE_IDS)('%s: finds mentions in its fixtures when nothing goes wrong', (id) => {
    expect(baseline[id], id).toBeGreaterThan(0);
  });

  it.each(FAULTS)('$name: classified as $code for every source; the healthy source keeps all its mentions', async (fc) => {
    const runs = await Promise.all(
      SOURCE_IDS.map(async (id) => {
        const server = faulty[id]!;
        const rule: FaultRule = { fault: fc.fault, ...(fc.times === undefined ? {} : { times: fc.times }) };
        server.fault(rule);
        try {
          return { id, ...(await audit(id)) };
        } finally {
          server.clearFaults();
        }
      }),
    );
    for (const { id, result, log } of runs) {
      const [bad, good] = result.coverage;
      expect({ source: bad!.source, status: bad!.status, mentions: bad!.mentions, code: bad!.error?.code }, `${id}: ${bad!.error?.message}`).toEqual({
        source: id,
        status: 'failed',
        mentions: 0,
        code: fc.code,
      });
      expect(bad!.error!.message, id).toMatch(fc.message);
      // Raw parser exceptions (JSON.parse, undici internals) must never be what the user reads.
      expect(bad!.error!.message, id).not.toMatch(/Unexpected token|Unexpected end of JSON|JSON at position|is not a function|Cannot read properties/);
      // The failure is printed as a warning naming the source.
      expect(log.lines.some((l) => l.level === 'warn' && l.message.startsWith(`${id}: `) && l.message.includes(bad!.error!.message)), id).toBe(true);
      // The neighbour is untouched: same count as its own healthy run, and its mentions are in the result.
      const cid = companionOf(id);
      expect(good).toMatchObject({ source: cid, status: 'ok', mentions: baseline[cid] });
      expect(result.mentions.filter((m) => m.source === cid)).toHaveLength(companionKept[cid]!);
    }
  }, 60_000);

  it('429 with Retry-After: 1 waits about a second before the one retry', async () => {
    const server = faulty['hn']!;
    server.resetLog();
    server.fault({ fault: { kind: 'rate-limit', retryAfter: 1 } });
    try {
      await audit('hn');
    } finally {
      server.clearFaults();
    }
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.at - server.requests[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('a single 503 (a burst that passes) is retried and loses nothing', async () => {
    const runs = await Promise.all(
      SOURCE_IDS.map(async (id) => {
        faulty[id]!.fault({ fault: { kind: 'status', status: 503 }, times: 1 });
        try {
          return { id, ...(await audit(id)) };
        } finally {
          faulty[id]!.clearFaults();
        }
      }),
    );
    const outcome = Object.fromEntries(runs.map(({ id, result }) => [id, `${result.coverage[0]!.status} ${result.coverage[0]!.mentions}`]));
    const expected = Object.fromEntries(SOURCE_IDS.map((id) => [id, `ok ${baseline[id]}`]));
    expect(outcome).toEqual(expected);
  }, 60_000);

  it('a failure after the first request keeps what was fetched (partial) or reports why, never a silent ok', async () => {
    const runs = await Promise.all(
      SOURCE_IDS.map(async (id) => {
        const server = faulty[id]!;
        server.resetLog();
        server.fault({ match: () => server.requests.length > 1, fault: { kind: 'status', status: 503 } });
        try {
          return { id, requests: server.requests.length, ...(await audit(id)) };
        } finally {
          server.clearFaults();
        }
      }),
    );
    for (const { id, result } of runs) {
      const c = result.coverage[0]!;
      if (c.status === 'ok' || (c.status === 'partial' && c.error === undefined)) {
        // Allowed only when the source says which part it could not read (partial without an error: it counted the
        // items it knew of and could not read, as Reddit's RSS mode does for a comments feed that failed).
        expect(c.warnings.some((w) => /HTTP 503/.test(w)), `${id}: ${c.status} without a warning about the failed request`).toBe(true);
        expect(c.mentions, id).toBeGreaterThan(0);
        if (c.status === 'partial') expect(c.unread, id).toBeGreaterThan(0);
      } else {
        expect(c.error?.code, id).toBe('bad-response');
        expect(c.error?.message, id).toMatch(/HTTP 503/);
        // Partial means the mentions fetched before the failure are kept and counted.
        if (c.status === 'partial') expect(result.mentions.filter((m) => m.source === id).length, id).toBeGreaterThan(0);
        else expect(c.mentions, id).toBe(0);
      }
      expect(c.mentions, id).toBeLessThanOrEqual(baseline[id]!);
    }
    // Most sources keep what they had: record the split so a regression to "failed" for all shows up.
    const partialOrOk = runs.filter(({ result }) => result.coverage[0]!.mentions > 0).map(({ id }) => id);
    expect(partialOrOk.length).toBeGreaterThanOrEqual(8);
  }, 60_000);
});
