/**
 * Request budgets kept across runs: some services allow an IP address only a few requests per window (Reddit's
 * anonymous RSS since 2026) and answer 429 for hours once it is spent. A budget counts the requests earshot sent in a
 * rolling window and refuses to send more, and remembers a 429's reset time so the next run does not ask again before
 * it. The ledger is one small JSON file in the cache folder, shared (and merged) by every run on the machine.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { BudgetSpentError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { silentLogger } from '../core/log.js';
import { readRegularFile } from './cache.js';
import { formatDuration } from './policy.js';

/** A budget a request is counted against: `limit` requests per `windowMs`, under `key` (service and host). */
export interface RequestBudget {
  /** What the budget counts, e.g. `reddit:rss@www.reddit.com` (one machine's IP address asks through one key). */
  key: string;
  limit: number;
  windowMs: number;
}

/** The budgets of every run on this machine: checked before a request, charged for each one sent. */
export interface BudgetLedger {
  /** Throws BudgetSpentError when `budget` allows no request at `nowMs` (spent, or rate-limited until later). */
  check(budget: RequestBudget, nowMs: number): Promise<void>;
  /** Count one request sent at `nowMs`. */
  spend(budget: RequestBudget, nowMs: number): Promise<void>;
  /** Take back the request counted at `sentMs`: it never reached the server (no DNS answer, connection refused). */
  refund(budget: RequestBudget, sentMs: number): Promise<void>;
  /** The service rate-limited this budget's requests until `untilMs`: no request before then, in this run or later ones. */
  limit(budget: RequestBudget, untilMs: number, nowMs: number): Promise<void>;
  /** Requests still allowed at `nowMs` (for `earshot doctor` and logs). */
  remaining(budget: RequestBudget, nowMs: number): Promise<number>;
}

/** One budget's record: when each counted request was sent (ms), and the service's own wait, if any. */
interface BudgetRecord {
  windowMs: number;
  sent: number[];
  limitedUntil?: number;
}

/** The ledger file's shape. */
interface LedgerFile {
  version: 1;
  budgets: Record<string, BudgetRecord>;
}

// The ledger holds timestamps for a few budgets; a file far larger was not written by earshot.
const MAX_LEDGER_BYTES = 1024 * 1024;
// A window longer than a week is not a request budget any service documents; it would keep the file growing.
const MAX_WINDOW_MS = 7 * 24 * 3_600_000;

/** Where the ledger is kept in a cache folder: every run using that folder (audit, fetch, doctor) shares it. */
export function ledgerFile(cacheDir: string): string {
  return join(cacheDir, 'request-budgets.json');
}

