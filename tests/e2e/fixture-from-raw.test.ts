/**
 * Issue 15 item 10, end to end, for every source (Reddit both ways): an audit recorded with --save-raw
 * against the fixture server becomes, through `fixture:from-raw`, a fixture folder that serves the same mentions
 * again, with every author pseudonymised (the brand's accounts kept), reply links intact, no credential copied, and
 * the same bytes from the same recording.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serveFixtureDir } from '../../scripts/lib/fixture-server.js';
import { fixtureFromRaw, FromRawError } from '../../scripts/lib/from-raw.js';
import { createPseudonymiser } from '../../scripts/lib/pseudonymise.js';
import { runFixtureFromRaw } from '../../scripts/fixture-from-raw.js';
import { goldenText } from '../../scripts/lib/golden-case.js';
import { goldenQuery } from '../../scripts/lib/golden-case.js';
import { SOURCES } from '../../src/sources/index.js';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { fileTree } from '../helpers/file-tree.js';

const work = mkdtempSync(join(tmpdir(), 'earshot-from-raw-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const KEEP = ['AcmeCloudSupport', 'acmecloud', 'acmecloud.bsky.social', 'AcmeCloud', 'acmecloud_team', 'acme-jane', 'acme-omar'];
const APP_PASSWORD = 'from-raw-app-password-3141';
const CLIENT_SECRET = 'from-raw-client-secret-2718';
const ENV = { BLUESKY_HANDLE: 'samir.bsky.social', BLUESKY_APP_PASSWORD: APP_PASSWORD, REDDIT_CLIENT_ID: 'from-raw-client-id', REDDIT_CLIENT_SECRET: CLIENT_SECRET };

/** Per case: the source and the options that find mentions in its fixtures. */
/** A case's source, options, environment, routes the run must go through, and whether it has reply threads to check. */
interface Case {
  source: string;
  args: (server: string) => string[];
  env?: Record<string, string>;
  routes?: string[];
  /** False for a source whose recording holds no brand reply (App Store reviews, Google Play, a brand blog). */
  threads?: false;
  basePath?: string;
}
const option = (pairs: string[]): (() => string[]) => () => pairs.flatMap((p) => ['--source-option', p]);
const CASES: Record<string, Case> = {
  'reddit (RSS)': { source: 'reddit', args: () => [], routes: ['GET /search.rss', 'GET /r/AcmeCloud/comments/1r3b2xc/.rss'] },
  // The OAuth JSON API: a token POST, listings, comment trees with t2_ author ids, "continue this thread", morechildren.
  'reddit (OAuth JSON)': { source: 'reddit', args: (s) => ['--source-option', `reddit.oauthBaseUrl=${s}`, '--source-option', 'reddit.pageSize=2'], env: { REDDIT_CLIENT_ID: ENV.REDDIT_CLIENT_ID, REDDIT_CLIENT_SECRET: CLIENT_SECRET }, routes: ['POST /api/v1/access_token', 'GET /search', 'GET /comments/1qwd7ks', 'GET /api/morechildren'] },
  bluesky: { source: 'bluesky', args: (s) => ['--source-option', `bluesky.authBaseUrl=${s}`, '--source-option', 'bluesky.brandActor=acmecloud.bsky.social'], env: { BLUESKY_HANDLE: ENV.BLUESKY_HANDLE, BLUESKY_APP_PASSWORD: APP_PASSWORD }, routes: ['POST /xrpc/com.atproto.server.createSession', 'GET /xrpc/app.bsky.feed.getPostThread'] },
  mastodon: { source: 'mastodon', args: () => ['--source-option', 'mastodon.brandAccounts=https://mastodon.social/@acmecloud'] },
  hn: { source: 'hn', args: option(['hn.hitsPerPage=4']) },
  github: { source: 'github', args: option(['github.brandOrgs=acmecloud']), routes: ['GET /search/issues'] },
  discourse: { source: 'discourse', args: option(['discourse.brandGroups=acme_staff']), routes: ['GET /t/5020/posts.json'] },
  stackexchange: { source: 'stackexchange', args: option(['stackexchange.brandUserIds=4401877']), basePath: '/2.3' },
  trustpilot: { source: 'trustpilot', args: option(['trustpilot.domain=acmecloud.example']) },
  appstore: { source: 'appstore', args: option(['appstore.appId=6449012345']), threads: false },
  googleplay: { source: 'googleplay', args: option(['googleplay.appId=example.acmecloud.mobile']), routes: ['POST /_/PlayStoreUi/data/batchexecute'], threads: false },
  wordpress: { source: 'wordpress', args: option(['wordpress.brandBlog=true']) },
  blogger: { source: 'blogger', args: option(['blogger.brandBlog=true']) },
  // The selectors the fixture site is read with (its public URL, rebased on the server by --base-url).
  selectors: {
    source: 'selectors',
    args: () => Object.entries(SOURCES['selectors']!.scenario.options('')).flatMap(([k, v]) => ['--source-option', `selectors.${k}=${String(v)}`]),
    routes: ['GET /reviews/acme-cloud'],
  },
  // Feeds are whole URLs; the ISO-8859-1 one is saved as decoded text, so its route must say UTF-8 to replay intact.
  rss: {
    source: 'rss',
    args: (s) => ['--feed', `${s}/rss/search?q=acme+cloud+when:15d&hl=en-US&gl=US&ceid=US:en`, '--feed', `${s}/latin1/feed/`, '--brand-feed', `${s}/feed/`],
    routes: ['GET /latin1/feed/', 'GET /feed/'],
    threads: false,
  },
};

