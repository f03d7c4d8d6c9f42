import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthRequiredError,
  BadResponseError,
  BlockedError,
  createSourceError,
  EarshotError,
  NetworkError,
  NotFoundError,
  RateLimitedError,
  SourceError,
  TimeoutError,
  withContext,
} from '../../../src/core/errors.js';
import type { ErrorCode } from '../../../src/core/errors.js';
import { createHttpClient, manualClock } from '../../../src/http/index.js';
import type { EarshotHttpClient } from '../../../src/http/index.js';
import { startFixtureServer } from '../../../scripts/lib/fixture-server.js';
import type { FixtureServer } from '../../../scripts/lib/fixture-server.js';

const CLASSES: [ErrorCode, new (message: string, options?: { cause?: unknown; status?: number; retryable?: boolean }) => SourceError, string][] = [
  ['rate-limited', RateLimitedError, 'RateLimitedError'],
  ['auth-required', AuthRequiredError, 'AuthRequiredError'],
  ['blocked', BlockedError, 'BlockedError'],
  ['not-found', NotFoundError, 'NotFoundError'],
  ['network', NetworkError, 'NetworkError'],
  ['timeout', TimeoutError, 'TimeoutError'],
  ['bad-response', BadResponseError, 'BadResponseError'],
];

describe('error classes', () => {
  it.each(CLASSES)('%s: code, class chain, cause, status and retryable', (code, Class, name) => {
    const cause = new Error('socket hang up');
    const err = new Class('example.com failed', { cause, status: 503, retryable: true });
    expect(err.code).toBe(code);
    expect(err.name).toBe(name);
    expect(err).toBeInstanceOf(Class);
    expect(err).toBeInstanceOf(SourceError);
    expect(err).toBeInstanceOf(EarshotError);
    expect(err.cause).toBe(cause);
    expect(err.status).toBe(503);
    expect(err.retryable).toBe(true);
    expect(new Class('x').retryable).toBe(false);
  });

  it('createSourceError picks the class for a code, and a plain SourceError for codes without one', () => {
    for (const [code, Class] of CLASSES) expect(createSourceError(code, 'x')).toBeInstanceOf(Class);
    const other = createSourceError('unavailable', 'down', { status: 503 });
    expect(other.constructor).toBe(SourceError);
    expect(other).toMatchObject({ code: 'unavailable', status: 503 });
    const limited = createSourceError('rate-limited', 'slow down', { resetAt: new Date(5000) });
    expect((limited as RateLimitedError).resetAt?.getTime()).toBe(5000);
  });
});

describe('withContext', () => {
  it('prefixes the message and keeps class, code, cause, status, retryable, sourceId and resetAt', () => {
    const cause = new Error('ECONNRESET');
    const original = new RateLimitedError('api.example.com is rate-limiting requests', {
      cause,
      status: 429,
      retryable: true,
      sourceId: 'reddit',
      resetAt: new Date(60_000),
    });
    const wrapped = withContext(original, 'reddit');
    expect(wrapped).not.toBe(original);
    expect(wrapped).toBeInstanceOf(RateLimitedError);
    expect(wrapped.message).toBe('reddit: api.example.com is rate-limiting requests');
    expect(wrapped.stack?.split('\n')[0]).toBe('RateLimitedError: reddit: api.example.com is rate-limiting requests');
    expect(wrapped).toMatchObject({ code: 'rate-limited', name: 'RateLimitedError', status: 429, retryable: true, sourceId: 'reddit' });
    expect(wrapped.cause).toBe(cause);
    expect(wrapped.resetAt?.getTime()).toBe(60_000);
    // The original is untouched.
    expect(original.message).toBe('api.example.com is rate-limiting requests');
  });

  it('does not repeat a prefix the message already has, and works on any error', () => {
    const err = new NotFoundError('reddit: no such subreddit');
    expect(withContext(err, 'reddit')).toBe(err);
    const plain = withContext(new EarshotError('output', 'disk full'), 'rss');
    expect(plain).toBeInstanceOf(EarshotError);
    expect(plain.message).toBe('rss: disk full');
    expect(plain.code).toBe('output');
  });
});

describe('errors from the client', () => {
  let server: FixtureServer;
  let clients: EarshotHttpClient[] = [];
  const client = (): EarshotHttpClient => {
    const c = createHttpClient({
      clock: manualClock(Date.parse('2026-11-23T09:00:00Z')),
      retry: { maxAttempts: 1 },
      defaultRateLimit: { requestsPerMinute: 60_000, concurrency: 4 },
    });
    clients.push(c);
    return c;
  };
  const failure = async (p: Promise<unknown>): Promise<SourceError> => {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SourceError);
    return err as SourceError;
  };

  beforeEach(async () => {
    server = await startFixtureServer({
      exact: {
        '/limited': { status: 429, body: 'slow down', headers: { 'retry-after': '120' } },
        '/private': { status: 401, body: '{}' },
        '/forbidden': { status: 403, body: 'no' },
        '/missing': { status: 404, body: 'no' },
        '/teapot': { status: 418, body: 'no' },
        '/slow': { status: 408, body: 'slow' },
        '/garbled-wait': { status: 429, body: '', headers: { 'retry-after': '99999999999999999' } },
        '/token-in-body': { status: 422, body: '{"message":"Validation Failed","echo":"s3cr3t-token-value"}' },
      },
    });
    clients = [];
  });
  afterEach(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await server.close();
  });

  it.each([
    ['/limited', RateLimitedError, 429, true],
    ['/private', AuthRequiredError, 401, false],
    ['/forbidden', BlockedError, 403, false],
    ['/missing', NotFoundError, 404, false],
    ['/teapot', BadResponseError, 418, false],
    ['/slow', TimeoutError, 408, true],
  ] as const)('%s → %o with status and retryable, the attempt kept as cause', async (path, Class, status, retryable) => {
    const err = await failure(client().get(`${server.url}${path}`, { sourceId: 'hn' }));
    expect(err).toBeInstanceOf(Class);
    expect(err).toMatchObject({ status, retryable, sourceId: 'hn' });
    expect(err.cause).toBeInstanceOf(Class);
  });

  it('a rate limit with Retry-After carries when it resets', async () => {
    const err = await failure(client().get(`${server.url}/limited`));
    expect((err as RateLimitedError).resetAt?.toISOString()).toBe('2026-11-23T09:02:00.000Z');
  });

  it('a wait past the range of dates gives no reset time, never an Invalid Date', async () => {
    const err = await failure(client().get(`${server.url}/garbled-wait`));
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).resetAt).toBeUndefined();
  });

  it("keeps the start of the error answer on the error, for the source to read, with the request's secrets redacted", async () => {
    const err = await failure(client().get(`${server.url}/token-in-body`, { headers: { authorization: 'Bearer s3cr3t-token-value' } }));
    expect(err).toMatchObject({ code: 'bad-response', status: 422 });
    expect(err.body).toContain('Validation Failed');
    expect(err.body).not.toContain('s3cr3t-token-value');
    expect((await failure(client().get(`${server.url}/missing`))).body).toBe('no');
  });

  it('a refused connection is a NetworkError', async () => {
    const url = server.url;
    await server.close();
    const err = await failure(client().get(`${url}/missing`));
    expect(err).toBeInstanceOf(NetworkError);
    // Nothing listening now will not be listening a second later either: not retried (an offline run must end fast).
    expect(err.retryable).toBe(false);
    server = await startFixtureServer({ exact: {} });
  });
});