/** The ledger file's text → its budgets; anything unreadable is dropped (an empty ledger, never an error). */
export function parseLedger(text: string | undefined): Record<string, BudgetRecord> {
  const out: Record<string, BudgetRecord> = Object.create(null) as Record<string, BudgetRecord>;
  if (text === undefined || text.length > MAX_LEDGER_BYTES) return out;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return out;
  }
  if (!isObject(data) || data['version'] !== 1 || !isObject(data['budgets'])) return out;
  for (const [key, raw] of Object.entries(data['budgets'])) {
    if (!isObject(raw)) continue;
    const windowMs = raw['windowMs'];
    const sent = raw['sent'];
    if (typeof windowMs !== 'number' || !(windowMs > 0 && windowMs <= MAX_WINDOW_MS) || !Array.isArray(sent)) continue;
    const record: BudgetRecord = { windowMs, sent: sent.filter((t): t is number => typeof t === 'number' && Number.isFinite(t)) };
    const until = raw['limitedUntil'];
    if (typeof until === 'number' && Number.isFinite(until)) record.limitedUntil = until;
    out[key] = record;
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `a` and `b` merged (two runs may have charged the same budget): every send of both, the later wait. */
function mergeRecords(a: BudgetRecord | undefined, b: BudgetRecord): BudgetRecord {
  if (a === undefined) return b;
  const sent = [...new Set([...a.sent, ...b.sent])].sort((x, y) => x - y);
  const until = Math.max(a.limitedUntil ?? -Infinity, b.limitedUntil ?? -Infinity);
  return { windowMs: Math.max(a.windowMs, b.windowMs), sent, ...(Number.isFinite(until) ? { limitedUntil: until } : {}) };
}

/** The record without what no longer counts at `nowMs` (sends outside the window, a wait that is over). */
function prune(record: BudgetRecord, nowMs: number): BudgetRecord {
  const sent = record.sent.filter((t) => t > nowMs - record.windowMs && t <= nowMs + record.windowMs);
  return { windowMs: record.windowMs, sent, ...(record.limitedUntil !== undefined && record.limitedUntil > nowMs ? { limitedUntil: record.limitedUntil } : {}) };
}

/**
 * A ledger kept in `file` (created 0600 in a 0700 folder; other runs' records merged on every write), or for this run
 * only when `file` is undefined (`--no-cache`). An unreadable or unwritable file is logged and the run goes on.
 */
export function createBudgetLedger(file: string | undefined, logger: Logger = silentLogger): BudgetLedger {
  let state: Promise<Record<string, BudgetRecord>> | undefined;
  const load = (): Promise<Record<string, BudgetRecord>> => {
    state ??= file === undefined ? Promise.resolve(Object.create(null) as Record<string, BudgetRecord>) : readRegularFile(file).then(parseLedger);
    return state;
  };
  // Changes are applied one after another, so two requests of one run never write over each other's count.
  let queue: Promise<void> = Promise.resolve();
  const change = (budget: RequestBudget, nowMs: number, edit: (r: BudgetRecord) => BudgetRecord): Promise<void> => {
    const next = queue.then(async () => {
      const budgets = await load();
      budgets[budget.key] = edit(prune(budgets[budget.key] ?? { windowMs: budget.windowMs, sent: [] }, nowMs));
      if (file !== undefined) await persist(file, budgets, nowMs, logger);
    });
    queue = next.catch(() => undefined);
    return next;
  };
  const current = async (budget: RequestBudget, nowMs: number): Promise<BudgetRecord> => {
    await queue;
    const record = (await load())[budget.key];
    return prune(record ?? { windowMs: budget.windowMs, sent: [] }, nowMs);
  };
  return {
    async check(budget, nowMs) {
      const record = await current(budget, nowMs);
      if (record.limitedUntil !== undefined) {
        throw new BudgetSpentError(
          `it rate-limited earshot until ${new Date(record.limitedUntil).toISOString()} (${formatDuration(record.limitedUntil - nowMs)} from now), so earshot did not ask again`,
          { resetAt: new Date(record.limitedUntil), reason: 'limited' },
        );
      }
      const window = record.sent.filter((t) => t > nowMs - budget.windowMs);
      if (window.length >= budget.limit) {
        const resetMs = window[window.length - budget.limit]! + budget.windowMs;
        throw new BudgetSpentError(
          `earshot's budget of ${budget.limit} requests per ${formatDuration(budget.windowMs)} to it is spent (shared by every run on this machine); ` +
            `the next request is allowed at ${new Date(resetMs).toISOString()}`,
          { resetAt: new Date(resetMs), reason: 'spent' },
        );
      }
    },
    spend: (budget, nowMs) => change(budget, nowMs, (r) => ({ ...r, windowMs: budget.windowMs, sent: [...r.sent, nowMs] })),
    refund: (budget, sentMs) =>
      change(budget, sentMs, (r) => {
        const i = r.sent.lastIndexOf(sentMs);
        return i < 0 ? r : { ...r, sent: [...r.sent.slice(0, i), ...r.sent.slice(i + 1)] };
      }),
    limit: (budget, untilMs, nowMs) =>
      change(budget, nowMs, (r) => ({ ...r, limitedUntil: Math.min(Math.max(untilMs, r.limitedUntil ?? untilMs), nowMs + MAX_WINDOW_MS) })),
    async remaining(budget, nowMs) {
      const record = await current(budget, nowMs);
      if (record.limitedUntil !== undefined) return 0;
      return Math.max(0, budget.limit - record.sent.filter((t) => t > nowMs - budget.windowMs).length);
    },
  };
}

/** Write the ledger atomically, merged with what other runs wrote since it was read, keeping only what still counts. */
async function persist(file: string, budgets: Record<string, BudgetRecord>, nowMs: number, logger: Logger): Promise<void> {
  const onDisk = parseLedger(await readRegularFile(file));
  const out: Record<string, BudgetRecord> = {};
  for (const key of [...new Set([...Object.keys(onDisk), ...Object.keys(budgets)])].sort()) {
    const merged = prune(budgets[key] === undefined ? onDisk[key]! : mergeRecords(onDisk[key], budgets[key]), nowMs);
    budgets[key] = merged;
    if (merged.sent.length > 0 || merged.limitedUntil !== undefined) out[key] = merged;
  }
  const body: LedgerFile = { version: 1, budgets: out };
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(tmp, `${JSON.stringify(body)}\n`, { encoding: 'utf8', mode: 0o600 });
    await rename(tmp, file);
  } catch (err) {
    logger.debug(`Could not write the request budgets to ${file}: ${(err as Error).message}`);
    await rm(tmp, { force: true }).catch(() => undefined);
  }
}
