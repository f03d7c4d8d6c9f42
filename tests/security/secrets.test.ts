/**
 * Secrets: a fake credential is planted in every environment variable a source reads (and Reddit's id:secret pair,
 * Bluesky's app password, a Google Alerts feed path), then full audits run with --debug, --save-raw, a cache and a
 * JSON report, healthy, failing, and against servers that echo the credentials back in their error bodies. No
 * output, log, report, raw-evidence or cache file may contain any planted value (plain, URL-encoded or base64).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOURCES } from '../../src/sources/index.js';
import type { Fault, FixtureServer, RecordedRequest } from '../helpers/fixture-server.js';
import { runCli } from '../helpers/run-cli.js';
import { SCENARIOS, SOURCE_IDS, scenarioArgs, startSourceServers } from '../faults/scenarios.js';

// Identifiers that go with a secret but are not one themselves (they may appear, e.g. "logged in as").
const NOT_SECRET: Record<string, string> = { BLUESKY_HANDLE: 'planted-login.bsky.social', DISCOURSE_API_USERNAME: 'planted_api_user' };
// Distinctive values: letters and digits only, so URL encoding leaves them unchanged and a grep is exact.
const KNOWN_VALUES: Record<string, string> = {
  GITHUB_TOKEN: 'ghpPLANTEDgithubTOKEN7f3a9c1e5b',
  MASTODON_TOKEN: 'PLANTEDmastodonTOKEN4d8e2a6c0f',
  BLUESKY_APP_PASSWORD: 'PLANTEDblueskyPASSWORD9k2m4n6p',
  REDDIT_CLIENT_SECRET: 'PLANTEDredditSECRET1q3w5e7r9t',
  REDDIT_CLIENT_ID: 'PLANTEDredditID2x4c6v8b',
  STACKEXCHANGE_KEY: 'PLANTEDstackexchangeKEY5h7j9k',
  TRUSTPILOT_COOKIE: 'PLANTEDtrustpilotCOOKIE3s5d7f',
  DISCOURSE_API_KEY: 'PLANTEDdiscourseKEY8g0h2j4k6l',
};
// Every token variable any source declares is planted (a new source's too), except identifiers and the alerts feeds.
const PLANTED: Record<string, string> = Object.fromEntries(
  [...new Set(Object.values(SOURCES).flatMap((s) => s.tokenEnv))]
    .filter((name) => !(name in NOT_SECRET) && name !== 'GOOGLE_ALERTS_FEEDS')
    .map((name) => [name, KNOWN_VALUES[name] ?? `PLANTED${name.replace(/[^A-Za-z0-9]/g, '')}9z7x5v`]),
);
// The private part of a Google Alerts feed URL (the rss source reads these from the environment).
const ALERTS_ID = '90817263544536271809';

const needles = (): string[] => {
  const values = Object.values(PLANTED);
  const basic = Buffer.from(`${PLANTED['REDDIT_CLIENT_ID']}:${PLANTED['REDDIT_CLIENT_SECRET']}`).toString('base64');
  return [...values, ...values.map((v) => Buffer.from(v).toString('base64').replace(/=+$/, '')), basic];
};

let servers: Record<string, FixtureServer> = {};
let dir = '';

beforeAll(async () => {
  servers = await startSourceServers(SOURCE_IDS);
  dir = mkdtempSync(join(tmpdir(), 'earshot-secrets-'));
});
afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

function envFor(): Record<string, string> {
  const alerts = `${servers['rss']!.url}/alerts/feeds/04417781234567890123/${ALERTS_ID}`;
  return { ...PLANTED, ...NOT_SECRET, GOOGLE_ALERTS_FEEDS: alerts };
}

function auditArgs(tag: string, extra: string[] = []): { args: string[]; files: string[] } {
  const folder = join(dir, tag);
  const args = [
    'audit', 'acme cloud', '--source', SOURCE_IDS.join(','),
    ...SOURCE_IDS.flatMap((id) => scenarioArgs(SCENARIOS[id]!, servers[id]!.url)),
    '--source-option', `reddit.oauthBaseUrl=${servers['reddit']!.url}`,
    '--since', '2026-11-09', '--now', '2026-11-23T09:00:00Z', '--timeout', '1s',
    // Local fixture servers: lift the polite per-source limits (GitHub and Reddit allow 10 requests/min).
    ...SOURCE_IDS.flatMap((id) => ['--rate-limit', `${id}=6000`]),
    '--debug', '--save-raw', join(folder, 'raw'), '--cache-dir', join(folder, 'cache'), '-f', 'json', '-o', join(folder, 'report.json'),
    ...extra,
  ];
  return { args, files: [folder] };
}

/** Every file under a folder (recursively), as text. */
function filesUnder(root: string): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const walk = (p: string): void => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) for (const f of readdirSync(p)) walk(join(p, f));
    else out.push({ path: p, text: readFileSync(p).toString('latin1') });
  };
  walk(root);
  return out;
}

