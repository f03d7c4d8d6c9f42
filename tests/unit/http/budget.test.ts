import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BudgetSpentError } from '../../../src/core/errors.js';
import { createBudgetLedger, parseLedger } from '../../../src/http/budget.js';

const B = { key: 'reddit:rss@www.reddit.com', limit: 3, windowMs: 3_600_000 };
const T0 = Date.parse('2026-12-06T00:00:00Z');
const dirs: string[] = [];
const tempFile = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'earshot-budget-'));
  dirs.push(d);
  return join(d, 'cache', 'request-budgets.json');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function refusal(p: Promise<unknown>): Promise<BudgetSpentError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(BudgetSpentError);
  return err as BudgetSpentError;
}

describe('request budgets', () => {
  it('allows `limit` requests per rolling window, then refuses with the time of the next one', async () => {
    const ledger = createBudgetLedger(undefined);
    for (let i = 0; i < 3; i += 1) {
      await ledger.check(B, T0 + i * 60_000);
      await ledger.spend(B, T0 + i * 60_000);
    }
    const e = await refusal(ledger.check(B, T0 + 10 * 60_000));
    expect(e.reason).toBe('spent');
    expect(e.retryable).toBe(false);
    expect(e.code).toBe('rate-limited');
    // The oldest of the three leaves the window an hour after it was sent.
    expect(e.resetAt?.toISOString()).toBe('2026-12-06T01:00:00.000Z');
    expect(e.message).toContain('3 requests per 60 min');
    expect(await ledger.remaining(B, T0 + 10 * 60_000)).toBe(0);
    // One hour after the first request, one more is allowed again.
    await ledger.check(B, T0 + 3_600_001);
    expect(await ledger.remaining(B, T0 + 3_600_001)).toBe(1);
  });

  it("remembers a service's rate limit until its reset, in this run and the next", async () => {
    const file = tempFile();
    const first = createBudgetLedger(file);
    await first.limit(B, T0 + 30 * 60_000, T0);
    const e = await refusal(first.check(B, T0 + 60_000));
    expect(e.reason).toBe('limited');
    expect(e.message).toContain('until 2026-12-06T00:30:00.000Z');
    const next = createBudgetLedger(file);
    await refusal(next.check(B, T0 + 29 * 60_000));
    await next.check(B, T0 + 31 * 60_000);
  });

  it('persists across runs in a 0600 file in a 0700 folder, merging what concurrent runs spent', async () => {
    const file = tempFile();
    const a = createBudgetLedger(file);
    const b = createBudgetLedger(file);
    // Both runs read the (empty) ledger first, then spend: neither may overwrite the other's count.
    await a.check(B, T0);
    await b.check(B, T0);
    await a.spend(B, T0 + 1);
    await b.spend(B, T0 + 2);
    await a.spend(B, T0 + 3);
    const later = createBudgetLedger(file);
    expect(await later.remaining(B, T0 + 10)).toBe(0);
    await refusal(later.check(B, T0 + 10));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(file, '..')).mode & 0o777).toBe(0o700);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { version: number; budgets: Record<string, { sent: number[] }> };
    expect(saved.version).toBe(1);
    expect(saved.budgets[B.key]!.sent).toEqual([T0 + 1, T0 + 2, T0 + 3]);
  });

  it('forgets what left the window, and drops budgets with nothing left in them from the file', async () => {
    const file = tempFile();
    const ledger = createBudgetLedger(file);
    await ledger.spend({ ...B, key: 'old' }, T0);
    await ledger.spend(B, T0 + 2 * 3_600_000);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { budgets: Record<string, unknown> };
    expect(Object.keys(saved.budgets)).toEqual([B.key]);
  });

  it('reads a corrupt, foreign or oversized ledger as empty instead of failing the run', async () => {
    expect(parseLedger(undefined)).toEqual({});
    expect(parseLedger('{not json')).toEqual({});
    expect(parseLedger('{"version":2,"budgets":{}}')).toEqual({});
    expect(parseLedger(JSON.stringify({ version: 1, budgets: { k: { windowMs: -1, sent: [1] }, j: { windowMs: 1000, sent: [1, 'x', null, 2] }, __proto__: { windowMs: 1, sent: [] } } }))).toEqual({
      j: { windowMs: 1000, sent: [1, 2] },
    });
    expect(parseLedger(`{"version":1,"budgets":{},"pad":"${'x'.repeat(1024 * 1024)}"}`)).toEqual({});
    const file = tempFile();
    const ledger = createBudgetLedger(file);
    await ledger.spend(B, T0);
    writeFileSync(file, 'garbage');
    const next = createBudgetLedger(file);
    expect(await next.remaining(B, T0)).toBe(3);
    await next.spend(B, T0 + 1);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ version: 1, budgets: { [B.key]: { windowMs: B.windowMs, sent: [T0 + 1] } } });
  });
});

describe('request budgets through the client', () => {
  it('a request that never reached the server (connection refused) costs the budget nothing', async () => {
    const { createHttpClient } = await import('../../../src/http/client.js');
    const { createServer } = await import('node:net');
    // A port nothing listens on: bind one, note it, close it.
    const port = await new Promise<number>((resolve) => {
      const srv = createServer();
      srv.listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const ledger = createBudgetLedger(undefined);
    const http = createHttpClient({ budgets: ledger, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, jitter: 0 }, defaultRateLimit: { requestsPerMinute: 60_000, concurrency: 2 } });
    try {
      const err = await http.get(`http://127.0.0.1:${port}/feed`, { budget: B }).then(() => undefined, (e: unknown) => e);
      expect((err as { code?: string }).code).toBe('network');
    } finally {
      await http.close();
    }
    expect(await ledger.remaining(B, Date.now())).toBe(3);
  });
});
