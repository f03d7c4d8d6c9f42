import { describe, expect, it } from 'vitest';
import { dedupe, fetchWithinBudget, gather, keepMatchingThreads, sortForAnalysis } from '../../src/audit/gather.js';
import { SourceError, SourceSkippedError, TimeoutError } from '../../src/core/errors.js';
import { memoryLogger, silentLogger } from '../../src/core/log.js';
import { nothingFetched } from '../../src/audit/run.js';
import type { Source, SourceContext, SourceQuery } from '../../src/sources/types.js';
import { mention } from '../helpers/make-mention.js';

const query: SourceQuery = { query: 'acme', brand: 'Acme', brandHandles: [], limit: 100, options: {}, since: new Date('2026-11-01T00:00:00Z') };
const deps = { http: { get: async () => { throw new Error('unused'); }, post: async () => { throw new Error('unused'); }, close: async () => {} }, log: silentLogger, signal: new AbortController().signal, env: {}, now: new Date('2026-11-23T09:00:00Z') };

function fakeSource(id: string, run: (ctx: SourceContext) => AsyncGenerator<{ mentions: ReturnType<typeof mention>[]; warnings: string[]; unread?: number }>): Source {
  return { id, title: id, needs: '', tokenEnv: [], defaultBaseUrl: 'http://x', rateLimit: { requestsPerMinute: 60, concurrency: 1 }, brandReplySignal: '', scope: 'search', options: {}, parsers: {}, scenario: { options: () => ({}) }, fetch: run };
}

