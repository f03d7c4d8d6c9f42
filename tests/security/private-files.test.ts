/**
 * The cache and `--save-raw` folders hold authenticated answers (logged-in searches, private forums): every folder
 * earshot creates for them is 0700 and every file 0600, whatever the umask lets through.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS, scenarioArgs, startSourceServers } from '../faults/scenarios.js';
import type { FixtureServer } from '../helpers/fixture-server.js';
import { runCli } from '../helpers/run-cli.js';

let servers: Record<string, FixtureServer> = {};
let dir = '';
let umask: number | undefined;

beforeAll(async () => {
  servers = await startSourceServers(['hn', 'github']);
  dir = mkdtempSync(join(tmpdir(), 'earshot-private-'));
  // The usual umask (022) would let group and others read what earshot does not lock down itself.
  try {
    umask = process.umask(0o022);
  } catch {
    umask = undefined; // worker threads cannot change it; the default is 022 anyway
  }
});
afterAll(async () => {
  if (umask !== undefined) process.umask(umask);
  await Promise.all(Object.values(servers).map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

/** Every folder and file under `root` (itself included) with its permission bits. */
function modes(root: string): { path: string; dir: boolean; mode: number }[] {
  const st = statSync(root);
  const self = { path: root.replace(dir, ''), dir: st.isDirectory(), mode: st.mode & 0o777 };
  return st.isDirectory() ? [self, ...readdirSync(root).flatMap((f) => modes(join(root, f)))] : [self];
}

describe('private folders', () => {
  it('--cache-dir and --save-raw (and the folders above them that earshot creates) are 0700, their files 0600', async () => {
    const cache = join(dir, 'new', 'cache');
    const raw = join(dir, 'new-raw', 'raw');
    const run = await runCli(
      [
        'audit', 'acme cloud', '--source', 'hn,github',
        ...scenarioArgs(SCENARIOS['hn']!, servers['hn']!.url), ...scenarioArgs(SCENARIOS['github']!, servers['github']!.url),
        '--rate-limit', 'github=6000', '--rate-limit', 'hn=6000',
        '--since', '2026-11-09', '--now', '2026-11-23T09:00:00Z', '--save-raw', raw, '--cache-dir', cache, '-f', 'json',
      ],
      { env: { GITHUB_TOKEN: 'ghpPRIVATEfilesTOKEN1234' } },
    );
    expect(run.code, run.stderr).toBe(0);
    const found = [...modes(join(dir, 'new')), ...modes(join(dir, 'new-raw'))];
    const files = found.filter((f) => !f.dir);
    // Something was really written: the raw manifest, journal and bodies, and cache entries.
    expect(files.filter((f) => f.path.startsWith('/new-raw/raw/')).length).toBeGreaterThan(3);
    expect(files.filter((f) => f.path.startsWith('/new/cache/http/')).length).toBeGreaterThan(3);
    expect(found.filter((f) => f.dir && f.mode !== 0o700).map((f) => `${f.path} ${f.mode.toString(8)}`)).toEqual([]);
    expect(files.filter((f) => f.mode !== 0o600).map((f) => `${f.path} ${f.mode.toString(8)}`)).toEqual([]);
  });
});
