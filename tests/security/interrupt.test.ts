/**
 * Interruption: SIGINT/SIGTERM in the middle of `earshot audit -o out.csv --save-raw DIR --cache-dir C` (the fixture
 * server answers slowly so the signal lands mid-run). The output file is complete or absent (never a torn file or a
 * leftover temp file), the raw evidence lists only files that exist with their sha256, and a rerun with the same
 * cache makes fewer requests than a cold run. A second signal (hard quit, exit 130) keeps the same guarantees.
 * `analyze` quits at the first signal (130 for SIGINT, 143 for SIGTERM) and leaves no temp file (issue 19, item 12).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRawManifest } from '../../src/http/index.js';
import { serveFixtureDir, type FixtureServer } from '../helpers/fixture-server.js';
import { ROOT } from '../helpers/run-cli.js';

let server: FixtureServer;
let dir = '';
let coldRequests = 0;

interface Run {
  code: number | null;
  stderr: string;
  requests: number;
}

/** Runs an audit of HN against the slow server; with `signal`, sends it once `after` requests have arrived (twice when `twice`). */
function audit(tag: string, extra: string[], signal?: { name: NodeJS.Signals; after: number; twice?: boolean }): Promise<Run> {
  server.resetLog();
  const args = [
    join(ROOT, 'bin/earshot.js'), 'audit', 'acme cloud', '--source', 'hn', '--base-url', `hn=${server.url}`, '--source-option', 'hn.hitsPerPage=4',
    '--since', '2026-11-09', '--now', '2026-11-23T09:00:00Z', '-f', 'csv', ...extra,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', HOME: join(dir, `home-${tag}`), TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.resume();
    let poll: NodeJS.Timeout | undefined;
    if (signal) {
      poll = setInterval(() => {
        if (server.requests.length < signal.after) return;
        clearInterval(poll);
        child.kill(signal.name);
        // Two signals sent back to back can reach the process as one: send the second once the first was handled.
        if (signal.twice) {
          let sent = false;
          const second = (): void => {
            if (sent || !stderr.includes('Interrupted:')) return;
            sent = true;
            child.kill(signal.name);
          };
          second();
          child.stderr.on('data', second);
        }
      }, 5);
    }
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      clearTimeout(killer);
      resolve({ code, stderr, requests: server.requests.length });
    });
  });
}

/** The output is absent, or a whole CSV: header, rows with the right cell count, ending in a newline. */
function checkOutput(folder: string, file: string): Record<string, string>[] | undefined {
  const leftovers = readdirSync(folder).filter((f) => f.endsWith('.tmp'));
  expect(leftovers).toEqual([]);
  const path = join(folder, file);
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  const rows = parse(text, { columns: true }) as Record<string, string>[];
  expect(Object.keys(rows[0] ?? { id: '', text: '' })).toEqual(expect.arrayContaining(['id', 'text']));
  return rows;
}

/** Every recorded body file exists and hashes to what the manifest (or, after a hard quit, the journal) says. */
async function checkRaw(raw: string): Promise<number> {
  const manifest = await loadRawManifest(raw);
  for (const e of manifest.entries) {
    if (e.file === undefined) continue;
    const bytes = readFileSync(join(raw, e.file));
    expect(createHash('sha256').update(bytes).digest('hex'), e.file).toBe(e.sha256);
    expect(bytes.length).toBe(e.bytes);
  }
  const listed = new Set(manifest.entries.map((e) => e.file).filter((f) => f !== undefined));
  const onDisk = readdirSync(raw).filter((f) => !f.startsWith('manifest.'));
  // No stray body files: everything on disk is accounted for (a torn last journal line may drop one entry).
  expect(onDisk.filter((f) => !listed.has(f)).length).toBeLessThanOrEqual(1);
  return manifest.entries.length;
}

