/** Issue #14 item 4: replays of the same evidence (eleven sources) give the same bytes in every format, every time. */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFixtureDir, type FixtureServer } from '../../scripts/lib/fixture-server.js';
import { ROOT, runCli } from '../helpers/run-cli.js';

const SOURCES = ['reddit', 'hn', 'rss', 'bluesky', 'mastodon', 'github', 'discourse', 'stackexchange', 'trustpilot', 'appstore', 'googleplay'] as const;
let s: Record<string, FixtureServer>;
const work = mkdtempSync(join(tmpdir(), 'earshot-replay-'));

beforeAll(async () => {
  s = Object.fromEntries(await Promise.all(SOURCES.map(async (id) => [id, await serveFixtureDir(join(ROOT, 'fixtures/sources', id))] as const)));
});
afterAll(async () => {
  await Promise.all(Object.values(s).map((x) => x.close()));
});

/** The demo's audit (scripts/demo.ts), without --now: a replay is judged at its recorded time. */
function args(extra: string[]): string[] {
  return [
    'audit', 'Acme Cloud', '--query', '"acme cloud" -anvil', '--source', SOURCES.join(','),
    ...['AcmeCloudSupport', 'AcmeCloud', 'acmecloud_team', 'acme-jane', 'acme-omar', 'acmecloud.bsky.social'].flatMap((h) => ['--brand-handle', h]),
    ...SOURCES.filter((id) => id !== 'rss').flatMap((id) => ['--base-url', `${id}=${s[id]!.url}${id === 'stackexchange' ? '/2.3' : ''}`]),
    '--feed', `${s.rss!.url}/rss/search?q=acme+cloud+when:15d&hl=en-US&gl=US&ceid=US:en`,
    '--feed', `${s.rss!.url}/alerts/feeds/04417781234567890123/15827364501928374655`,
    '--brand-feed', `${s.rss!.url}/feed/`,
    '--source-option', 'hn.hitsPerPage=4', '--source-option', `bluesky.authBaseUrl=${s.bluesky!.url}`,
    '--source-option', 'bluesky.brandActor=acmecloud.bsky.social', '--source-option', 'mastodon.brandAccounts=https://mastodon.social/@acmecloud',
    '--source-option', 'github.brandOrgs=acmecloud', '--source-option', 'discourse.brandGroups=acme_staff',
    '--source-option', 'stackexchange.brandUserIds=4401877', '--source-option', 'trustpilot.domain=acmecloud.example',
    '--source-option', 'appstore.appId=6449012345', '--source-option', 'googleplay.appId=example.acmecloud.mobile',
    ...SOURCES.flatMap((id) => ['--rate-limit', `${id}=6000`]),
    '--since', '2026-11-09', '--tz', 'America/New_York', '--business-hours', 'Mon-Fri 09:00-17:00', '--no-cache', '-q',
    ...extra,
  ];
}
const env = { BLUESKY_HANDLE: 'demo.bsky.social', BLUESKY_APP_PASSWORD: 'demo-app-password' };

describe('--from-raw replays', () => {
  it('are byte-identical in every format and in the report folder, run after run', async () => {
    const raw = join(work, 'raw');
    const live = await runCli(args(['--now', '2026-11-23T09:00:00Z', '--save-raw', raw, '-f', 'json']), { env, timeoutMs: 120_000 });
    expect(live.code).toBe(0);
    const report = JSON.parse(live.stdout) as { coverage: { source: string; mentions: number }[]; settings: { asOfFrom?: string } };
    expect(report.coverage.filter((c) => c.mentions > 0).length).toBeGreaterThanOrEqual(8);
    for (const format of ['json', 'csv', 'ndjson', 'table', 'html']) {
      const runs = [];
      for (let i = 0; i < 3; i++) runs.push((await runCli(args(['--from-raw', raw, '-f', format]), { env, timeoutMs: 120_000 })).stdout);
      expect(runs[0]!.length, format).toBeGreaterThan(100);
      expect(runs[1], format).toBe(runs[0]);
      expect(runs[2], format).toBe(runs[0]);
    }
    const folders = [];
    for (let i = 0; i < 2; i++) {
      const out = join(work, `out${i}`);
      expect((await runCli(args(['--from-raw', raw, '--out', out]), { env, timeoutMs: 120_000 })).code).toBe(0);
      folders.push(Object.fromEntries(readdirSync(out).sort().map((f) => [f, readFileSync(join(out, f), 'utf8')])));
    }
    expect(Object.keys(folders[0]!)).toEqual(['daily.csv', 'mentions.csv', 'report.html', 'report.json', 'summary.csv', 'unanswered.csv']);
    expect(folders[1]).toEqual(folders[0]);
  }, 600_000);
});
