/**
 * Raw evidence: `--save-raw DIR` records every response of a run (bodies + manifest with sha256), and
 * `--from-raw DIR` replays such a folder as an HttpClient with no network, so an audit can be re-run byte for byte.
 */
import { existsSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { appendFile, lstat, mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ErrorCode, SourceErrorOptions } from '../core/errors.js';
import { createSourceError, SourceError, UsageError } from '../core/errors.js';
import type { HttpClient, HttpPostOptions, HttpRequestOptions, HttpResponse } from './types.js';
import { isSecretParam, redactHeaders, redactText, redactUrl } from './redact.js';
import { VERSION } from './user-agent.js';

/** One recorded outcome: a response (with its body file) or the error the run saw. */
interface RawEntry {
  /** Order in the run, from 1. */
  seq: number;
  method: 'GET' | 'POST';
  /** Requested URL, redacted (credential query values replaced); replay matches on this form. */
  url: string;
  /** Final URL after redirects (redacted), when it differs from `url`. */
  finalUrl?: string;
  fetchedAt: string;
  /** HTTP status, or 0 when no response arrived (network error, timeout). */
  status: number;
  contentType?: string;
  /** Response headers (redacted, cookies dropped). */
  headers: Record<string, string>;
  /** sha256 (hex) of the body file's bytes. */
  sha256?: string;
  /** Body file name inside the folder. */
  file?: string;
  bytes?: number;
  /** Served from the local cache during the recorded run. */
  fromCache?: boolean;
  /** Set when the run saw an error for this URL: replay raises the same error. */
  error?: { code: ErrorCode; message: string; status?: number; retryable: boolean; body?: string };
  /** Set on POST entries: credential-like fields of the body were replaced before saving. */
  redacted?: boolean;
}

/** manifest.json: written at the end of the run (manifest.ndjson holds the same entries as they happen). */
export interface RawManifest {
  tool: 'earshot';
  version: string;
  format: 1;
  startedAt: string;
  finishedAt?: string;
  entries: RawEntry[];
}

/** Records a run into a folder. */
export interface RawRecorder {
  readonly dir: string;
  /** Save one response; resolves once the body file and its manifest line are on disk. */
  record(method: 'GET' | 'POST', requestUrl: string, response: HttpResponse): Promise<void>;
  /** Save an error outcome for a URL. */
  recordError(method: 'GET' | 'POST', url: string, error: SourceError, fetchedAt: string): Promise<void>;
  /** Write manifest.json atomically (idempotent). */
  close(): Promise<void>;
}

const MANIFEST = 'manifest.json';
const JOURNAL = 'manifest.ndjson';

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function extensionFor(contentType: string | undefined): string {
  const t = (contentType ?? '').toLowerCase();
  if (t.includes('json')) return '.json';
  if (t.includes('html')) return '.html';
  if (t.includes('xml') || t.includes('rss') || t.includes('atom')) return '.xml';
  if (t.includes('csv')) return '.csv';
  return '.txt';
}

// The evidence holds authenticated answers (private repositories, logged-in searches): owner-only, like ~/.ssh.
const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;

async function writeAtomic(file: string, data: string): Promise<void> {
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, data, { encoding: 'utf8', mode: PRIVATE_FILE });
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}

/**
 * Headers safe to keep in evidence: credentials redacted, cookies dropped, and `name=value` credentials inside other
 * values (a Link URL's `access_token=`) redacted as request URLs are, so a replay still matches the links it follows.
 */
function evidenceHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(redactHeaders(headers))) {
    if (/^set-cookie$/i.test(name)) continue;
    out[name.toLowerCase()] = redactText(value);
  }
  return out;
}

/** A login/token response body with credential-like values replaced (JSON keys or form fields). */
function redactCredentialBody(body: string): string {
  try {
    const walk = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object') {
        const out: Record<string, unknown> = {};
        for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
          out[k] = isSecretParam(k) && (typeof val === 'string' || typeof val === 'number') ? 'REDACTED' : walk(val);
        }
        return out;
      }
      return v;
    };
    return JSON.stringify(walk(JSON.parse(body)));
  } catch {
    return redactText(body);
  }
}

/**
 * Start recording into `dir` (created if missing). Refuses a folder that already holds a recording,
 * so evidence from two runs never mixes.
 */