/** Runs an audit and returns every place a planted value showed up (empty when none). */
async function leaks(tag: string, extra: string[] = []): Promise<{ found: string[]; code: number | null; stderr: string; files: number }> {
  const { args, files } = auditArgs(tag, extra);
  const run = await runCli(args, { env: envFor(), timeoutMs: 90_000 });
  const haystacks = [{ path: 'stdout', text: run.stdout }, { path: 'stderr', text: run.stderr }, ...files.flatMap(filesUnder)];
  const found: string[] = [];
  for (const h of haystacks) {
    for (const n of needles()) if (h.text.includes(n)) found.push(`${n} in ${h.path.replace(dir, '<tmp>')}`);
    // The alert feed id may be in the raw manifest and cache entries (both keep request URLs) and in --debug's request lines (documented
    // in docs/security.md), but never in a warning, an error or the report.
    const text = h.path === 'stderr' ? h.text.split('\n').filter((l) => !l.startsWith('debug: GET ')).join('\n') : h.text;
    if (!h.path.includes(`${tag}/raw`) && !h.path.includes(`${tag}/cache`) && text.includes(ALERTS_ID)) found.push(`alerts feed id in ${h.path.replace(dir, '<tmp>')}`);
  }
  return { found, code: run.code, stderr: run.stderr, files: haystacks.length };
}

/** Runs `earshot doctor` over every source (lines, then JSON, with --debug); every place a planted value showed up. */
async function doctorLeaks(): Promise<{ found: string[]; codes: (number | null)[]; tokens: Record<string, string> }> {
  const found: string[] = [];
  const codes: (number | null)[] = [];
  let tokens: Record<string, string> = {};
  for (const format of ['table', 'json']) {
    const args = [
      'doctor', 'acme cloud', '--source', SOURCE_IDS.join(','),
      ...SOURCE_IDS.flatMap((id) => scenarioArgs(SCENARIOS[id]!, servers[id]!.url)),
      '--source-option', `reddit.oauthBaseUrl=${servers['reddit']!.url}`,
      '--since', '2026-11-09', '--now', '2026-11-23T09:00:00Z', '--timeout', '1s',
      ...SOURCE_IDS.flatMap((id) => ['--rate-limit', `${id}=6000`]),
      '--no-cache', '--debug', '-f', format,
    ];
    const run = await runCli(args, { env: envFor(), timeoutMs: 90_000 });
    codes.push(run.code);
    if (format === 'json') tokens = Object.fromEntries((JSON.parse(run.stdout) as { checks: { source: string; token: string }[] }).checks.map((c) => [c.source, c.token]));
    for (const [where, text] of [[`doctor -f ${format} stdout`, run.stdout], [`doctor -f ${format} stderr`, run.stderr]] as const) {
      for (const n of needles()) if (text.includes(n)) found.push(`${n} in ${where}`);
      const shown = text.split('\n').filter((l) => !l.startsWith('debug: GET ')).join('\n');
      if (shown.includes(ALERTS_ID)) found.push(`alerts feed id in ${where}`);
    }
  }
  return { found, codes, tokens };
}

