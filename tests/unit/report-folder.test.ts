/**
 * `--out DIR` written by two runs at once (issue 19, item 12): each file is renamed into place atomically, but two
 * runs interleaving their six renames used to leave a folder with some files from each. The folder is locked
 * while it is written (`.earshot.lock` with the process id); the second run is told, and a lock left by a process
 * that no longer exists is taken over.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeReportFolder } from '../../src/cli/report-folder.js';
import { OutputError } from '../../src/core/errors.js';
import type { Report } from '../../src/core/report.js';
import { sampleReport } from '../golden/sample.js';

const FILES = ['daily.csv', 'mentions.csv', 'report.html', 'report.json', 'summary.csv', 'unanswered.csv'];
const OPTIONS = { rawCsv: false, top: 10 };
/** No process has this id (Linux's pid_max is at most 2^22). */
const GONE = 2 ** 30;

let acme: Report;
let twcs: Report;

beforeAll(async () => {
  acme = await sampleReport('acme');
  twcs = await sampleReport('twcs');
});

/** Which sample each written file came from, read from report.json's and mentions.csv's own content. */
function writtenFrom(dir: string): string[] {
  const json = readFileSync(join(dir, 'report.json'), 'utf8');
  const csv = readFileSync(join(dir, 'mentions.csv'), 'utf8');
  return [json.includes('"Acme Cloud"') ? 'acme' : 'twcs', csv.includes('Acme Cloud') ? 'acme' : 'twcs'];
}

describe('the --out folder is locked while it is written', () => {
  it('two writes into one folder at once: one is refused with a sentence naming the folder, the other leaves a whole set', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'earshot-out-')), 'report');
    const results = await Promise.allSettled([writeReportFolder(acme, dir, OPTIONS), writeReportFolder(twcs, dir, OPTIONS)]);
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused).toHaveLength(1);
    const error = (refused[0] as PromiseRejectedResult).reason as Error;
    expect(error).toBeInstanceOf(OutputError);
    expect(error.message).toBe(`The report folder '${dir}' is being written by another earshot run (process ${process.pid}); wait for it to finish, or choose another --out.`);
    expect(readdirSync(dir).sort()).toEqual(FILES);
    const winner = results[0]!.status === 'fulfilled' ? 'acme' : 'twcs';
    expect(writtenFrom(dir)).toEqual([winner, winner]);
  });

  it('a lock held by a live process refuses the run and leaves the folder as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-out-'));
    writeFileSync(join(dir, '.earshot.lock'), `${process.pid}\n`);
    writeFileSync(join(dir, 'report.json'), 'the other run\'s\n');
    await expect(writeReportFolder(acme, dir, OPTIONS)).rejects.toThrow(`is being written by another earshot run (process ${process.pid})`);
    expect(readdirSync(dir).sort()).toEqual(['.earshot.lock', 'report.json']);
    expect(readFileSync(join(dir, 'report.json'), 'utf8')).toBe('the other run\'s\n');
  });

  it('a lock left by a process that is gone is taken over, and no lock is left after a write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-out-'));
    writeFileSync(join(dir, '.earshot.lock'), `${GONE}\n`);
    expect(await writeReportFolder(acme, dir, OPTIONS)).toBe(dir);
    expect(readdirSync(dir).sort()).toEqual(FILES);
    expect(writtenFrom(dir)).toEqual(['acme', 'acme']);
  });
});
