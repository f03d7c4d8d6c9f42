/** Issue #14 item 2, end to end: `analyze` of a file without --now is as of the newest time in the file. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/report.js';
import { runCli } from '../helpers/run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'earshot-asof-'));
const file = join(work, 'old.ndjson');
const lines = [
  { id: 'x:1', source: 'x', kind: 'post', author: { handle: 'ann' }, fromBrand: false, text: 'How do I reset my password?', createdAt: '2017-10-20T10:00:00Z', engagement: {} },
  { id: 'x:2', source: 'x', kind: 'post', author: { handle: 'bob' }, fromBrand: false, text: 'Where is my refund? Still waiting.', createdAt: '2017-10-30T10:00:00Z', engagement: {} },
  { id: 'x:3', source: 'x', kind: 'comment', parentId: 'x:2', author: { handle: 'acme' }, fromBrand: true, text: 'Sorry, it is on its way today.', createdAt: '2017-11-02T10:00:00Z', engagement: {} },
];
writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
// A wall clock years later: it must not show through.
const clock = () => new Date('2026-12-04T12:00:00Z');

describe('analyze: the as-of time', () => {
  it('without --now is the newest time in the input, said in the header, whatever the wall clock', async () => {
    const json = await runCli(['analyze', file, '-f', 'json'], { clock });
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as Report;
    expect(report.generatedAt).toBe('2017-11-02T10:00:00.000Z');
    expect(report.settings.asOfFrom).toBe('input');
    const open = report.mentions.find((m) => m.id === 'x:1')!.response.openMinutes!;
    expect(open).toBe((Date.parse('2017-11-02T10:00:00Z') - Date.parse('2017-10-20T10:00:00Z')) / 60_000);
    const table = await runCli(['analyze', file], { clock });
    expect(table.stdout).toMatch(/^As of 2017-11-02 10:00 UTC \(newest in input\)$/m);
    // The same bytes from a pipe as from the file.
    const piped = await runCli(['analyze', '-', '-f', 'json'], { clock, input: readFileSync(file, 'utf8') });
    expect(piped.stdout.replace('"<stdin>"', JSON.stringify(file))).toBe(json.stdout);
  });

  it('--now caps the data: later mentions are not counted and a later reply answers nothing', async () => {
    const r = await runCli(['analyze', file, '--now', '2017-11-01T00:00:00Z', '-f', 'json'], { clock });
    const report = JSON.parse(r.stdout) as Report;
    expect(report.summary.overall.volume.total).toBe(2);
    expect(report.summary.overall.response.answered).toBe(0);
    expect(report.mentions.find((m) => m.id === 'x:2')!.response.status).toBe('unanswered');
    expect(r.stderr).toMatch(/1 mention was created after the as-of time 2017-11-01T00:00:00.000Z and left out/);
  });
});
