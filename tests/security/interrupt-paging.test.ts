/**
 * The first SIGINT ends a run that pages without end (issue 19, item 6): `earshot audit` of Hacker News against a
 * search that claims a billion pages and serves new hits on every one, a little slowly, first over the network
 * and then again from a warm cache (where paging does no I/O). SIGINT after a few requests: the run finishes with
 * what it read (exit 0, `partial (interrupted)`), asks for at most one more page, and exits well before the
 * generous kill timer.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { ROOT } from '../helpers/run-cli.js';

let server: FixtureServer;
let dir = '';
const FIXTURES = join(ROOT, 'fixtures/sources/hn');
const page0 = JSON.parse(readFileSync(join(FIXTURES, 'search-page0.json'), 'utf8')) as { hits: Record<string, unknown>[] };
const story = readFileSync(join(FIXTURES, 'item-48259900.json'), 'utf8');

/** A search page of four new comment hits on story 48259900, whatever page was asked for. */
function endlessPage(page: number): string {
  const hits = [0, 1, 2, 3].map((i) => ({
    ...page0.hits[0],
    objectID: String(90_000_000 + page * 4 + i),
    story_id: 48259900,
    parent_id: 48259900,
    created_at_i: 1794500000 - page * 10 - i,
    created_at: new Date((1794500000 - page * 10 - i) * 1000).toISOString(),
  }));
  return JSON.stringify({ hits, nbHits: 4e9, nbPages: 1e9, hitsPerPage: 4, page });
}

interface Run {
  code: number | null;
  stderr: string;
  /** Requests the server saw after the signal was sent. */
  after: number;
  /** Pages read from the cache after the signal was sent. */
  cachedAfter: number;
  /** Whether the kill timer had to end it. */
  killed: boolean;
}

/** `earshot audit` of HN on the endless server; SIGINT once `after` requests (or cache reads, `whenLogged`) happened. */
function audit(extra: string[], signalAfter?: number): Promise<Run> {
  server.resetLog();
  const args = [
    join(ROOT, 'bin/earshot.js'), 'audit', 'acme cloud', '--source', 'hn', '--base-url', `hn=${server.url}`, '--source-option', 'hn.hitsPerPage=4',
    '--since', '2026-11-09', '--now', '2026-11-23T09:00:00Z', '-f', 'json', '--debug', '--rate-limit', 'hn=60000', ...extra,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', HOME: join(dir, 'home'), TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let sentAt: number | undefined;
    let cachedAt = 0;
    const cached = (): number => (stderr.match(/\(from cache\)/g) ?? []).length;
    let killed = false;
    // From the cache there are no requests to count: the debug lines say what was read.
    const reads = (): number => (signalAfter === undefined ? 0 : Math.max(server.requests.length, cached()));
    const maybeSignal = (): void => {
      if (signalAfter === undefined || sentAt !== undefined || reads() < signalAfter) return;
      sentAt = server.requests.length;
      cachedAt = cached();
      child.kill('SIGINT');
    };
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      maybeSignal();
    });
    child.stdout.resume();
    const poll = setInterval(maybeSignal, 5);
    const killer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      clearTimeout(killer);
      resolve({ code, stderr, after: server.requests.length - (sentAt ?? server.requests.length), cachedAfter: sentAt === undefined ? 0 : cached() - cachedAt, killed });
    });
  });
}

beforeAll(async () => {
  server = await startFixtureServer({
    handler: (req) => {
      if (req.path === '/api/v1/search_by_date') return { headers: { 'content-type': 'application/json' }, body: endlessPage(Number(req.query['page'] ?? '0')) };
      if (req.path === '/api/v1/items/48259900') return { headers: { 'content-type': 'application/json' }, body: story };
      return undefined;
    },
  });
  dir = mkdtempSync(join(tmpdir(), 'earshot-interrupt-paging-'));
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the first SIGINT ends a run whose search never ends', () => {
  it('over the network: exit 0 with what was read, at most one more request', async () => {
    server.fault({ fault: { kind: 'latency', ms: 50 } });
    try {
      const run = await audit(['--no-cache'], 6);
      expect(run.killed, run.stderr).toBe(false);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain('hn: partial (interrupted)');
      expect(run.after).toBeLessThanOrEqual(1);
    } finally {
      server.clearFaults();
    }
  }, 30_000);

  it('from a warm cache (no I/O while paging): exit 0 with what was read', async () => {
    const cache = join(dir, 'cache');
    server.fault({ fault: { kind: 'latency', ms: 20 } });
    let filled: Run;
    try {
      // Fill the cache with the first pages, then stop.
      filled = await audit(['--cache-dir', cache], 40);
    } finally {
      server.clearFaults();
    }
    expect(filled.code, filled.stderr).toBe(0);
    // Signalled after 20 pages read from the cache: the run stops there, before the network would be needed.
    const run = await audit(['--cache-dir', cache], 20);
    expect(run.killed, run.stderr).toBe(false);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('hn: partial (interrupted)');
    // Stopped at the next turn: not after the other 20 pages the cache holds (debug lines may trail the signal by one).
    expect(run.cachedAfter).toBeLessThanOrEqual(2);
    expect(run.after).toBe(0);
  }, 30_000);
});