describe('gather', () => {
  it("lists a source's coverage warnings in the same order whatever order its pages answered in (issue #14 item 4)", async () => {
    const run = async (order: string[]) => {
      const s = fakeSource('a', async function* () {
        for (const w of order) yield { mentions: [], warnings: [w] };
      });
      return (await gather([{ source: s, baseUrl: 'http://x', query }], deps)).coverage[0]!.warnings;
    };
    expect(await run(['page 2 unreadable', 'page 1 unreadable'])).toEqual(await run(['page 1 unreadable', 'page 2 unreadable']));
  });

  it('a source that knew of items it could not read is partial, with the count in its coverage (issue 15 item 2)', async () => {
    const s = fakeSource('reddit', async function* () {
      yield { mentions: [mention('1', '2026-11-10T00:00:00Z', 'one', { source: 'reddit', id: 'reddit:1' })], warnings: ['2 replies not read'], unread: 2 };
      yield { mentions: [], warnings: [], unread: 3 };
    });
    const whole = fakeSource('hn', async function* () {
      yield { mentions: [mention('2', '2026-11-10T00:00:00Z', 'two', { source: 'hn', id: 'hn:2' })], warnings: [] };
    });
    const r = await gather([s, whole].map((source) => ({ source, baseUrl: 'http://x', query })), deps);
    expect(r.coverage.map((c) => [c.source, c.status, c.mentions, c.unread])).toEqual([
      ['reddit', 'partial', 1, 5],
      ['hn', 'ok', 1, undefined],
    ]);
  });

  it('a source that runs out of its budget stops there, keeps what it fetched and is reported as timeout (issue 19 item 8)', async () => {
    let sawAbort = false;
    // The first page arrives, then the source waits on something that ignores every signal.
    const stuck = fakeSource('a', async function* (ctx) {
      ctx.signal.addEventListener('abort', () => (sawAbort = true));
      yield { mentions: [mention('1', '2026-11-10T00:00:00Z', 'one', { source: 'a', id: 'a:1' })], warnings: [] };
      await new Promise(() => undefined);
    });
    const never = fakeSource('b', async function* () {
      await new Promise(() => undefined);
    });
    const quick = fakeSource('c', async function* () {
      yield { mentions: [mention('3', '2026-11-10T00:00:00Z', 'three', { source: 'c', id: 'c:3' })], warnings: [] };
    });
    const log = memoryLogger();
    const r = await gather([stuck, never, quick].map((source) => ({ source, baseUrl: 'http://x', query })), { ...deps, log, sourceBudgetMs: 150 });
    const message = 'did not finish within the 150 ms one source may take, so it stopped with what it had fetched; raise the source budget (--source-budget, sourceBudget in earshot.yml) to let it run longer.';
    expect(r.coverage).toEqual([
      { source: 'a', status: 'partial', mentions: 1, warnings: [], error: { code: 'timeout', message } },
      { source: 'b', status: 'failed', mentions: 0, warnings: [], error: { code: 'timeout', message } },
      { source: 'c', status: 'ok', mentions: 1, warnings: [] },
    ]);
    expect(r.mentions.map((m) => m.id)).toEqual(['a:1', 'c:3']);
    // The source was told to stop through its signal.
    expect(sawAbort).toBe(true);
    expect(log.lines.map((l) => l.message)).toContain(`a: ${message} (kept 1 mentions fetched before the failure)`);
  });

  it('a budget longer than setTimeout can hold (4 weeks) does not run out at once', async () => {
    const s = fakeSource('a', async function* () {
      await new Promise((r) => setTimeout(r, 20));
      yield { mentions: [mention('1', '2026-11-10T00:00:00Z', 'one', { source: 'a', id: 'a:1' })], warnings: [] };
    });
    const r = await gather([{ source: s, baseUrl: 'http://x', query }], { ...deps, sourceBudgetMs: 28 * 24 * 3600 * 1000 });
    expect(r.coverage[0]).toEqual({ source: 'a', status: 'ok', mentions: 1, warnings: [] });
  });

  it('an interrupt is still an interrupt, not a spent budget', async () => {
    const abort = new AbortController();
    const s = fakeSource('a', async function* (ctx) {
      yield { mentions: [mention('1', '2026-11-10T00:00:00Z', 'one', { source: 'a', id: 'a:1' })], warnings: [] };
      abort.abort();
      if (ctx.signal.aborted) throw new SourceError('interrupted', 'The request to x was cancelled.');
    });
    const r = await gather([{ source: s, baseUrl: 'http://x', query }], { ...deps, signal: abort.signal, sourceBudgetMs: 60_000 });
    expect(r.coverage[0]).toMatchObject({ status: 'partial', mentions: 1, error: { code: 'interrupted' } });
  });

  it('`earshot fetch` gets the batches in time, then a TimeoutError for the spent budget', async () => {
    const s = fakeSource('a', async function* () {
      yield { mentions: [mention('1', '2026-11-10T00:00:00Z', 'one', { source: 'a', id: 'a:1' })], warnings: [] };
      await new Promise(() => undefined);
    });
    const got: string[] = [];
    const run = async (): Promise<void> => {
      for await (const b of fetchWithinBudget(s, { ...deps, baseUrl: 'http://x', query }, 100)) got.push(...b.mentions.map((m) => m.id));
    };
    const err = await run().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as TimeoutError).message).toMatch(/^did not finish within the 100 ms one source may take/);
    expect(got).toEqual(['a:1']);
  });

  it('keeps other sources and partial results when one source fails', async () => {
    const ok = fakeSource('a', async function* () {
      yield { mentions: [mention('1', '2026-11-10T00:00:00Z', 'one', { source: 'a', id: 'a:1' })], warnings: [] };
    });
    const broken = fakeSource('b', async function* () {
      yield { mentions: [mention('2', '2026-11-10T00:00:00Z', 'two', { source: 'b', id: 'b:2' })], warnings: ['field x unreadable'] };
      throw new SourceError('rate-limited', 'b.example answered 429 five times; try later.');
    });
    const dead = fakeSource('c', async function* () {
      throw new SourceError('blocked', 'c.example blocked the request.');
    });
    const r = await gather([ok, broken, dead].map((source) => ({ source, baseUrl: 'http://x', query })), deps);
    expect(r.mentions.map((m) => m.id)).toEqual(['a:1', 'b:2']);
    expect(r.coverage.map((c) => [c.source, c.status, c.mentions, c.error?.code])).toEqual([
      ['a', 'ok', 1, undefined],
      ['b', 'partial', 1, 'rate-limited'],
      ['c', 'failed', 0, 'blocked'],
    ]);
    expect(r.coverage[1]!.warnings).toEqual(['field x unreadable']);
  });

  it('a source with nothing configured is skipped with its reason, never "ok, 0"; messages name the source once', async () => {
    const unconfigured = fakeSource('rss', async function* () {
      yield { mentions: [], warnings: ['rss: option feeds[0] is not an absolute http(s) URL; skipped'] };
      throw new SourceSkippedError('rss: no feeds to read; give feed URLs in options.feeds.');
    });
    const offline = fakeSource('hn', async function* () {
      throw new SourceError('network', 'hn: the host name hn.algolia.com could not be resolved (ENOTFOUND); check your connection and the host name.');
    });
    const log = memoryLogger();
    const r = await gather([unconfigured, offline].map((source) => ({ source, baseUrl: 'http://x', query })), { ...deps, log });
    expect(r.coverage).toEqual([
      { source: 'rss', status: 'skipped', mentions: 0, warnings: ['option feeds[0] is not an absolute http(s) URL; skipped'], error: { code: 'not-configured', message: 'no feeds to read; give feed URLs in options.feeds.' } },
      { source: 'hn', status: 'failed', mentions: 0, warnings: [], error: { code: 'network', message: 'the host name hn.algolia.com could not be resolved (ENOTFOUND); check your connection and the host name.' } },
    ]);
    // Each failure is told once, with the source named once.
    expect(log.lines.filter((l) => l.level === 'warn').map((l) => l.message).sort()).toEqual([
      'hn: the host name hn.algolia.com could not be resolved (ENOTFOUND); check your connection and the host name.',
      'rss: option feeds[0] is not an absolute http(s) URL; skipped',
      'rss: skipped: no feeds to read; give feed URLs in options.feeds.',
    ]);
    // Nothing fetched because every source failed or was skipped: exit 3 in the CLI.
    expect(nothingFetched(r.coverage, r.mentions.length)).toBe(true);
    expect(nothingFetched([...r.coverage, { source: 'reddit', status: 'ok', mentions: 0, warnings: [] }], 0)).toBe(false);
  });

  it('drops mentions before --since but keeps brand replies after --until', async () => {
    const s = fakeSource('a', async function* () {
      yield {
        mentions: [
          mention('old', '2026-10-01T00:00:00Z', 'old', { source: 'a', id: 'a:old' }),
          mention('in', '2026-11-10T00:00:00Z', 'in', { source: 'a', id: 'a:in' }),
          mention('late', '2026-11-30T00:00:00Z', 'late', { source: 'a', id: 'a:late' }),
          mention('reply', '2026-11-30T00:00:00Z', 'reply', { source: 'a', id: 'a:reply', fromBrand: true, parentId: 'a:in' }),
        ],
        warnings: [],
      };
    });
    const r = await gather([{ source: s, baseUrl: 'http://x', query: { ...query, until: new Date('2026-11-22T00:00:00Z') } }], deps);
    expect(r.mentions.map((m) => m.id)).toEqual(['a:in', 'a:reply']);
  });
});