export async function openRawRecorder(
  dir: string,
  options: {
    /** Clock for finishedAt. */
    now?: () => Date;
    /** The audit's own "now", stored as startedAt so a --from-raw re-run judges ages from the same instant. */
    startedAt?: Date;
  } = {},
): Promise<RawRecorder> {
  const now = options.now ?? (() => new Date());
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR });
  const existing = await readdir(dir);
  if (existing.includes(MANIFEST) || existing.includes(JOURNAL)) {
    throw new UsageError(`--save-raw folder ${dir} already holds a recorded run; choose an empty folder.`);
  }
  const startedAt = (options.startedAt ?? now()).toISOString();
  const entries: RawEntry[] = [];
  let seq = 0;
  // One write chain keeps journal lines whole and in sequence order.
  let chain: Promise<void> = Promise.resolve();
  const enqueue = (job: () => Promise<void>): Promise<void> => {
    const next = chain.then(job);
    chain = next.catch(() => undefined);
    return next;
  };
  const journal = async (entry: RawEntry): Promise<void> => {
    entries.push(entry);
    await appendFile(join(dir, JOURNAL), `${JSON.stringify(entry)}\n`, { encoding: 'utf8', mode: PRIVATE_FILE });
  };
  let closed = false;

  return {
    dir,
    record(method, requestUrl, response) {
      return enqueue(async () => {
        seq += 1;
        const body = method === 'POST' ? redactCredentialBody(response.body) : response.body;
        const url = redactUrl(requestUrl);
        const finalUrl = redactUrl(response.url);
        const contentType = Object.entries(response.headers).find(([n]) => n.toLowerCase() === 'content-type')?.[1];
        const file = `${String(seq).padStart(5, '0')}-${sha256(url).slice(0, 12)}${extensionFor(contentType)}`;
        const bytes = Buffer.from(body, 'utf8');
        await writeAtomic(join(dir, file), body);
        const entry: RawEntry = {
          seq,
          method,
          url,
          fetchedAt: response.fetchedAt,
          status: response.status,
          headers: evidenceHeaders(response.headers),
          sha256: sha256(bytes),
          file,
          bytes: bytes.length,
        };
        if (finalUrl !== url) entry.finalUrl = finalUrl;
        if (contentType !== undefined) entry.contentType = contentType;
        if (response.fromCache) entry.fromCache = true;
        if (method === 'POST') entry.redacted = true;
        await journal(entry);
      });
    },
    recordError(method, url, error, fetchedAt) {
      return enqueue(async () => {
        seq += 1;
        const entry: RawEntry = {
          seq,
          method,
          url: redactUrl(url),
          fetchedAt,
          status: error.status ?? 0,
          headers: {},
          error: { code: error.code, message: redactText(error.message), retryable: error.retryable },
        };
        if (error.status !== undefined && entry.error) entry.error.status = error.status;
        // The error answer's start is what the source read its details from; a replay must give it the same.
        if (error.body !== undefined && entry.error) entry.error.body = redactText(error.body);
        await journal(entry);
      });
    },
    close() {
      return enqueue(async () => {
        if (closed) return;
        closed = true;
        const manifest: RawManifest = {
          tool: 'earshot',
          version: VERSION,
          format: 1,
          startedAt,
          finishedAt: now().toISOString(),
          entries,
        };
        await writeAtomic(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
      });
    },
  };
}

/**
 * Read a recording: manifest.json when the run finished, else the journal (a run that died mid-way),
 * skipping a torn last line.
 */
export async function loadRawManifest(dir: string): Promise<RawManifest> {
  let text: string | undefined;
  try {
    text = await readFile(join(dir, MANIFEST), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !existsSync(dir)) {
      throw new UsageError(`--from-raw folder ${dir} does not exist; give the folder an earlier run wrote with --save-raw.`);
    }
    text = undefined;
  }
  if (text !== undefined) {
    try {
      const parsed = JSON.parse(text) as RawManifest;
      if (parsed && Array.isArray(parsed.entries)) return parsed;
    } catch {
      // Fall through to the journal.
    }
  }
  let journal: string;
  try {
    journal = await readFile(join(dir, JOURNAL), 'utf8');
  } catch {
    throw new UsageError(`--from-raw folder ${dir} holds no earshot recording (no ${MANIFEST} or ${JOURNAL}).`);
  }
  const entries: RawEntry[] = [];
  for (const line of journal.split('\n')) {
    if (line.trim() === '') continue;
    try {
      entries.push(JSON.parse(line) as RawEntry);
    } catch {
      // A run killed mid-write leaves at most one torn line.
    }
  }
  return { tool: 'earshot', version: VERSION, format: 1, startedAt: entries[0]?.fetchedAt ?? '', entries };
}

/**
 * Checks what a replay will trust before it serves anything: every entry that names a body names a plain file of
 * the folder (the recorder writes no other kind; `../../outside.json` or `/etc/passwd` would read files the user never
 * gave) and its sha256, so every body served is checked. A UsageError names the folder, the entry and the field.
 */
function checkManifest(dir: string, manifest: RawManifest): void {
  for (const entry of manifest.entries) {
    if (entry === null || typeof entry !== 'object') throw new UsageError(`--from-raw folder ${dir}: its manifest holds an entry that is not an object; re-record the audit with --save-raw.`);
    if (entry.error !== undefined && entry.file === undefined) continue;
    const which = `manifest entry ${String(entry.seq)}`;
    const file: unknown = entry.file;
    if (typeof file !== 'string' || file === '' || file === '.' || file === '..' || basename(file) !== file || /[\\/\u0000]/.test(file)) {
      throw new UsageError(
        `--from-raw folder ${dir}: ${which} names the body file ${JSON.stringify(file ?? null)}, which is not a file name inside the folder; earshot reads evidence only from the folder itself, so re-record the audit with --save-raw.`,
      );
    }
    if (typeof entry.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(entry.sha256)) {
      throw new UsageError(
        `--from-raw folder ${dir}: ${which} (${file}) has no valid "sha256", so its body cannot be checked; re-record the audit with --save-raw.`,
      );
    }
  }
}

