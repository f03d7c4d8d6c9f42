/**
 * The README's commands, run literally (issue 14): the Quick start's demo line (in a copy of the checkout), and the consultant's audit from config
 * to HTML report. Each is taken from README.md as written and run with sh, so a README that stops being true fails
 * here. The consultant's block runs in an empty folder with `earshot` (the built CLI) on PATH; its `$EDITOR` step is
 * an editor script that makes the edits a consultant would (the query, the brand's handles, and each source pointed
 * at a fixture server on 127.0.0.1, as readme-cron.test.ts does).
 */
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFixtureDir, type FixtureRoute, type FixtureServer } from '../helpers/fixture-server.js';
import type { Report } from '../../src/core/report.js';
import { ROOT } from '../helpers/run-cli.js';
import { readmeBlock, REPORT_FILES } from '../helpers/readme.js';

const NOW = '2026-11-23T09:00:00Z';

/** Runs `script` with sh in `cwd`; resolves with the exit code and both streams. */
function runSh(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 170_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A source's recorded routes, with the query parameters that name one audit window left out of the match. */
function routesOf(id: string, ignore: string[]): FixtureRoute[] {
  const dir = join(ROOT, 'fixtures/sources', id);
  return (JSON.parse(readFileSync(join(dir, 'routes.json'), 'utf8')) as { routes: FixtureRoute[] }).routes.map((r) => {
    const query = { ...r.query };
    for (const k of ignore) delete query[k];
    return { ...r, query, ...(r.file ? { file: join(dir, r.file) } : {}) };
  });
}

describe("the README's Quick start, run literally", () => {
  it('the demo line (after `npm ci &&`) exits 0 with a table naming the brand and no stack trace', async () => {
    const quick = readmeBlock('## Quick start');
    const line = quick.split('\n').find((l) => l.includes('demo'));
    expect(line).toBe('npm ci && npm run demo');
    // `npm ci` would replace the node_modules the test runs from: the rest of the line is what the demo is. It runs
    // in a copy of the checkout, because its build rewrites dist/ while other test files run the built CLI.
    const clone = mkdtempSync(join(tmpdir(), 'earshot-quick-start-'));
    for (const part of ['bin', 'fixtures', 'models', 'scripts', 'src', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json']) {
      cpSync(join(ROOT, part), join(clone, part), { recursive: true });
    }
    symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'));
    const r = await runSh(line!.replace(/^npm ci && /, ''), clone, { ...process.env, NO_COLOR: '1' }).finally(() => rmSync(clone, { recursive: true, force: true }));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('earshot · Acme Cloud');
    expect(r.stdout).toMatch(/┌[─┬]+┐/);
    expect(r.stdout).toMatch(/│ Mentions +│ \d+ \(/);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
    expect(r.stderr).not.toMatch(/Error:|TypeError|ReferenceError/);
  }, 180_000);
});

describe("the README's consultant's audit, run literally", () => {
  let hn: FixtureServer;
  let reddit: FixtureServer;
  let folder = '';
  let env: NodeJS.ProcessEnv = {};
  let closed = false;

  beforeAll(async () => {
    // The recorded routes name one audit window; the config's `since: 30d` asks for another, so match on the rest.
    hn = await serveFixtureDir([], { routes: routesOf('hn', ['numericFilters']) });
    reddit = await serveFixtureDir([], { routes: routesOf('reddit', []) });
    const root = mkdtempSync(join(tmpdir(), 'earshot-readme-'));
    folder = join(root, 'audit');
    const bin = join(root, 'bin');
    mkdirSync(folder);
    mkdirSync(bin);
    writeFileSync(join(bin, 'earshot'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(join(ROOT, 'bin/earshot.js'))} "$@"\n`);
    chmodSync(join(bin, 'earshot'), 0o755);
    // The consultant's edits to the starter config, made by an "editor" that rewrites the file it is given.
    const edits: [string, string][] = [
      ["# query: '\"Acme Cloud\" OR acmecloud -\"acme cloud anvil\"'", "query: '\"acme cloud\"'"],
      ['handles:\n  all:\n    - "acmecloud"\n', 'handles:\n  all:\n    - "AcmeCloudSupport"\n    - "acmecloud_team"\n'],
      ['\n  reddit:\n', `\n  reddit:\n    baseUrl: "${reddit.url}"\n    rateLimit: { requestsPerMinute: 6000 }\n`],
      ['\n  hn:\n', `\n  hn:\n    baseUrl: "${hn.url}"\n    hitsPerPage: 4\n    rateLimit: { requestsPerMinute: 6000 }\n`],
    ];
    const editor = join(bin, 'editor.mjs');
    writeFileSync(
      editor,
      [
        "import { readFileSync, writeFileSync } from 'node:fs';",
        'const file = process.argv[2];',
        'let text = readFileSync(file, "utf8");',
        `for (const [from, to] of ${JSON.stringify(edits)}) {`,
        '  if (!text.includes(from)) { console.error(`editor: ${JSON.stringify(from)} is not in ${file}`); process.exit(9); }',
        '  text = text.replace(from, to);',
        '}',
        'writeFileSync(file, text);',
        '',
      ].join('\n'),
    );
    writeFileSync(join(bin, 'edit'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(editor)} "$@"\n`);
    chmodSync(join(bin, 'edit'), 0o755);
    env = { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: join(root, 'home'), TZ: 'UTC', EARSHOT_NOW: NOW, EDITOR: join(bin, 'edit'), XDG_CACHE_HOME: join(root, 'cache') };
  });

  afterAll(async () => {
    if (!closed) await Promise.all([hn.close(), reddit.close()]);
  });

  it('init, edit, audit: exit 0, the terminal summary on stdout, and the folder with the six files it lists', async () => {
    const block = readmeBlock("## A consultant's audit, from config to HTML report");
    // The three steps, whatever their options: the run below checks that what they say is true.
    expect(block).toMatch(/^earshot init .*\n\$EDITOR earshot\.yml .*\nearshot audit .*\n$/);
    // `set -e`: a step that fails stops the block, so its exit code is the one that failed.
    const r = await runSh(`set -e\n${block}`, folder, env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Wrote earshot.yml');
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
    expect(r.stdout).toContain('earshot · Acme Cloud');
    expect(readdirSync(join(folder, 'reports'))).toEqual(['2026-11-23']);
    const out = join(folder, 'reports', '2026-11-23');
    expect(readdirSync(out).sort()).toEqual(REPORT_FILES);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
    expect(report.summary.overall.volume.total).toBeGreaterThan(0);
    expect(report.coverage.map((c) => [c.source, c.status])).toEqual([
      ['reddit', 'ok'],
      ['hn', 'ok'],
    ]);
    // Self-contained: no script or stylesheet fetched from elsewhere.
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).not.toMatch(/<(?:script|link)[^>]+(?:src|href)="https?:/i);
  }, 180_000);

  it('the same audit with --save-raw, then with --from-raw instead: the same report byte for byte, offline', async () => {
    const audit = readmeBlock("## A consultant's audit, from config to HTML report").split('\n').find((l) => l.startsWith('earshot audit '))!;
    const command = audit.replace(/\s+#.*$/, '');
    const saved = await runSh(`${command} --save-raw evidence/`, folder, env);
    expect(saved.code, saved.stderr).toBe(0);
    expect(existsSync(join(folder, 'evidence'))).toBe(true);
    const first = readFileSync(join(folder, 'reports', '2026-11-23', 'report.json'), 'utf8');
    await Promise.all([hn.close(), reddit.close()]);
    closed = true;
    // Offline, and a day later: the replay is at the recorded time.
    const replayed = await runSh(`${command} --from-raw evidence/`, folder, { ...env, EARSHOT_NOW: '2026-11-24T09:00:00Z' });
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(readFileSync(join(folder, 'reports', '2026-11-23', 'report.json'), 'utf8')).toBe(first);
  }, 180_000);
});
