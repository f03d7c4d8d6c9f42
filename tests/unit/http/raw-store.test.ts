import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SourceError } from '../../../src/core/errors.js';
import { createHttpClient, createReplayClient, loadRawManifest, manualClock, openRawRecorder } from '../../../src/http/index.js';
import type { HttpClient, RawManifest } from '../../../src/http/index.js';
import { startFixtureServer } from '../../../scripts/lib/fixture-server.js';
import type { FixtureServer } from '../../../scripts/lib/fixture-server.js';

const PAGE1 = JSON.stringify({ hits: [{ objectID: '41', comment_text: 'Acme Cloud ate my database 😤' }], page: 0, nbPages: 2 });
const PAGE2 = JSON.stringify({ hits: [{ objectID: '42', comment_text: 'Merci Acme Cloud, très rapide' }], page: 1, nbPages: 2 });
const FEED = '<?xml version="1.0"?><rss version="2.0"><channel><title>Acme Cloud blog</title><item><title>Launch &amp; 20% off</title></item></channel></rss>';

let server: FixtureServer;
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-raw-'));
  server = await startFixtureServer({
    routes: [
      { path: '/api/v1/search', query: { page: '0' }, body: PAGE1, headers: { 'content-type': 'application/json; charset=utf-8', link: '<?page=1>; rel="next"' } },
      { path: '/api/v1/search', query: { page: '1' }, body: PAGE2, headers: { 'content-type': 'application/json; charset=utf-8', 'set-cookie': 'session=abc123secret' } },
      { path: '/feed', body: FEED, headers: { 'content-type': 'application/rss+xml' } },
      { path: '/gone', status: 404, body: 'not here' },
    ],
  });
});

afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** A pretend audit: fetch everything and render a "report" from the responses only. */
async function audit(http: HttpClient, base: string): Promise<string> {
  const lines: string[] = [];
  for (const page of [0, 1]) {
    const res = await http.get(`${base}/api/v1/search?query=acme&page=${page}&api_key=k3y-SECRET-999`, {
      sourceId: 'hn',
      headers: { Authorization: 'Bearer ghp_FAKETOKEN1234567890' },
    });
    lines.push(`${res.status} ${res.fetchedAt} ${res.headers['link'] ?? '-'} ${res.body}`);
  }
  const feed = await http.get(`${base}/feed`, { sourceId: 'rss' });
  lines.push(`${feed.status} ${feed.fetchedAt} ${feed.body}`);
  try {
    await http.get(`${base}/gone`, { sourceId: 'rss' });
  } catch (err) {
    lines.push(`error ${(err as SourceError).code}: ${(err as SourceError).message}`);
  }
  return lines.join('\n');
}

async function recordRun(): Promise<{ report: string; manifest: RawManifest }> {
  const clock = manualClock(Date.parse('2026-11-23T09:00:00Z'));
  const http = createHttpClient({ clock, saveRaw: dir, auditNow: new Date('2026-11-23T08:59:30Z'), defaultRateLimit: { requestsPerMinute: 60_000, concurrency: 2 }, retry: { maxAttempts: 1 } });
  const report = await audit(http, server.url);
  await http.close();
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as RawManifest;
  return { report, manifest };
}

describe('--save-raw', () => {
  it('writes every body and a manifest whose sha256 matches the files', async () => {
    const { manifest } = await recordRun();
    expect(manifest.tool).toBe('earshot');
    // The audit clock is kept so a replay can judge ages from the same instant.
    expect(manifest.startedAt).toBe('2026-11-23T08:59:30.000Z');
    expect(manifest.entries).toHaveLength(4);
    const ok = manifest.entries.filter((e) => !e.error);
    expect(ok).toHaveLength(3);
    for (const entry of ok) {
      const bytes = await readFile(join(dir, entry.file ?? ''));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(entry.sha256);
      expect(entry.bytes).toBe(bytes.length);
      expect(entry.status).toBe(200);
      expect(entry.fetchedAt).toMatch(/^2026-11-23T09:00:00\.\d{3}Z$/);
    }
    expect(await readFile(join(dir, ok[0]?.file ?? ''), 'utf8')).toBe(PAGE1);
    expect(ok[0]?.file).toMatch(/^00001-[0-9a-f]{12}\.json$/);
    expect(ok[2]?.file).toMatch(/\.xml$/);
    expect(ok[0]?.contentType).toBe('application/json; charset=utf-8');
    const failed = manifest.entries.find((e) => e.error);
    expect(failed?.error?.code).toBe('not-found');
    expect(failed?.status).toBe(404);
    // The journal lists the same entries (what survives a crash).
    const journal = (await readFile(join(dir, 'manifest.ndjson'), 'utf8')).trim().split('\n');
    expect(journal).toHaveLength(4);
  });

  it('never writes tokens, Authorization values or cookies into the evidence folder', async () => {
    await recordRun();
    for (const name of await readdir(dir)) {
      const text = await readFile(join(dir, name), 'utf8');
      expect(text).not.toContain('k3y-SECRET-999');
      expect(text).not.toContain('ghp_FAKETOKEN');
      expect(text).not.toContain('abc123secret');
    }
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as RawManifest;
    expect(manifest.entries[0]?.url).toContain('api_key=REDACTED');
    expect(manifest.entries[0]?.url).toContain('query=acme&page=0');
  });

  it('refuses a folder that already holds a recording', async () => {
    await recordRun();
    await expect(openRawRecorder(dir)).rejects.toMatchObject({ code: 'usage' });
  });

  it('records cache hits too, so a replay has every body the report used', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'earshot-rawcache-'));
    try {
      const warm = createHttpClient({ cache: { dir: cacheDir } });
      await warm.get(`${server.url}/feed`);
      await warm.close();
      const http = createHttpClient({ cache: { dir: cacheDir }, saveRaw: dir });
      await http.get(`${server.url}/feed`);
      await http.close();
      expect(server.requests).toHaveLength(1);
      const manifest = await loadRawManifest(dir);
      expect(manifest.entries).toHaveLength(1);
      expect(manifest.entries[0]?.fromCache).toBe(true);
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});

