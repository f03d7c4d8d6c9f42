/**
 * `npm run demo`: a full audit of the fictional brand "Acme Cloud" over the bundled recorded responses.
 * Each source's fixtures are served over real HTTP from 127.0.0.1 and the real CLI is pointed at them,
 * so the demo exercises exactly what a live audit does, offline. Extra arguments are passed to
 * `earshot audit` (e.g. `npm run demo -- --format json`).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveFixtureDir, type FixtureServer } from './lib/fixture-server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCES = ['reddit', 'hn', 'rss', 'bluesky', 'mastodon', 'github', 'discourse', 'stackexchange', 'trustpilot', 'appstore', 'googleplay', 'steam'] as const;

/** Starts one fixture server per source (their paths overlap, so they cannot share one). */
async function startServers(): Promise<Record<(typeof SOURCES)[number], FixtureServer>> {
  const entries = await Promise.all(SOURCES.map(async (id) => [id, await serveFixtureDir(join(ROOT, 'fixtures/sources', id))] as const));
  return Object.fromEntries(entries) as Record<(typeof SOURCES)[number], FixtureServer>;
}

/** The audit a consultant would run for Acme Cloud, pointed at the fixture servers. */
function auditArgs(s: Record<(typeof SOURCES)[number], FixtureServer>, cacheDir: string): string[] {
  const handles = ['AcmeCloudSupport', 'AcmeCloud', 'acmecloud_team', 'acme-jane', 'acme-omar', 'acmecloud.bsky.social'];
  return [
    'audit',
    'Acme Cloud',
    // The fixtures hold "Acme anvil" cartoon jokes that name the brand but are not about it.
    '--query', '"acme cloud" -anvil',
    '--source', SOURCES.join(','),
    ...handles.flatMap((h) => ['--brand-handle', h]),
    ...SOURCES.filter((id) => id !== 'rss').flatMap((id) => ['--base-url', `${id}=${s[id].url}${id === 'stackexchange' ? '/2.3' : ''}`]),
    '--feed', `${s.rss.url}/rss/search?q=acme+cloud+when:15d&hl=en-US&gl=US&ceid=US:en`,
    '--feed', `${s.rss.url}/alerts/feeds/04417781234567890123/15827364501928374655`,
    '--brand-feed', `${s.rss.url}/feed/`,
    '--source-option', 'hn.hitsPerPage=4',
    '--source-option', `bluesky.authBaseUrl=${s.bluesky.url}`,
    '--source-option', 'bluesky.brandActor=acmecloud.bsky.social',
    '--source-option', 'mastodon.brandAccounts=https://mastodon.social/@acmecloud',
    '--source-option', 'github.brandOrgs=acmecloud',
    '--source-option', 'discourse.brandGroups=acme_staff',
    '--source-option', 'stackexchange.brandUserIds=4401877',
    '--source-option', 'trustpilot.domain=acmecloud.example',
    '--source-option', 'appstore.appId=6449012345',
    '--source-option', 'googleplay.appId=example.acmecloud.mobile',
    '--source-option', 'steam.appId=2954110',
    // The fixture servers are local: lift the polite per-source limits (Reddit's 10 a minute would make the demo
    // take a minute). Real audits keep the defaults that `earshot sources` lists.
    ...SOURCES.flatMap((id) => ['--rate-limit', `${id}=6000`]),
    '--since', '2026-11-09',
    '--now', '2026-11-23T09:00:00Z',
    '--tz', 'America/New_York',
    '--business-hours', 'Mon-Fri 09:00-17:00',
    '--cache-dir', cacheDir,
    // Two earlier runs of this audit (fixtures/demo-history), so the demo shows its trend lines too.
    '--history', join(ROOT, 'fixtures/demo-history'),
  ];
}

async function main(): Promise<number> {
  const servers = await startServers();
  const cacheDir = mkdtempSync(join(tmpdir(), 'earshot-demo-cache-'));
  try {
    const args = [join(ROOT, 'bin/earshot.js'), ...auditArgs(servers, cacheDir), ...process.argv.slice(2)];
    // Placeholder credentials: the fixture server accepts any login, which shows Bluesky's search mode.
    const env = { ...process.env, BLUESKY_HANDLE: 'demo.bsky.social', BLUESKY_APP_PASSWORD: 'demo-app-password' };
    process.stderr.write('earshot demo: auditing "Acme Cloud" over recorded responses served from 127.0.0.1 (offline)\n\n');
    return await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, args, { stdio: 'inherit', env });
      child.on('close', (code) => resolve(code ?? 1));
    });
  } finally {
    await Promise.all(Object.values(servers).map((s) => s.close()));
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

main().then((code) => {
  process.exitCode = code;
});