describe('planted credentials never leave the process', () => {
  it.each(SOURCE_IDS)('%s: is in the audited set, with every token variable it declares planted', (id) => {
    expect(auditArgs('probe').args).toContain(SOURCE_IDS.join(','));
    for (const name of SOURCES[id]!.tokenEnv) expect(envFor()[name], `${id}: ${name}`).toBeTruthy();
  });

  it('a healthy audit of every source in authenticated modes', async () => {
    const r = await leaks('healthy');
    expect(r.code, r.stderr).toBe(0);
    // The credentials were really used: the servers saw them.
    const seen = Object.values(servers).flatMap((s) => s.requests.map((q) => `${q.url} ${JSON.stringify(q.headers)} ${q.body}`)).join('\n');
    for (const name of ['GITHUB_TOKEN', 'MASTODON_TOKEN', 'STACKEXCHANGE_KEY', 'TRUSTPILOT_COOKIE', 'DISCOURSE_API_KEY', 'BLUESKY_APP_PASSWORD']) expect(seen, name).toContain(PLANTED[name]);
    expect(r.files).toBeGreaterThan(10);
    expect(r.found).toEqual([]);
    // earshot doctor probes the same sources with the same credentials: each usable, none printed.
    const d = await doctorLeaks();
    expect(d.codes).toEqual([0, 0]);
    expect(d.found).toEqual([]);
    expect(d.tokens).toEqual(Object.fromEntries(SOURCE_IDS.map((id) => [id, SOURCES[id]!.tokenEnv.length > 0 ? 'accepted' : 'not-used'])));
  }, 120_000);

  it.each<[string, Fault]>([
    ['401 echoing the credentials', { kind: 'status', status: 401, body: '' }],
    ['400 JSON error echoing the credentials', { kind: 'status', status: 400, body: '' }],
    ['403 HTML page echoing the credentials', { kind: 'status', status: 403, body: '' }],
    ['200 with a body that is not what was asked, echoing the credentials', { kind: 'malformed', body: '' }],
  ])('every source failing with %s', async (name, fault) => {
    // Each request that carried credentials gets them echoed back, in the fields sources quote (a server can only
    // echo what it received: the Basic pair, a key parameter, a cookie, a JSON password).
    const carried = (req: RecordedRequest): string[] => {
      const seen = `${decodeURIComponent(req.url)} ${JSON.stringify(req.headers)} ${req.body}`;
      const basic = /Basic ([A-Za-z0-9+/=]+)/.exec(req.headers['authorization'] ?? '');
      const decoded = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8') : '';
      return Object.values(PLANTED).filter((v) => seen.includes(v) || decoded.includes(v));
    };
    const bodyFor = (echo: string): string =>
      fault.kind === 'status' && fault.status === 403
        ? `<html><head><title>Forbidden</title></head><body>token ${echo}</body></html>`
        : JSON.stringify({ message: `Bad credentials ${echo}`, error: `invalid key ${echo}`, error_message: `key ${echo} is not valid`, errors: [{ message: echo }], error_id: 400, error_name: 'bad_parameter' });
    let echoed = 0;
    for (const s of Object.values(servers)) {
      const headers = fault.kind === 'status' ? { headers: { 'content-type': fault.status === 403 ? 'text/html' : 'application/json' } } : {};
      // First matching rule wins: a request carrying credential v gets v echoed; the rest get the fault alone.
      for (const v of Object.values(PLANTED)) {
        const match = (req: RecordedRequest): boolean => {
          const hit = carried(req).includes(v);
          if (hit) echoed += 1;
          return hit;
        };
        s.fault({ match, fault: { ...fault, body: bodyFor(v), ...headers } as Fault });
      }
      s.fault({ fault: { ...fault, body: bodyFor('nothing'), ...headers } as Fault });
    }
    try {
      const r = await leaks(name.replace(/\W+/g, '-'));
      expect([0, 3]).toContain(r.code);
      expect(r.stderr).toMatch(/\n\s+at /); // --debug really printed stack traces
      expect(r.found).toEqual([]);
      expect(echoed, 'some servers really echoed a credential').toBeGreaterThan(3);
      // earshot doctor reads the same echoing answers: every source unusable (exit 1), nothing planted printed.
      const d = await doctorLeaks();
      expect(d.codes).toEqual([1, 1]);
      expect(d.found).toEqual([]);
    } finally {
      for (const s of Object.values(servers)) s.clearFaults();
    }
  }, 120_000);
});