describe('--from-raw', () => {
  it('replays the audit offline with a byte-identical report', async () => {
    const { report } = await recordRun();
    const countBefore = server.requests.length;
    await server.close();
    const replay = createReplayClient(dir);
    // Same base URL as recorded; the server is gone, so any network use would fail.
    const again = await audit(replay, server.url);
    expect(again).toBe(report);
    expect(countBefore).toBe(4);
    expect((await replay.manifest()).entries).toHaveLength(4);
    server = await startFixtureServer();
  });

  it('serves recorded bodies with fromCache and the recorded fetchedAt', async () => {
    const { manifest: manifestOf } = await recordRun();
    const replay = createReplayClient(dir);
    const res = await replay.get(`${server.url}/feed`);
    expect(res.body).toBe(FEED);
    expect(res.fromCache).toBe(true);
    expect(res.fetchedAt).toBe(manifestOf.entries.find((e) => e.url.endsWith('/feed'))?.fetchedAt);
    expect(res.headers['content-type']).toBe('application/rss+xml');
  });

  it('says a --from-raw folder that does not exist does not exist', async () => {
    const err = await createReplayClient(join(dir, 'nosuchdir')).manifest().catch((e: unknown) => e);
    expect((err as Error).message).toBe(`--from-raw folder ${join(dir, 'nosuchdir')} does not exist; give the folder an earlier run wrote with --save-raw.`);
  });

  it('throws not-recorded (not not-found: the service did not say so) naming the URL when it was not recorded', async () => {
    await recordRun();
    const replay = createReplayClient(dir);
    const err = await replay.get(`${server.url}/never-fetched?token=abcdef123456`, { sourceId: 'rss' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).code).toBe('not-recorded');
    expect((err as SourceError).message).toMatch(/ is not in the recording \(--from-raw folder /);
    expect((err as SourceError).sourceId).toBe('rss');
    expect((err as SourceError).message).toContain('/never-fetched?token=REDACTED');
    expect((err as SourceError).message).not.toContain('abcdef123456');
    expect(server.requests).toHaveLength(4);
  });

  it('detects an altered body file', async () => {
    const { manifest } = await recordRun();
    const entry = manifest.entries.find((e) => e.url.endsWith('/feed'));
    await writeFile(join(dir, entry?.file ?? ''), FEED.replace('20%', '90%'));
    const err = await createReplayClient(dir).get(`${server.url}/feed`).catch((e: unknown) => e);
    expect((err as SourceError).code).toBe('bad-response');
    expect((err as SourceError).message).toMatch(/does not match its sha256/);
  });

  it('replays a run that died before writing manifest.json, from the journal', async () => {
    const recorder = await openRawRecorder(dir);
    const http = createHttpClient({ saveRaw: recorder });
    await http.get(`${server.url}/feed`);
    // No close(): simulate a crash, plus a torn last journal line.
    await writeFile(join(dir, 'manifest.ndjson'), `${await readFile(join(dir, 'manifest.ndjson'), 'utf8')}{"seq":2,"url":"htt`);
    const res = await createReplayClient(dir).get(`${server.url}/feed`);
    expect(res.body).toBe(FEED);
  });

  it('a folder with no recording is a usage error', async () => {
    const err = await createReplayClient(dir).get(`${server.url}/feed`).catch((e: unknown) => e);
    expect((err as SourceError).code).toBe('usage');
  });

  it('POST logins are recorded with credentials redacted and replayed', async () => {
    server.addRoute({
      path: '/xrpc/com.atproto.server.createSession',
      method: 'POST',
      body: '{"did":"did:plc:acmecloud7x2k4q","accessJwt":"eyJhbGciOiJIUzI1NiJ9.secretpart.sig","refreshJwt":"eyJref.secret.sig"}',
      headers: { 'content-type': 'application/json' },
    });
    const http = createHttpClient({ saveRaw: dir });
    await http.post(`${server.url}/xrpc/com.atproto.server.createSession`, '{"identifier":"acme","password":"app-pass-1234"}', { contentType: 'application/json' });
    await http.close();
    for (const name of await readdir(dir)) {
      const text = await readFile(join(dir, name), 'utf8');
      expect(text).not.toContain('secretpart');
      expect(text).not.toContain('app-pass-1234');
    }
    const res = await createReplayClient(dir).post(`${server.url}/xrpc/com.atproto.server.createSession`, 'ignored', { contentType: 'application/json' });
    expect(JSON.parse(res.body)).toEqual({ did: 'did:plc:acmecloud7x2k4q', accessJwt: 'REDACTED', refreshJwt: 'REDACTED' });
  });
});

describe('--from-raw trusts nothing outside the folder and no body without its hash', () => {
  const sha = (text: string): string => createHash('sha256').update(text).digest('hex');
  /** Records a run, then rewrites manifest.json's /feed entry with `change`. */
  async function tampered(change: (entry: Record<string, unknown>) => void, where: 'manifest.json' | 'manifest.ndjson' = 'manifest.json'): Promise<void> {
    await recordRun();
    if (where === 'manifest.json') {
      const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { entries: Record<string, unknown>[] };
      change(manifest.entries.find((e) => String(e['url']).endsWith('/feed'))!);
      await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
    } else {
      // A run that died before manifest.json: only the journal is read.
      await rm(join(dir, 'manifest.json'));
      const lines = (await readFile(join(dir, 'manifest.ndjson'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      change(lines.find((e) => String(e['url']).endsWith('/feed'))!);
      await writeFile(join(dir, 'manifest.ndjson'), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    }
  }
  const OUTSIDE = '<rss><channel><item><title>planted from outside the evidence folder</title></item></channel></rss>';

  it.each([
    ['manifest.json', '../OUTSIDE'],
    ['manifest.ndjson', '../OUTSIDE'],
    ['manifest.json', 'sub/../../OUTSIDE'],
    ['manifest.json', './../OUTSIDE'],
  ] as const)('%s: a "file" of %s (with a matching sha256) is refused before anything is served', async (where, path) => {
    // The file exists where each path leads (the folder's parent) and its hash matches: only the path gives it away.
    const name = `${basename(dir)}-outside.xml`;
    await writeFile(join(dir, '..', name), OUTSIDE);
    try {
      await tampered((e) => Object.assign(e, { file: path.replace('OUTSIDE', name), sha256: sha(OUTSIDE) }), where);
      const replay = createReplayClient(dir);
      const err = await replay.get(`${server.url}/feed`).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as SourceError).code).toBe('usage');
      expect((err as Error).message).toMatch(/^--from-raw folder .*: manifest entry \d+ names the body file ".*outside\.xml", which is not a file name inside the folder; .* re-record the audit with --save-raw\.$/);
      await expect(replay.manifest()).rejects.toThrow(/not a file name inside the folder/);
    } finally {
      await rm(join(dir, '..', name), { force: true });
    }
  });

  it('an absolute "file" path is refused', async () => {
    await tampered((e) => Object.assign(e, { file: '/etc/hostname' }));
    await expect(createReplayClient(dir).get(`${server.url}/feed`)).rejects.toThrow(/names the body file "\/etc\/hostname", which is not a file name inside the folder/);
  });

  it.each(['manifest.json', 'manifest.ndjson'] as const)('%s: an entry without sha256 is refused, so an altered body cannot slip through', async (where) => {
    await tampered((e) => delete e['sha256'], where);
    const entry = (await loadRawManifest(dir)).entries.find((e) => e.url.endsWith('/feed'))!;
    await writeFile(join(dir, entry.file!), FEED.replace('20%', '90%'));
    const err = await createReplayClient(dir).get(`${server.url}/feed`).catch((e: unknown) => e);
    expect((err as SourceError).code).toBe('usage');
    expect((err as Error).message).toMatch(new RegExp(`manifest entry ${entry.seq} \\(${entry.file}\\) has no valid "sha256", so its body cannot be checked; re-record the audit with --save-raw\\.$`));
  });

  it('a symbolic link in the folder pointing outside it is not followed', async () => {
    const outside = join(dir, '..', `${basename(dir)}-outside.xml`);
    await writeFile(outside, OUTSIDE);
    try {
      await tampered((e) => Object.assign(e, { file: 'link.xml', sha256: sha(OUTSIDE) }));
      await symlink(outside, join(dir, 'link.xml'));
      const err = await createReplayClient(dir).get(`${server.url}/feed`).catch((e: unknown) => e);
      expect((err as SourceError).code).toBe('bad-response');
      expect((err as Error).message).toMatch(/body file link\.xml .* is not a plain file in /);
    } finally {
      await rm(outside, { force: true });
    }
  });

  it('an untouched recording still replays (every entry has a plain file name and a sha256)', async () => {
    await recordRun();
    const manifest = await loadRawManifest(dir);
    for (const e of manifest.entries.filter((x) => !x.error)) {
      expect(e.file).toMatch(/^[0-9]{5}-[0-9a-f]{12}\.[a-z]+$/);
      expect(e.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    expect((await createReplayClient(dir).get(`${server.url}/feed`)).body).toBe(FEED);
  });
});
