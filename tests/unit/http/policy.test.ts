import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  createRateLimiter,
  DEFAULT_RETRY,
  detectBlockPage,
  manualClock,
  parseRetryAfter,
  rateLimitResetAt,
  readPackageVersion,
  userAgent,
} from '../../../src/http/index.js';
import { SOURCES } from '../../../src/sources/index.js';
import { redditSource } from '../../../src/sources/reddit/index.js';

const NOW = Date.parse('2026-11-23T09:00:00Z');

describe('parseRetryAfter', () => {
  it('reads delta seconds and HTTP dates', () => {
    expect(parseRetryAfter('30', NOW)).toBe(30_000);
    expect(parseRetryAfter(' 1.5 ', NOW)).toBe(1500);
    expect(parseRetryAfter('Mon, 23 Nov 2026 09:02:00 GMT', NOW)).toBe(120_000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 08:00:00 GMT', NOW)).toBe(0);
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
  });
});

describe('rateLimitResetAt', () => {
  it('understands Reddit seconds, GitHub epoch seconds and Mastodon ISO dates', () => {
    expect(rateLimitResetAt({ 'x-ratelimit-remaining': '0.0', 'x-ratelimit-reset': '378' }, NOW)).toBe(NOW + 378_000);
    expect(rateLimitResetAt({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 60) }, NOW)).toBe(NOW + 60_000);
    expect(rateLimitResetAt({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2026-11-23T09:05:00.070144Z' }, NOW)).toBe(NOW + 300_070);
    expect(rateLimitResetAt({ 'ratelimit-remaining': '0', 'ratelimit-reset': String(NOW / 1000 + 5) }, NOW)).toBe(NOW + 5000);
  });
  it('is undefined while quota remains', () => {
    expect(rateLimitResetAt({ 'x-ratelimit-remaining': '598.0', 'x-ratelimit-reset': '378' }, NOW)).toBeUndefined();
    expect(rateLimitResetAt({}, NOW)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  it('grows exponentially and is capped', () => {
    const opts = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000, jitter: 0 };
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, opts))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });
  it('property: jittered delay stays within [(1-j)·d, d]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.double({ min: 0, max: 0.999, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, r, jitter) => {
        const opts = { ...DEFAULT_RETRY, baseDelayMs: 250, maxDelayMs: 20_000, jitter };
        const d = Math.min(20_000, 250 * 2 ** (attempt - 1));
        const got = backoffDelay(attempt, opts, () => r);
        return got >= Math.floor(d * (1 - jitter)) && got <= d;
      }),
    );
  });
});

describe('detectBlockPage', () => {
  const REDDIT_PAGE = '<html><body>whoa there, pardner! ... blocked due to a network policy</body></html>';
  it("recognises a service's block page only when given that service's patterns, and leaves data alone", () => {
    expect(detectBlockPage(REDDIT_PAGE, redditSource.hints?.blockPages)).toBe('Reddit network-policy block page');
    expect(detectBlockPage(REDDIT_PAGE)).toBeUndefined();
    expect(detectBlockPage('{"kind":"Listing","data":{"children":[]}}', redditSource.hints?.blockPages)).toBeUndefined();
  });
  it('knows generic challenge pages without any service patterns', () => {
    expect(detectBlockPage('<html><head><title>Just a moment...</title></head></html>')).toBe('Cloudflare challenge page');
  });
  it("checks the service's own pages before the generic ones", () => {
    const page = '<title>Just a moment...</title> you shall not pass';
    expect(detectBlockPage(page, [{ label: 'Acme forum WAF page', pattern: /you shall not pass/i }])).toBe('Acme forum WAF page');
    expect(detectBlockPage('<h1>Acme Forum says: you shall not pass</h1>')).toBeUndefined();
  });
});

describe("sources' service hints", () => {
  it('are non-global patterns (a /g regex would skip matches through lastIndex) and labelled block pages', () => {
    const withHints = Object.values(SOURCES).filter((src) => src.hints !== undefined);
    expect(withHints.map((src) => src.id).sort()).toEqual(['blogger', 'bluesky', 'discourse', 'github', 'reddit']);
    for (const { hints } of withHints) {
      const patterns = [...(hints?.authRequired ?? []), ...(hints?.quotaExceeded ?? []), ...(hints?.blockPages ?? []).map((b) => b.pattern)];
      for (const re of patterns) expect(re.global || re.sticky).toBe(false);
      for (const page of hints?.blockPages ?? []) expect(page.label.length).toBeGreaterThan(0);
    }
  });
});

describe('user agent', () => {
  it('names earshot, the version from package.json and the project URL', () => {
    expect(readPackageVersion()).toBe('0.1.0');
    expect(userAgent('9.9.9')).toBe('earshot/9.9.9 (+https://github.com/earshot-cli/earshot)');
    expect(readPackageVersion('/')).toBe('0.0.0');
  });
});

describe('rate limiter', () => {
  it('a refunded start (the request never reached the server) wakes the caller waiting for the next slot', async () => {
    let t = 1_000;
    // A clock whose sleeps never end by themselves: the waiting caller can only get through by being woken.
    const clock = {
      now: () => t,
      sleep: (_ms: number, signal?: AbortSignal) => new Promise<void>((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true })),
    };
    const limiter = createRateLimiter(clock);
    const limit = { requestsPerMinute: 10, concurrency: 2 };
    (await limiter.acquire('h', limit))();
    expect(limiter.snapshot('h').nextStart).toBeGreaterThan(t + 6000);
    const waiting = limiter.acquire('h', limit);
    await new Promise((r) => setTimeout(r, 5));
    t += 3;
    limiter.refund('h', 1_000);
    const release = await waiting;
    release();
    expect(limiter.snapshot('h').nextStart).toBe(t + 6120);
  });

  it('spaces starts by 60000/rpm plus 2% slack and honours concurrency', async () => {
    const clock = manualClock(0);
    const limiter = createRateLimiter(clock);
    const starts: number[] = [];
    let active = 0;
    let maxActive = 0;
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        const release = await limiter.acquire('h', { requestsPerMinute: 30, concurrency: 2 });
        starts.push(clock.now());
        active += 1;
        maxActive = Math.max(maxActive, active);
        await clock.sleep(10_000);
        active -= 1;
        release();
      }),
    );
    expect(starts).toEqual([0, 2040, 10_000, 12_040, 20_000, 22_040]);
    expect(maxActive).toBe(2);
  });

  it('holds a key while paused, other keys are unaffected', async () => {
    const clock = manualClock(0);
    const limiter = createRateLimiter(clock);
    limiter.pauseUntil('a', 5000);
    (await limiter.acquire('b', { requestsPerMinute: 600, concurrency: 1 }))();
    expect(clock.now()).toBe(0);
    (await limiter.acquire('a', { requestsPerMinute: 600, concurrency: 1 }))();
    expect(clock.now()).toBe(5000);
  });

  it('a waiter can be aborted', async () => {
    const clock = manualClock(0);
    const limiter = createRateLimiter(clock);
    const hold = await limiter.acquire('h', { requestsPerMinute: 0, concurrency: 1 });
    const controller = new AbortController();
    const waiting = limiter.acquire('h', { requestsPerMinute: 0, concurrency: 1 }, controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    hold();
    expect(limiter.snapshot('h')).toMatchObject({ active: 0, waiting: 0 });
  });
});