interface ReportMention {
  id: string;
  parentId?: string;
  threadId?: string;
  text: string;
  fromBrand: boolean;
  author: { id?: string; handle?: string; name?: string };
  response?: { status: string; firstReplyId?: string };
}

/** Runs the audit of a case against a fixture folder; returns its JSON report's mentions. */
async function audit(name: string, dir: string, extra: string[] = []): Promise<ReportMention[]> {
  const { source: id, args: options, env, basePath = '' } = CASES[name]!;
  const server = await serveFixtureDir(dir);
  try {
    const args = [
      'audit', 'Acme Cloud', '--query', '"acme cloud" -anvil', '--source', id, '--base-url', `${id}=${server.url}${basePath}`,
      ...KEEP.flatMap((h) => ['--brand-handle', h]), ...options(server.url), '--rate-limit', `${id}=6000`,
      '--since', '2026-11-09', '--now', '2026-11-23T09:00:00Z', '--no-cache', '-q', '-f', 'json', ...extra,
    ];
    const run = await runCli(args, { env: env ?? {}, timeoutMs: 60_000 });
    expect(run.code, run.stderr).toBe(0);
    return (JSON.parse(run.stdout) as { mentions: ReportMention[] }).mentions;
  } finally {
    await server.close();
  }
}

/** The token values the source's recorded login answers hold (each must be redacted in the recording and after). */
function tokensIn(id: string): string[] {
  const dir = join(ROOT, 'fixtures/sources', id);
  const out: string[] = [];
  for (const file of readdirSync(dir).filter((f) => /token|session/i.test(f) && f.endsWith('.json'))) {
    const json = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
    for (const [k, v] of Object.entries(json)) if (/token|jwt/i.test(k) && typeof v === 'string' && v.length >= 8) out.push(v);
  }
  return out;
}