describe('dedupe', () => {
  it('drops same id, same URL from another source, and crossposted thread starters by one author', () => {
    const text = 'Acme Cloud lost my database backups again, avoid!';
    const { kept, duplicates } = dedupe([
      mention('1', '2026-11-10T00:00:00Z', text, { id: 'reddit:1', source: 'reddit', url: 'https://x/1' }),
      mention('1', '2026-11-10T00:00:00Z', text, { id: 'reddit:1', source: 'reddit' }),
      mention('2', '2026-11-10T00:00:00Z', 'news', { id: 'rss:2', source: 'rss', url: 'https://news/a' }),
      mention('3', '2026-11-10T00:00:00Z', 'news copy', { id: 'hn:3', source: 'hn', url: 'https://news/a/' }),
      mention('4', '2026-11-10T00:00:00Z', text, { id: 'reddit:4', source: 'reddit' }),
      mention('5', '2026-11-10T00:00:00Z', 'Please DM us your account email.', { id: 'reddit:5', source: 'reddit', parentId: 'reddit:1', author: { handle: 'acme' } }),
      mention('6', '2026-11-10T00:00:00Z', 'Please DM us your account email.', { id: 'reddit:6', source: 'reddit', parentId: 'reddit:4', author: { handle: 'acme' } }),
    ]);
    expect(kept.map((m) => m.id)).toEqual(['reddit:1', 'rss:2', 'reddit:5', 'reddit:6']);
    expect(duplicates).toBe(3);
  });

  it('orders mentions so each thread is contiguous and reruns give the same order', () => {
    const a = [
      mention('c', '2026-11-10T02:00:00Z', 'c', { id: 's:c', threadId: 's:r1', parentId: 's:r1' }),
      mention('r2', '2026-11-10T01:00:00Z', 'r2', { id: 's:r2' }),
      mention('r1', '2026-11-10T00:00:00Z', 'r1', { id: 's:r1' }),
    ];
    expect(sortForAnalysis([...a]).map((m) => m.id)).toEqual(['s:r1', 's:c', 's:r2']);
    expect(sortForAnalysis([...a].reverse()).map((m) => m.id)).toEqual(['s:r1', 's:c', 's:r2']);
  });
});