beforeAll(async () => {
  server = await serveFixtureDir(join(ROOT, 'fixtures/sources/hn'));
  // Slow answers: the audit takes seconds, so a signal lands while requests are in flight.
  server.fault({ fault: { kind: 'latency', ms: 250 } });
  dir = mkdtempSync(join(tmpdir(), 'earshot-interrupt-'));
  const cold = await audit('cold', ['--no-cache', '-o', join(dir, 'cold.csv')]);
  expect(cold.code).toBe(0);
  coldRequests = cold.requests;
}, 30_000);

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('interrupting an audit', () => {
  it('needs several requests when nothing is cached (the baseline)', () => {
    expect(coldRequests).toBeGreaterThanOrEqual(5);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('%s once: finishes with what was fetched, output whole, evidence intact; a rerun resumes from the cache', async (name) => {
    const folder = mkdtempSync(join(dir, `${name}-`));
    const cache = join(folder, 'cache');
    const run = await audit(name, ['-o', join(folder, 'out.csv'), '--save-raw', join(folder, 'raw'), '--cache-dir', cache], { name, after: 3 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('Interrupted: finishing with what was fetched so far');
    expect(run.stderr).toContain('hn: partial (interrupted)');
    expect(run.requests).toBeLessThan(coldRequests);
    const rows = checkOutput(folder, 'out.csv');
    expect(rows, 'the first signal keeps the partial report').toBeDefined();
    expect(rows!.length).toBeGreaterThan(0);
    expect(readdirSync(join(folder, 'raw'))).toContain('manifest.json');
    expect(await checkRaw(join(folder, 'raw'))).toBeGreaterThan(0);

    const rerun = await audit(`${name}-rerun`, ['-o', join(folder, 'again.csv'), '--cache-dir', cache]);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stderr).not.toContain('partial');
    expect(rerun.requests).toBeLessThan(coldRequests);
    expect(checkOutput(folder, 'again.csv')!.length).toBeGreaterThan(rows!.length);
  }, 30_000);


  it.each(['SIGINT', 'SIGTERM'] as const)('%s twice (hard quit): exit 130, output whole or absent, journal intact', async (name) => {
    const folder = mkdtempSync(join(dir, `${name}-twice-`));
    const run = await audit(`${name}-twice`, ['-o', join(folder, 'out.csv'), '--save-raw', join(folder, 'raw'), '--cache-dir', join(folder, 'cache')], { name, after: 3, twice: true });
    expect(run.code).toBe(130);
    // src/cli/io.ts removes open temp files in an exit hook, so even a hard quit leaves no debris.
    checkOutput(folder, 'out.csv');
    await checkRaw(join(folder, 'raw'));
  }, 30_000);
});

describe('interrupting analyze', () => {
  it.each([['SIGINT', 130], ['SIGTERM', 143]] as const)('%s while it reads: exits %i and leaves neither the temp file nor a torn output', async (name, status) => {
    const folder = mkdtempSync(join(dir, `analyze-${name}-`));
    const lines = readFileSync(join(ROOT, 'fixtures/input/mentions.ndjson'), 'utf8').split('\n').slice(0, 3).join('\n');
    const child = spawn(process.execPath, [join(ROOT, 'bin/earshot.js'), 'analyze', '-', '-f', 'json', '-o', join(folder, 'out.json'), '--now', '2026-11-23T09:00:00Z'], {
      env: { PATH: process.env.PATH ?? '', HOME: folder, TZ: 'UTC' },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    // Part of the input, and stdin left open: analyze has its temp output open and waits for the rest.
    child.stdin.write(`${lines}\n`);
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const poll = setInterval(() => {
      if (readdirSync(folder).some((f) => f.endsWith('.tmp'))) {
        clearInterval(poll);
        child.kill(name);
      }
    }, 5);
    const end = await closed;
    clearInterval(poll);
    clearTimeout(killer);
    expect(end, stderr).toEqual({ code: status, signal: null });
    expect(readdirSync(folder)).toEqual([]);
  }, 30_000);
});