describe.each(Object.keys(CASES))('fixture:from-raw on a recorded %s audit', (name) => {
  const id = CASES[name]!.source;
  const slug = name.toLowerCase().replace(/[^a-z]+/g, '-');
  const raw = join(work, `raw-${slug}`);
  const root = join(work, `fixtures-${slug}`);
  let original: ReportMention[] = [];

  it('records, converts, and the new folder serves the same mentions with pseudonymised authors and intact reply links', async () => {
    original = await audit(name, join(ROOT, 'fixtures/sources', id), ['--save-raw', raw]);
    expect(original.length).toBeGreaterThan(2);
    const result = fixtureFromRaw({ dir: raw, source: id, name: 'recorded', root, keep: KEEP });
    expect(result.goldens).toBeGreaterThan(0);
    // The run went the way the case means (the OAuth case through the token POST and the expansions).
    const served = (JSON.parse(readFileSync(join(root, id, 'recorded', 'routes.json'), 'utf8')) as { routes: { method: string; path: string }[] }).routes.map((r) => `${r.method} ${r.path}`);
    for (const route of CASES[name]!.routes ?? []) expect(served, route).toContain(route);
    const p = createPseudonymiser(result.pseudonyms);
    const replayed = await audit(name, join(root, id, 'recorded'));

    // The same mentions, under the pseudonymised ids (a Bluesky id names its author's DID; the report's order follows ids).
    const byId = new Map(original.map((m) => [p.text(m.id), m]));
    expect(replayed.map((m) => m.id).sort()).toEqual([...byId.keys()].sort());
    for (const m of replayed) {
      const o = byId.get(m.id)!;
      expect(m.parentId, m.id).toBe(o.parentId === undefined ? undefined : p.text(o.parentId));
      expect(m.threadId, m.id).toBe(o.threadId === undefined ? undefined : p.text(o.threadId));
      expect(m.fromBrand, m.id).toBe(o.fromBrand);
      expect(m.response?.status, m.id).toBe(o.response?.status);
      expect(m.text, m.id).toBe(p.text(o.text));
      expect(`${m.text}${m.author.name ?? ''}`, m.id).not.toContain('\uFFFD');
    }
    // Reply links: the brand still answered the same threads.
    if (CASES[name]!.threads !== false) {
      expect(replayed.filter((m) => m.response?.firstReplyId !== undefined).length).toBeGreaterThan(0);
      expect(replayed.filter((m) => m.parentId !== undefined).length).toBeGreaterThan(0);
    }

    // Every author who is not the brand is a pseudonym; the brand keeps its name (and so does any account with a
    // kept user name: Mastodon's fixtures hold an impostor acmecloud@fake.example).
    const kept = (m: ReportMention): boolean => m.fromBrand || KEEP.some((k) => [m.author.handle, m.author.name].some((v) => v?.split('@')[0]?.toLowerCase() === k.toLowerCase()));
    const people = original.filter((m) => !kept(m));
    expect(people.length).toBeGreaterThan(0);
    for (const m of replayed.filter((x) => !kept(x))) {
      for (const v of [m.author.handle, m.author.name].filter((x): x is string => x !== undefined && x !== '')) expect(v, m.id).toMatch(/^(?:user-\d+|Person \d+|Anonymous)/);
    }
    if (CASES[name]!.threads !== false) expect(replayed.some((m) => m.fromBrand)).toBe(true);
    const written = fileTree(root);
    const all = Object.values(written).join('\n');
    for (const m of people) {
      // Placeholders that name nobody ("Anonymous", as Trustpilot and Blogger write it) stay as they are.
      for (const v of [m.author.handle, m.author.name].filter((x): x is string => x !== undefined && x.length >= 3 && !/^anonymous$/i.test(x))) {
        expect(p.leaks(all), `${m.id}: ${v}`).toBeUndefined();
        expect(new RegExp(`(?<![\\p{L}\\p{N}_-])${v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}_-])`, 'u').test(all), `${m.id}: ${v} is still written`).toBe(false);
      }
    }
    // Never a credential: the app password or client secret sent, or the token the service answered.
    expect(all).not.toContain(APP_PASSWORD);
    expect(all).not.toContain(CLIENT_SECRET);
    expect(all).not.toContain('FIXTURE-ACCESS-TOKEN');
    for (const token of tokensIn(id)) expect(all, token).not.toContain(token);

    // The golden pairs it wrote are what the parser returns (as the registry test checks them).
    const source = SOURCES[id]!;
    for (const [file, text] of Object.entries(written)) {
      const m = /^[^/]+\/golden\/([^/]+)\/(.+)\.expected\.json$/.exec(file);
      if (!m) continue;
      const base = join(root, file.replace(/\.expected\.json$/, ''));
      const body = Object.entries(written).find(([f]) => f.startsWith(file.replace(/\.expected\.json$/, '.')) && !/\.(?:expected|context)\.json$/.test(f))![1];
      const ctx = JSON.parse(readFileSync(`${base}.context.json`, 'utf8')) as { url: string };
      expect(goldenText(source.parsers[m[1]!]!(body, { query: goldenQuery(source), url: ctx.url })), file).toBe(text);
    }
    // PROVENANCE.md names each URL with both sha256s.
    const provenance = written[join(id, 'recorded', 'PROVENANCE.md')]!;
    const manifest = JSON.parse(readFileSync(join(raw, 'manifest.json'), 'utf8')) as { entries: { sha256?: string }[] };
    for (const e of manifest.entries) if (e.sha256) expect(provenance).toContain(e.sha256);
    for (const [file, text] of Object.entries(written)) if (file.startsWith(join(id, 'recorded')) && !/\.(?:md|json)$/.test(file)) expect(provenance).toContain(createHash('sha256').update(text).digest('hex'));
  }, 120_000);

  it('gives the same bytes from the same recording', () => {
    const again = join(work, `again-${slug}`);
    fixtureFromRaw({ dir: raw, source: id, name: 'recorded', root: again, keep: KEEP });
    expect(fileTree(again)).toEqual(fileTree(root));
  });
});

