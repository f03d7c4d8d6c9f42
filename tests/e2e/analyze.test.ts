import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/report.js';
import { ROOT, runCli } from '../helpers/run-cli.js';

const TWCS = `${ROOT}fixtures/input/twcs-sample.csv`;
const NOW = ['--now', '2026-11-23T09:00:00Z'];

describe('earshot analyze (end to end)', () => {
  it('prints a table that fits 80 columns, with no colour when not on a TTY', async () => {
    const r = await runCli(['analyze', TWCS, ...NOW]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Brands side by side');
    expect(r.stdout).toContain('Unanswered, furthest past its reply deadline first');
    expect(r.stdout).not.toMatch(/\u001b\[/);
    for (const line of r.stdout.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
  });

  it('gives per-brand response rate and median reply time that match an independent computation', async () => {
    const r = await runCli(['analyze', TWCS, ...NOW, '-f', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    // Independent route: walk the raw CSV's response_tweet_id links, using only which tweets earshot says need a reply.
    const rows = parse(readFileSync(TWCS), { columns: true }) as Record<string, string>[];
    const byId = new Map(rows.map((row) => [row.tweet_id!, row]));
    const needs = new Map(report.mentions.filter((m) => m.needsReply).map((m) => [m.id.replace('twitter:', ''), m.brand!]));
    const perBrand = new Map<string, { needing: number; answered: number; minutes: number[] }>();
    for (const [id, brand] of needs) {
      const t0 = Date.parse(byId.get(id)!.created_at!);
      let first: number | undefined;
      const stack = [...(byId.get(id)!.response_tweet_id ?? '').split(',').filter(Boolean)];
      const seen = new Set<string>();
      while (stack.length > 0) {
        const next = stack.pop()!;
        if (seen.has(next)) continue;
        seen.add(next);
        const row = byId.get(next);
        if (!row) continue;
        if (row.inbound === 'False') {
          const t = Date.parse(row.created_at!);
          if (first === undefined || t < first) first = t;
        }
        stack.push(...(row.response_tweet_id ?? '').split(',').filter(Boolean));
      }
      const b = perBrand.get(brand) ?? { needing: 0, answered: 0, minutes: [] };
      b.needing += 1;
      if (first !== undefined) {
        b.answered += 1;
        b.minutes.push(Math.max(0, first - t0) / 60000);
      }
      perBrand.set(brand, b);
    }
    expect(perBrand.size).toBe(3);
    for (const s of report.summary.brands) {
      const b = perBrand.get(s.brand)!;
      expect(s.response.needingReply).toBe(b.needing);
      expect(s.response.answered).toBe(b.answered);
      expect(s.response.rate).toBeCloseTo(b.answered / b.needing, 4);
      const sorted = b.minutes.sort((x, y) => x - y);
      const mid = (sorted.length - 1) / 2;
      const median = (sorted[Math.floor(mid)]! + sorted[Math.ceil(mid)]!) / 2;
      expect(s.response.medianMinutes).toBeCloseTo(median, 0);
    }
  });

  it('round-trips: ndjson output analysed again, then csv output analysed again, gives the same summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-e2e-'));
    const first = await runCli(['analyze', TWCS, ...NOW, '-f', 'ndjson', '-o', join(dir, 'a.ndjson')]);
    expect(first.code).toBe(0);
    const second = await runCli(['analyze', join(dir, 'a.ndjson'), ...NOW, '-f', 'csv', '-o', join(dir, 'a.csv')]);
    expect(second.code).toBe(0);
    const fromCsv = JSON.parse((await runCli(['analyze', join(dir, 'a.csv'), ...NOW, '-f', 'json'])).stdout) as Report;
    const direct = JSON.parse((await runCli(['analyze', TWCS, ...NOW, '-f', 'json'])).stdout) as Report;
    expect(fromCsv.summary.brands).toEqual(direct.summary.brands);
    expect(fromCsv.mentions.map((m) => m.id)).toEqual(direct.mentions.map((m) => m.id));
    // Only the final file exists: no temp files left behind by the atomic writes.
    expect(readdirSync(dir).sort()).toEqual(['a.csv', 'a.ndjson']);
  });

  it('reads its own --format json report back (report.json) with the same summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-e2e-'));
    expect((await runCli(['analyze', TWCS, ...NOW, '-f', 'json', '-o', join(dir, 'report.json')])).code).toBe(0);
    const again = await runCli(['analyze', join(dir, 'report.json'), ...NOW, '-f', 'json']);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe('');
    const first = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
    const second = JSON.parse(again.stdout) as Report;
    expect(second.summary.brands).toEqual(first.summary.brands);
    expect(second.mentions.map((m) => m.id)).toEqual(first.mentions.map((m) => m.id));
  });

  it('reads stdin with -', async () => {
    const r = await runCli(['analyze', '-', ...NOW, '-f', 'ndjson'], { input: readFileSync(`${ROOT}fixtures/input/mentions.ndjson`, 'utf8') });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; response: { status: string } });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => ['answered', 'unanswered', 'no-reply-needed'].includes(l.response.status))).toBe(true);
  });

  it('maps generic CSV columns with --map', async () => {
    const header = readFileSync(`${ROOT}fixtures/input/generic.csv`, 'utf8').split('\n')[0]!;
    expect(header.length).toBeGreaterThan(0);
    const dir = mkdtempSync(join(tmpdir(), 'earshot-e2e-'));
    const file = join(dir, 'posts.csv');
    writeFileSync(file, 'body,posted,who\n"=HYPERLINK(""http://evil"")",2026-11-20T10:00:00Z,ann\n"Is the API down? Getting 502s",2026-11-21T23:00:00Z,bob\n');
    const r = await runCli(['analyze', file, ...NOW, '--map', 'body=text', '--map', 'posted=createdAt', '--map', 'who=author', '-f', 'csv']);
    expect(r.code).toBe(0);
    const rows = parse(r.stdout, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(2);
    // A formula from user text is neutralised.
    expect(rows.find((x) => x.author_handle === 'ann')!.text!.startsWith("'=")).toBe(true);
    const bob = rows.find((x) => x.author_handle === 'bob')!;
    const brandPost = await runCli(['analyze', `${ROOT}fixtures/input/generic.csv`, ...NOW, '--map', 'Message=text', '--map', 'Posted=createdAt', '--map', 'Author=author', '--brand-handle', 'AcmeCloudHelp', '-f', 'csv']);
    expect(brandPost.stderr).toMatch(/no mention says what it replies to, so the brand's 1 post\(s\) count as broadcasts.*--map reply_to=parentId/);
    expect(bob.intent).toBe('question');
    expect(bob.status).toBe('unanswered');
  });

  it('reports a malformed line with its number, skips it, and fails with --strict', async () => {
    const file = `${ROOT}fixtures/input/mentions-malformed.ndjson`;
    const lenient = await runCli(['analyze', file, ...NOW, '-f', 'ndjson']);
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toMatch(/mentions-malformed\.ndjson:\d+: /);
    const strict = await runCli(['analyze', file, ...NOW, '-f', 'ndjson', '--strict']);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toMatch(/^earshot: .*mentions-malformed\.ndjson:\d+: /m);
    expect(strict.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('exits 2 with one sentence for usage errors', async () => {
    const missing = await runCli(['analyze', 'no-such-file.csv']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe("earshot: Cannot read 'no-such-file.csv': no such file; check the path.");
    const tz = await runCli(['analyze', TWCS, '--tz', 'Europe/Pariss']);
    expect(tz.code).toBe(2);
    expect(tz.stderr).toContain('Europe/Pariss');
    const flag = await runCli(['analyze', TWCS, '--format', 'xml']);
    expect(flag.code).toBe(2);
    const map = await runCli(['analyze', TWCS, '--map', 'nonsense']);
    expect(map.code).toBe(2);
  });

  it('treats a missing --compare file as a first run, and explains a report folder that cannot be made', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-e2e-'));
    const first = await runCli(['analyze', TWCS, ...NOW, '--compare', join(dir, 'latest', 'report.json'), '--out', join(dir, 'r')]);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('does not exist yet (a first run?)');
    writeFileSync(join(dir, 'afile'), 'x');
    const bad = await runCli(['analyze', TWCS, ...NOW, '--out', join(dir, 'afile'), '-q']);
    expect(bad.code).toBe(3);
    expect(bad.stderr.trim()).toBe(`earshot: Cannot create the report folder '${join(dir, 'afile')}': '${join(dir, 'afile')}' is a file, not a folder; choose another --out.`);
    const help = await runCli(['--help'], {});
    expect(help.code).toBe(0);
  });

  it('--compare reads the summary of a report without its mentions, and names what is wrong with a bad one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-e2e-'));
    expect((await runCli(['analyze', TWCS, ...NOW, '-f', 'json', '-o', join(dir, 'report.json'), '-q'])).code).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
    // The mentions are skipped, not parsed: a list that is not even valid JSON inside does not stop the comparison.
    const text = JSON.stringify({ ...report, mentions: ['MARK'] }, null, 2).replace('"MARK"', '{"id": not json}');
    writeFileSync(join(dir, 'odd.json'), text);
    const ok = await runCli(['analyze', TWCS, ...NOW, '-f', 'json', '--compare', join(dir, 'odd.json')]);
    expect(ok.code).toBe(0);
    expect((JSON.parse(ok.stdout) as Report).comparison?.previousGeneratedAt).toBe(report.generatedAt);
    writeFileSync(join(dir, 'array.json'), '[\n  1\n]\n');
    const arr = await runCli(['analyze', TWCS, ...NOW, '--compare', join(dir, 'array.json')]);
    expect(arr.code).toBe(2);
    expect(arr.stderr.trim()).toBe(`earshot: --compare '${join(dir, 'array.json')}', line 1: not an earshot report.json: not a JSON object (expected "{"); give the report.json of an earlier run.`);
    const folder = await runCli(['analyze', TWCS, ...NOW, '--compare', dir]);
    expect(folder.code).toBe(2);
    expect(folder.stderr.trim()).toBe(`earshot: Cannot read --compare '${dir}': it is a folder; give the report.json of an earlier run.`);
    writeFileSync(join(dir, 'bom.json'), `\uFEFF${readFileSync(join(dir, 'report.json'), 'utf8')}`);
    expect((await runCli(['analyze', TWCS, ...NOW, '-q', '--compare', join(dir, 'bom.json')])).code).toBe(0);
    writeFileSync(join(dir, 'bad.json'), '{\n  "schemaVersion": 1,\n  "summary": {"overall": tru}\n}\n');
    const bad = await runCli(['analyze', TWCS, ...NOW, '--compare', join(dir, 'bad.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe(`earshot: --compare '${join(dir, 'bad.json')}' is not valid JSON; give the report.json of an earlier run.`);
  });

  it('exits 3 when the output cannot be written, and leaves nothing behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-o-'));
    writeFileSync(join(dir, 'afile'), 'x');
    const target = join(dir, 'afile', 'sub', 'out.csv');
    const r = await runCli(['analyze', TWCS, '-o', target, '-f', 'csv']);
    expect(r.code).toBe(3);
    expect(r.stderr.trim()).toBe(`earshot: Cannot write '${target}': '${join(dir, 'afile')}' is a file, not a folder; choose another -o path.`);
    expect(readdirSync(dir)).toEqual(['afile']);
    const folder = await runCli(['analyze', TWCS, '-o', dir, '-f', 'csv']);
    expect(folder.code).toBe(3);
    expect(folder.stderr.trim()).toBe(`earshot: Cannot write '${dir}': it is a folder; give a file name, e.g. -o ${join(dir, 'report.csv')}.`);
  });

  it('-o creates missing parent folders, as --out does (the cron recipe\'s first run)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-o-'));
    const target = join(dir, 'reports', '2026', 'mentions-2026-11-16.csv');
    const r = await runCli(['analyze', TWCS, ...NOW, '-o', target, '-f', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(target, 'utf8').split('\n')[0]).toMatch(/^id,source,/);
    expect(readdirSync(join(dir, 'reports', '2026'))).toEqual(['mentions-2026-11-16.csv']);
  });

  it('--help lists exit codes and --version prints the version on stdout', async () => {
    const help = await runCli(['analyze', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes:');
    expect(help.stdout).toContain('--business-hours');
    const v = await runCli(['--version']);
    expect(v.stdout.trim()).toBe(JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).version);
  });
});
