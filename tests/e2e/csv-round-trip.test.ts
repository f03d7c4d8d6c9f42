/** Issue #14 item 5: earshot's own mentions.csv, read back, gives the same figures as its report.json. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/report.js';
import { ROOT, runCli } from '../helpers/run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'earshot-roundtrip-'));
const SETTINGS = ['--tz', 'Europe/Berlin', '--business-hours', 'Mon-Fri 09:00-17:00', '--brand', 'Acme Cloud'];

describe('the report folder mentions.csv read back', () => {
  it('gives the same figures as report.json, App Store replies that cannot be seen and estimated times included', async () => {
    const input = join(work, 'in.ndjson');
    const extra = [
      { id: 'appstore:1', source: 'appstore', kind: 'review', author: { handle: 'kim' }, fromBrand: false, title: 'Crashes on start', text: 'The app crashes every time I open it.', rating: 1, createdAt: '2024-03-06T09:00:00Z', engagement: {}, replyObservable: false },
      { id: 'appstore:2', source: 'appstore', kind: 'review', author: { handle: 'lee' }, title: 'Does it work offline?', text: 'Looks nice.', rating: 4, createdAt: '2024-03-06T10:00:00Z', engagement: {}, replyObservable: false },
      // A complaint whose time the source could not give: answered, but its reply is not timed (docs/mention.md).
      { id: 'forum:1', source: 'forum', kind: 'post', author: { handle: 'ana' }, fromBrand: false, text: 'The export has been broken for a week, this is terrible.', createdAt: '2024-03-05T09:00:00Z', dateEstimated: true, threadId: 'forum:1', engagement: {} },
      { id: 'forum:2', source: 'forum', kind: 'comment', author: { handle: 'acme' }, fromBrand: true, text: 'Sorry about that, a fix ships today.', createdAt: '2024-03-07T09:00:00Z', parentId: 'forum:1', threadId: 'forum:1', engagement: {} },
    ];
    writeFileSync(input, readFileSync(`${ROOT}fixtures/input/mentions.ndjson`, 'utf8').trimEnd() + '\n' + extra.map((m) => JSON.stringify(m)).join('\n') + '\n');
    const out = join(work, 'folder');
    const first = await runCli(['analyze', input, ...SETTINGS, '--now', '2024-03-08T12:00:00Z', '--out', out, '-q']);
    expect(first.code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
    expect(report.summary.overall.volume.bySource.find((s) => s.source === 'appstore')!.unobservable).toBe(2);
    const estimated = report.mentions!.find((m) => m.id === 'forum:1')!;
    expect(estimated.dateEstimated).toBe(true);
    expect(estimated.response.status).toBe('answered');
    expect(estimated.response.replyMinutes).toBeUndefined();
    expect(readFileSync(join(out, 'mentions.csv'), 'utf8').split('\n')[0]!.endsWith(',reply_observable,date_estimated')).toBe(true);
    const again = await runCli(['analyze', join(out, 'mentions.csv'), ...SETTINGS, '--now', report.generatedAt, '-f', 'json']);
    expect(again.code).toBe(0);
    const back = JSON.parse(again.stdout) as Report;
    expect(back.summary).toEqual(report.summary);
  });
});