describe('fixture:from-raw refuses', () => {
  const raw = join(work, 'raw-reddit-rss-');
  const copy = (name: string): string => {
    const dir = join(work, name);
    cpSync(raw, dir, { recursive: true });
    return dir;
  };
  const io = () => {
    const err: string[] = [];
    return { err, io: { out: () => undefined, err: (s: string) => err.push(s) } };
  };

  it('an unknown source, a missing manifest, a file outside the folder, a sha256 mismatch, an existing folder: exit 2, one sentence', () => {
    const cases: [string, string[], RegExp][] = [
      ['unknown source', [raw, 'myspace', 'x'], /Unknown source 'myspace'; choose one of reddit, /],
      ['missing manifest', [join(work), 'reddit', 'x'], /holds no manifest\.json or manifest\.ndjson/],
      ['bad name', [raw, 'reddit', 'Bad Name'], /must be lower-case letters/],
    ];
    const outside = copy('raw-outside');
    const m = JSON.parse(readFileSync(join(outside, 'manifest.json'), 'utf8')) as { entries: { file?: string }[] };
    m.entries[0]!.file = '../raw-reddit-rss-/manifest.json';
    writeFileSync(join(outside, 'manifest.json'), JSON.stringify(m));
    cases.push(['file outside', [outside, 'reddit', 'x'], /names the body file "\.\.\/raw-reddit-rss-\/manifest\.json", which is not a file inside/]);
    const altered = copy('raw-altered');
    const first = (JSON.parse(readFileSync(join(altered, 'manifest.json'), 'utf8')) as { entries: { file: string }[] }).entries[0]!.file;
    writeFileSync(join(altered, first), 'altered');
    cases.push(['sha256', [altered, 'reddit', 'x'], /does not match its sha256 in the manifest/]);
    const invalid = copy('raw-invalid');
    writeFileSync(join(invalid, 'manifest.json'), '{"entries": [');
    cases.push(['invalid manifest', [invalid, 'reddit', 'x'], /manifest\.json is not valid JSON/]);
    cases.push(['existing folder', [raw, 'reddit', 'recorded', '--root', join(work, 'fixtures-reddit-rss-')], /already exists; choose another NAME/]);
    for (const [what, argv, message] of cases) {
      const { err, io: streams } = io();
      expect(runFixtureFromRaw(argv, streams, join(work, 'unused-root')), what).toBe(2);
      expect(err.join(''), what).toMatch(message);
      expect(err.join('').trim().split('\n'), what).toHaveLength(1);
    }
    expect(() => fixtureFromRaw({ dir: raw, source: 'nope', name: 'x', root: work })).toThrow(FromRawError);
  });
});
