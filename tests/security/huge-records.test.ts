/**
 * Huge records (#19 item 10): a 200 MB record in an input file is skipped with its `file:line`, on stderr without
 * --debug, and the run ends in seconds inside a 256 MB heap. One 200 MB NDJSON line once died out of memory after
 * 262 s, a 200 MB non-JSON line took 214 s (quadratic line splitting), and a 200 MB CSV line ended the read there
 * after a minute. The built CLI runs in a child process with `--max-old-space-size=256`, so running out of memory
 * fails the test instead of slowing it. The files are written to a temp folder a megabyte at a time.
 */
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnCli } from '../helpers/run-cli.js';

const MB = 1 << 20;
const HUGE_MB = 200;
const dir = mkdtempSync(join(tmpdir(), 'earshot-huge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `head`, then `HUGE_MB` megabytes of `fill`, then `tail` to a file in the temp folder, streamed. */
async function hugeFile(name: string, head: string, fill: string, tail: string): Promise<string> {
  const path = join(dir, name);
  const out = createWriteStream(path);
  const block = fill.repeat(MB / fill.length);
  out.write(head);
  for (let i = 0; i < HUGE_MB; i += 1) if (!out.write(block)) await once(out, 'drain');
  out.end(tail);
  await once(out, 'finish');
  return path;
}

const mention = (id: string, text: string, day: number): string => JSON.stringify({ id, text, createdAt: `2026-11-${day}T10:00:00Z` });

/** Runs `earshot analyze <file> -f json` in a 256 MB heap and returns the ids it read and what it said on stderr. */
async function analyze(path: string): Promise<{ ids: string[]; stderr: string; ms: number }> {
  const started = Date.now();
  const run = await spawnCli(['analyze', path, '-f', 'json', '--now', '2026-11-23T09:00:00Z'], { nodeArgs: ['--max-old-space-size=256'], timeoutMs: 100_000 });
  const ms = Date.now() - started;
  expect(run.code, run.stderr).toBe(0);
  const report = JSON.parse(run.stdout) as { mentions: { id: string }[] };
  return { ids: report.mentions.map((m) => m.id), stderr: run.stderr, ms };
}

describe('a 200 MB record in the input', () => {
  it('NDJSON: a 200 MB JSON line is skipped by file:line without --debug, the lines around it read', async () => {
    const path = await hugeFile('string.ndjson', `${mention('t:1', 'Acme Cloud is great', 20)}\n{"id":"t:2","text":"`, 'x', `","createdAt":"2026-11-20T10:00:00Z"}\n${mention('t:3', 'Acme Cloud is down', 21)}\n`);
    const { ids, stderr, ms } = await analyze(path);
    expect(ids.sort()).toEqual(['t:1', 't:3']);
    expect(stderr).toContain(`warning: ${path}:2: a record longer than 4,194,304 characters; skipped.\n`);
    expect(ms).toBeLessThan(60_000);
  }, 120_000);

  it('NDJSON: a 200 MB line that is not JSON at all is skipped in linear time', async () => {
    const path = await hugeFile('junk.ndjson', `${mention('t:1', 'Acme Cloud is great', 20)}\n`, 'not json ', `\n${mention('t:3', 'Acme Cloud is down', 21)}\n`);
    const { ids, stderr, ms } = await analyze(path);
    expect(ids.sort()).toEqual(['t:1', 't:3']);
    expect(stderr).toContain(`warning: ${path}:2: a record longer than 4,194,304 characters; skipped.\n`);
    expect(ms).toBeLessThan(60_000);
  }, 120_000);

  it('CSV: a 200 MB cell is skipped by file:line and the rows after it are read (csv-parse stopped there)', async () => {
    const path = await hugeFile('cell.csv', 'id,text,createdAt\nt:1,Acme Cloud is great,2026-11-20T10:00:00Z\nt:2,', 'z', ',2026-11-20T10:00:00Z\nt:3,Acme Cloud is down,2026-11-21T10:00:00Z\n');
    const { ids, stderr, ms } = await analyze(path);
    expect(ids.sort()).toEqual(['t:1', 't:3']);
    expect(stderr).toContain(`warning: ${path}:3: a record longer than 1,048,576 characters; skipped.\n`);
    expect(ms).toBeLessThan(60_000);
  }, 120_000);
});