/** An HttpClient over a recording, plus the manifest it serves. */
export interface ReplayClient extends HttpClient {
  /** The loaded manifest (e.g. its startedAt as the audit clock). */
  manifest(): Promise<RawManifest>;
}

/**
 * Serve GETs (and recorded login POSTs) from a `--save-raw` folder with no network: same bodies, statuses,
 * headers and fetchedAt as recorded; recorded errors are raised again; an unknown URL is a `not-found` error.
 */
export function createReplayClient(dir: string): ReplayClient {
  let loaded: Promise<{ manifest: RawManifest; byKey: Map<string, RawEntry[]> }> | undefined;
  const served = new Map<string, number>();
  const load = () => {
    loaded ??= loadRawManifest(dir).then((manifest) => {
      checkManifest(dir, manifest);
      const byKey = new Map<string, RawEntry[]>();
      for (const entry of [...manifest.entries].sort((a, b) => a.seq - b.seq)) {
        const key = `${entry.method ?? 'GET'} ${entry.url}`;
        const list = byKey.get(key) ?? [];
        list.push(entry);
        byKey.set(key, list);
      }
      return { manifest, byKey };
    });
    return loaded;
  };

  const serve = async (method: 'GET' | 'POST', url: string, options?: HttpRequestOptions): Promise<HttpResponse> => {
    if (options?.signal?.aborted) {
      throw new SourceError('interrupted', 'The audit was interrupted.', optionsFor(options?.sourceId));
    }
    const { byKey } = await load();
    const redacted = redactUrl(url);
    const key = `${method} ${redacted}`;
    const list = byKey.get(key);
    if (!list || list.length === 0) {
      // Its own code, not not-found: a source must not read "missing from the evidence" as "the service has no such page".
      throw new SourceError(
        'not-recorded',
        `${method} ${redacted} is not in the recording (--from-raw folder ${dir}); re-record the audit with --save-raw to include it.`,
        optionsFor(options?.sourceId),
      );
    }
    // Repeated requests for one URL get the recorded answers in order, the last one repeating.
    const n = served.get(key) ?? 0;
    served.set(key, n + 1);
    const entry = list[Math.min(n, list.length - 1)] as RawEntry;
    if (entry.error) {
      const extra: SourceErrorOptions = { retryable: entry.error.retryable };
      if (options?.sourceId !== undefined) extra.sourceId = options.sourceId;
      if (entry.error.status !== undefined) extra.status = entry.error.status;
      if (typeof entry.error.body === 'string') extra.body = entry.error.body;
      // The class follows the code, so a replayed failure is the same kind of error as the recorded one.
      throw createSourceError(entry.error.code, entry.error.message, extra);
    }
    if (!entry.file) {
      throw new SourceError('bad-response', `The --from-raw manifest entry ${entry.seq} for ${redacted} names no body file.`, optionsFor(options?.sourceId));
    }
    let bytes: Buffer;
    try {
      // A plain file only: a symbolic link planted in the folder would lead outside it.
      if (!(await lstat(join(dir, entry.file))).isFile()) {
        throw new SourceError('bad-response', `The --from-raw body file ${entry.file} for ${redacted} is not a plain file in ${dir}; re-record the audit with --save-raw.`, optionsFor(options?.sourceId));
      }
      bytes = await readFile(join(dir, entry.file));
    } catch (err) {
      if (err instanceof SourceError) throw err;
      throw new SourceError('bad-response', `The --from-raw body file ${entry.file} for ${redacted} is missing.`, {
        ...optionsFor(options?.sourceId),
        cause: err,
      });
    }
    if (sha256(bytes) !== entry.sha256) {
      throw new SourceError(
        'bad-response',
        `The --from-raw body file ${entry.file} does not match its sha256 in the manifest; the evidence was altered.`,
        optionsFor(options?.sourceId),
      );
    }
    return {
      url: entry.finalUrl ?? url,
      status: entry.status,
      headers: { ...entry.headers },
      body: bytes.toString('utf8'),
      fromCache: true,
      fetchedAt: entry.fetchedAt,
    };
  };

  return {
    get: (url, options) => serve('GET', url, options),
    post: (url, _body: string, options: HttpPostOptions) => serve('POST', url, options),
    async close() {},
    async manifest() {
      return (await load()).manifest;
    },
  };
}

function optionsFor(sourceId: string | undefined): { sourceId?: string } {
  return sourceId === undefined ? {} : { sourceId };
}
