/**
 * The fault matrix through the real CLI: `earshot audit -f json` with one source behind a faulty fixture server and a
 * healthy neighbour. The user sees the classified error on stderr, the report's coverage names it, the neighbour's
 * mentions are in the report, and the exit code is the documented one (0 when anything was fetched, 3 when nothing).
 * Every source is run once, each with a different fault, concurrently (the CLI uses its default retry policy).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/report.js';
import type { Fault, FixtureServer } from '../helpers/fixture-server.js';
import { runCli } from '../helpers/run-cli.js';
import { SCENARIOS, SOURCE_IDS, scenarioArgs, startSourceServers } from './scenarios.js';

const CHANGED_LAYOUT = '<!doctype html><html><head><title>New look</title></head><body><main><p>Redesigned.</p></main></body></html>';

/** Rotated over the sources: each source meets one fault, every fault is met by at least one source. */
const ROTATION: { name: string; fault: Fault; code: string; message: RegExp }[] = [
  { name: 'malformed JSON', fault: { kind: 'malformed' }, code: 'bad-response', message: /expected/i },
  { name: '429 Retry-After 1', fault: { kind: 'rate-limit', retryAfter: 1 }, code: 'rate-limited', message: /rate-limiting requests \(HTTP 429\) after [2-4] attempts/ },
  { name: 'changed HTML layout', fault: { kind: 'malformed', body: CHANGED_LAYOUT, contentType: 'text/html; charset=utf-8' }, code: 'bad-response', message: /expected|layout|matched nothing/i },
  { name: 'redirect loop', fault: { kind: 'redirect-loop' }, code: 'bad-response', message: /redirected in a loop/ },
  { name: 'reset before headers', fault: { kind: 'reset-before-headers' }, code: 'network', message: /Could not reach .*after [2-4] attempts/ },
  { name: 'empty page', fault: { kind: 'malformed', body: '', contentType: 'text/html; charset=utf-8' }, code: 'bad-response', message: /expected|empty/i },
  { name: 'body slower than --timeout 1s', fault: { kind: 'hang-body' }, code: 'timeout', message: /stopped sending the response body for 1 s|did not (finish sending the response|answer) within/ },
  { name: 'truncated body', fault: { kind: 'truncate' }, code: 'bad-response', message: /cut the response off|truncated/ },
];

const companionOf = (id: string): string => (id === 'hn' ? 'discourse' : 'hn');
// Local fixture servers: the polite per-source rate limits are lifted so each run takes about a second.
const COMMON = ['--since', '2026-11-09', '--now', '2026-11-23T09:00:00Z', '--timeout', '1s', '--no-cache', '-f', 'json', ...SOURCE_IDS.flatMap((id) => ['--rate-limit', `${id}=6000`])];

let faulty: Record<string, FixtureServer> = {};
let healthy: Record<string, FixtureServer> = {};
let dir = '';

beforeAll(async () => {
  faulty = await startSourceServers(SOURCE_IDS);
  healthy = await startSourceServers(['hn', 'discourse']);
  dir = mkdtempSync(join(tmpdir(), 'earshot-cli-faults-'));
});

afterAll(async () => {
  await Promise.all([...Object.values(faulty), ...Object.values(healthy)].map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

function auditArgs(ids: { id: string; server: FixtureServer }[]): string[] {
  return ['audit', 'acme cloud', '--source', ids.map((x) => x.id).join(','), ...ids.flatMap(({ id, server }) => scenarioArgs(SCENARIOS[id]!, server.url)), ...COMMON];
}

const envOf = (...ids: string[]): Record<string, string> => Object.assign({}, ...ids.map((id) => SCENARIOS[id]!.env ?? {}));

describe('earshot audit with one faulty source', () => {
  const rows = SOURCE_IDS.map((id, i) => ({ id, ...ROTATION[i % ROTATION.length]! }));

  it.concurrent.each(rows)('$id with $name: exit 0, $code on stderr and in coverage, the healthy source reported', async ({ id, fault, code, message }) => {
    faulty[id]!.fault({ fault });
    const cid = companionOf(id);
    const run = await runCli(auditArgs([{ id, server: faulty[id]! }, { id: cid, server: healthy[cid]! }]), { env: envOf(id, cid), timeoutMs: 40_000 });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    const bad = report.coverage.find((c) => c.source === id);
    expect(bad).toMatchObject({ status: 'failed', mentions: 0, error: { code } });
    expect(bad!.error!.message).toMatch(message);
    expect(report.coverage.find((c) => c.source === cid)).toMatchObject({ status: 'ok' });
    expect(report.mentions.filter((m) => m.source === cid).length).toBeGreaterThan(0);
    expect(report.mentions.filter((m) => m.source === id)).toEqual([]);
    // stderr: one warning naming the source with the classified message; the failure is told once (the coverage has the code).
    expect(run.stderr).toContain(`warning: ${id}: ${bad!.error!.message}`);
    expect(run.stderr.split(bad!.error!.message).length - 1).toBe(1);
    expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  }, 45_000);
});

describe('earshot audit where every source fails', () => {
  it('exits 3 with one sentence naming each source and its code, and writes no report file', async () => {
    faulty['github']!.fault({ fault: { kind: 'malformed' } });
    faulty['wordpress']!.fault({ fault: { kind: 'redirect-loop' } });
    const out = join(dir, 'nothing.json');
    const run = await runCli([...auditArgs([{ id: 'github', server: faulty['github']! }, { id: 'wordpress', server: faulty['wordpress']! }]), '-o', out], { timeoutMs: 40_000 });
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Nothing could be fetched: every source failed or was skipped (github failed (bad-response), wordpress failed (bad-response)); nothing was written.');
    expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(existsSync(out)).toBe(false);
  }, 45_000);
});
