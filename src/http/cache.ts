/** On-disk HTTP cache: fresh entries are served without a request, stale ones revalidated with ETag / Last-Modified. */
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../core/log.js';
import { silentLogger } from '../core/log.js';
import { redactUrl } from './redact.js';

/** How the cache is used: normal, `--refresh` (never serve without asking, still store) or `--no-cache`. */
export type CacheMode = 'normal' | 'refresh' | 'off';

/** Cache settings. */
export interface CacheOptions {
  /** Directory (default: defaultCacheDir()). */
  dir: string;
  mode?: CacheMode;
  /** How long an entry is served without any request (default 1 hour). */
  ttlMs?: number;
}

/** One stored response. */
export interface CacheEntry {
  version: 1;
  /** Redacted URL, for humans browsing the cache. */
  url: string;
  status: number;
  headers: Record<string, string>;
  body: string;
  /** When the body was fetched or last revalidated (ISO). */
  fetchedAt: string;
}

/** Default TTL: one hour, long enough that rerunning an audit makes no request. */
const DEFAULT_CACHE_TTL_MS = 60 * 60 * 1000;

// Response headers worth keeping: validators, type, pagination (links, WordPress's page count), rate-limit state.
// Sources page by these, so a cache hit must carry them as the answer did, or a warm run pages differently.
const KEPT_HEADERS = /^(etag|last-modified|content-type|link|date|x-wp-total|x-wp-totalpages|x-ratelimit-[a-z-]+|ratelimit-[a-z-]+)$/i;

/** `$XDG_CACHE_HOME/earshot` when XDG_CACHE_HOME is an absolute path, else `<home>/.cache/earshot`. */
export function defaultCacheDir(env: Readonly<Record<string, string | undefined>>, homedir: string): string {
  const xdg = env['XDG_CACHE_HOME'];
  // The XDG spec says relative paths are invalid and must be ignored.
  if (xdg && xdg.startsWith('/')) return join(xdg, 'earshot');
  return join(homedir, '.cache', 'earshot');
}

/** Cache key: sha256 over the method, URL and the request headers that change the answer (credentials by presence only). */
export function cacheKey(url: string, headers: Readonly<Record<string, string>> = {}): string {
  const h = createHash('sha256');
  h.update(`GET ${url}\n`);
  for (const name of Object.keys(headers).map((n) => n.toLowerCase()).sort()) {
    if (name === 'user-agent' || name === 'if-none-match' || name === 'if-modified-since') continue;
    let value = Object.entries(headers).find(([n]) => n.toLowerCase() === name)?.[1] ?? '';
    // Whether a request is authenticated changes the answer (Mastodon search without a token finds no posts),
    // but the token itself rotates every login: key on its presence so reruns still hit the cache.
    if (name === 'authorization' || name === 'cookie') value = 'present';
    h.update(`${name}: ${value}\n`);
  }
  return h.digest('hex');
}

/** Only the headers the cache keeps. */
function keptHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (KEPT_HEADERS.test(name)) out[name.toLowerCase()] = value;
  return out;
}

/**
 * A cache entry's text, or undefined when it is missing, unreadable or not a regular file. Opened without blocking
 * and checked before reading: a FIFO (or a link to a device) planted in the cache folder would otherwise hang
 * the run for good, through SIGTERM, on a read that never ends.
 */
export async function readRegularFile(path: string): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    if (!(await handle.stat()).isFile()) return undefined;
    return await handle.readFile('utf8');
  } catch {
    return undefined;
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** Disk cache operations used by the client. */
export interface DiskCache {
  readonly mode: CacheMode;
  readonly ttlMs: number;
  /** The stored entry for a key, or undefined (missing, corrupt or unreadable: never throws). */
  read(key: string): Promise<CacheEntry | undefined>;
  /** Store an entry atomically (temp file + rename); failures are logged, not thrown. */
  write(key: string, entry: Omit<CacheEntry, 'version'>): Promise<void>;
  /** True when an entry may be served without a request at `nowMs`. */
  isFresh(entry: CacheEntry, nowMs: number): boolean;
}

/** Open a cache rooted at options.dir (created lazily on first write). */
export function createDiskCache(options: CacheOptions, logger: Logger = silentLogger): DiskCache {
  const mode = options.mode ?? 'normal';
  const ttlMs = options.ttlMs ?? DEFAULT_CACHE_TTL_MS;
  const root = join(options.dir, 'http');
  const pathOf = (key: string): string => join(root, key.slice(0, 2), `${key}.json`);
  return {
    mode,
    ttlMs,
    async read(key) {
      if (mode === 'off') return undefined;
      const text = await readRegularFile(pathOf(key));
      if (text === undefined) return undefined;
      try {
        const parsed = JSON.parse(text) as Partial<CacheEntry>;
        if (
          parsed.version !== 1 ||
          typeof parsed.status !== 'number' ||
          typeof parsed.body !== 'string' ||
          typeof parsed.fetchedAt !== 'string' ||
          Number.isNaN(Date.parse(parsed.fetchedAt)) ||
          typeof parsed.headers !== 'object' ||
          parsed.headers === null
        ) {
          throw new Error('unexpected shape');
        }
        return parsed as CacheEntry;
      } catch (err) {
        logger.debug(`Ignoring corrupt cache entry ${pathOf(key)}: ${(err as Error).message}`);
        await rm(pathOf(key), { force: true }).catch(() => undefined);
        return undefined;
      }
    },
    async write(key, entry) {
      if (mode === 'off') return;
      const file = pathOf(key);
      const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
      const record: CacheEntry = { version: 1, ...entry, url: redactUrl(entry.url), headers: keptHeaders(entry.headers) };
      try {
        // Cached answers may be authenticated ones: the folders (the cache root too, when created here) and files
        // are the owner's only.
        await mkdir(join(root, key.slice(0, 2)), { recursive: true, mode: 0o700 });
        await writeFile(tmp, JSON.stringify(record), { encoding: 'utf8', mode: 0o600 });
        await rename(tmp, file);
      } catch (err) {
        logger.debug(`Could not write cache entry ${file}: ${(err as Error).message}`);
        await rm(tmp, { force: true }).catch(() => undefined);
      }
    },
    isFresh(entry, nowMs) {
      const at = Date.parse(entry.fetchedAt);
      return mode === 'normal' && nowMs - at >= 0 && nowMs - at < ttlMs;
    },
  };
}