describe('keepMatchingThreads', () => {
  const thread = [
    mention('r1', '2026-11-10T00:00:00Z', 'Acme Cloud is down again', { id: 's:r1' }),
    mention('c1', '2026-11-10T00:10:00Z', 'same here', { id: 's:c1', parentId: 's:r1' }),
    mention('r2', '2026-11-10T00:00:00Z', 'unrelated chatter', { id: 's:r2' }),
    mention('c2', '2026-11-10T00:10:00Z', 'did you try acme cloud support?', { id: 's:c2', parentId: 's:r2' }),
    mention('r3', '2026-11-10T00:00:00Z', 'The Acme anvil cartoon, classic', { id: 's:r3' }),
    mention('c3', '2026-11-10T00:10:00Z', 'acme cloud should sell anvils', { id: 's:c3', parentId: 's:r3' }),
    mention('b', '2026-11-10T00:00:00Z', 'Black Friday: 50% off', { id: 's:b', fromBrand: true }),
  ];
  const has = (word: string) => (m: { text: string }) => m.text.toLowerCase().includes(word);

  it('keeps a thread when any member matches, always keeps brand broadcasts, and drops threads whose first post is excluded', () => {
    const kept = keepMatchingThreads(thread, has('acme cloud'), has('anvil'));
    expect(kept.map((m) => m.id)).toEqual(['s:r1', 's:c1', 's:r2', 's:c2', 's:b']);
  });

  it('applies only the exclusions for sources that are about the brand by construction', () => {
    expect(keepMatchingThreads(thread, undefined, has('anvil')).map((m) => m.id)).toEqual(['s:r1', 's:c1', 's:r2', 's:c2', 's:b']);
    expect(keepMatchingThreads(thread, undefined, has('nothing')).length).toBe(thread.length);
  });

  it('finds the root of every reply in a 100,000-deep chain without threadId (walking each one to the root anew was quadratic)', () => {
    const depth = 100_000;
    const chain = Array.from({ length: depth }, (_, i) =>
      mention(`d${i}`, '2026-11-10T00:00:00Z', i === depth - 1 ? 'acme cloud at the bottom' : 'reply', { id: `s:d${i}`, ...(i > 0 ? { parentId: `s:d${i - 1}` } : {}) }),
    );
    const other = mention('x', '2026-11-10T00:00:00Z', 'unrelated', { id: 's:x' });
    const kept = keepMatchingThreads([...chain, other], has('acme cloud'));
    expect(kept).toHaveLength(depth);
    expect(kept.includes(other)).toBe(false);
  });
});
