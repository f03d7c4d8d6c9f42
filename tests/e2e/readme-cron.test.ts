/**
 * The README's weekly cron job, run literally (issue 14, item 7): the script block under "A weekly cron job" is
 * written to weekly.sh in an empty folder beside an earshot.yml that points Hacker News at a fixture server, and
 * run with sh — twice on the same day, then once more after a week has "passed" (today's folder renamed to a
 * week earlier). Checks the files, the exit codes and what --compare compared with: nothing on the first run,
 * nothing on a same-day rerun (never the report it is replacing), and last week's report after that.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFixtureDir, type FixtureRoute, type FixtureServer } from '../helpers/fixture-server.js';
import type { Report } from '../../src/core/report.js';
import { ROOT } from '../helpers/run-cli.js';
import { README, readmeBlock, REPORT_FILES } from '../helpers/readme.js';

let hn: FixtureServer;
let folder = '';
let bin = '';

/** Runs `sh weekly.sh` in the audit folder, with earshot (the built CLI) on PATH and the audit clock fixed. */
function runScript(): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['weekly.sh'], {
      cwd: folder,
      env: { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: join(folder, '..', 'home'), TZ: 'UTC', EARSHOT_NOW: '2026-11-23T09:00:00Z' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stdout.resume();
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

/** The one report folder named by a day (the script names it with `date +%F`). */
function dayFolders(): string[] {
  return readdirSync(join(folder, 'reports')).filter((f) => /^\d{4}-\d{2}-\d{2}$/.test(f)).sort();
}

const reportIn = (day: string): Report => JSON.parse(readFileSync(join(folder, 'reports', day, 'report.json'), 'utf8')) as Report;

beforeAll(async () => {
  // The recorded routes name one audit window; the script's `--since 7d` asks for another, so match on the rest.
  const routes = (JSON.parse(readFileSync(join(ROOT, 'fixtures/sources/hn/routes.json'), 'utf8')) as { routes: FixtureRoute[] }).routes.map((r) => {
    const query = { ...r.query };
    delete query.numericFilters;
    return { ...r, query, ...(r.file ? { file: join(ROOT, 'fixtures/sources/hn', r.file) } : {}) };
  });
  hn = await serveFixtureDir([], { routes });
  const root = mkdtempSync(join(tmpdir(), 'earshot-cron-'));
  folder = join(root, 'audits');
  bin = join(root, 'bin');
  mkdirSync(folder);
  mkdirSync(bin);
  writeFileSync(join(bin, 'earshot'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(join(ROOT, 'bin/earshot.js'))} "$@"\n`);
  chmodSync(join(bin, 'earshot'), 0o755);
  writeFileSync(
    join(folder, 'earshot.yml'),
    ['brand: Acme Cloud', 'query: \'"acme cloud"\'', 'handles:', '  all: [AcmeCloudSupport, acmecloud_team]', 'sources:', `  hn: { baseUrl: "${hn.url}", hitsPerPage: 4, rateLimit: { requestsPerMinute: 6000 } }`, ''].join('\n'),
  );
  writeFileSync(join(folder, 'weekly.sh'), readmeBlock('## A weekly cron job'));
});

afterAll(async () => {
  await hn.close();
});

describe("the README's weekly cron job, run literally", () => {
  it('the crontab line runs the script the README shows', () => {
    expect(README).toContain('`0 7 * * 1  /srv/audits/weekly.sh`');
    expect(readFileSync(join(folder, 'weekly.sh'), 'utf8')).toMatch(/^#!\/bin\/sh\n[\s\S]*earshot audit --since 7d --quiet --out "reports\/\$d"/);
  });

  it('first run in an empty folder: creates reports/, writes the folder and the CSV, breaches the threshold (exit 1), compares with nothing', async () => {
    const r = await runScript();
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^earshot: threshold breached: /m);
    expect(r.stderr).not.toContain('Cannot write');
    const days = dayFolders();
    expect(days).toHaveLength(1);
    const day = days[0]!;
    expect(readdirSync(join(folder, 'reports')).sort()).toEqual([day, `mentions-${day}.csv`]);
    expect(readdirSync(join(folder, 'reports', day)).sort()).toEqual(REPORT_FILES);
    const csv = readFileSync(join(folder, 'reports', `mentions-${day}.csv`), 'utf8');
    expect(csv.split('\n')[0]).toMatch(/^id,source,kind,brand,/);
    expect(csv.trim().split('\n').length).toBeGreaterThan(1);
    const report = reportIn(day);
    expect(report.summary.overall.volume.total).toBeGreaterThan(0);
    expect(report.comparison).toBeUndefined();
  }, 60_000);

  it('a same-day rerun replaces today\'s files and does not compare the report with itself', async () => {
    const day = dayFolders()[0]!;
    const before = readFileSync(join(folder, 'reports', day, 'report.json'), 'utf8');
    const csvBefore = readFileSync(join(folder, 'reports', `mentions-${day}.csv`), 'utf8');
    const r = await runScript();
    expect(r.code, r.stderr).toBe(1);
    expect(dayFolders()).toEqual([day]);
    expect(reportIn(day).comparison).toBeUndefined();
    // Same input and audit clock: the same bytes (a comparison with itself would have added one).
    expect(readFileSync(join(folder, 'reports', day, 'report.json'), 'utf8')).toBe(before);
    expect(readFileSync(join(folder, 'reports', `mentions-${day}.csv`), 'utf8')).toBe(csvBefore);
    expect(readdirSync(join(folder, 'reports', day)).sort()).toEqual(REPORT_FILES);
  }, 60_000);

  it('a week later it compares with the newest earlier report', async () => {
    const day = dayFolders()[0]!;
    const lastWeek = new Date(Date.parse(`${day}T00:00:00Z`) - 7 * 86_400_000).toISOString().slice(0, 10);
    const older = new Date(Date.parse(`${day}T00:00:00Z`) - 14 * 86_400_000).toISOString().slice(0, 10);
    renameSync(join(folder, 'reports', day), join(folder, 'reports', lastWeek));
    // An older report, made different so that comparing with it (the wrong one) would show.
    mkdirSync(join(folder, 'reports', older));
    const old = reportIn(lastWeek);
    writeFileSync(join(folder, 'reports', older, 'report.json'), JSON.stringify({ ...old, generatedAt: '2026-11-09T09:00:00.000Z' }));
    const r = await runScript();
    expect(r.code, r.stderr).toBe(1);
    expect(dayFolders()).toEqual([older, lastWeek, day]);
    const cmp = reportIn(day).comparison;
    expect(cmp?.previousGeneratedAt).toBe(old.generatedAt);
    const mentions = cmp!.brands[0]!.changes.find((c) => c.figure === 'mentions')!;
    expect(mentions).toMatchObject({ previous: old.summary.overall.volume.total, current: old.summary.overall.volume.total, change: 0 });
  }, 60_000);
});
