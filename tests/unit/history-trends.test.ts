/** Trends across weeks (issue 17 item 7): --history reads earlier report.json files and adds trend lines. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BrandSummary, Report } from '../../src/core/report.js';
import { buildTrends, renderTrendsCsv, sparkline, trendsHtmlSection, trendTableLines } from '../../src/report/history.js';
import { renderTable } from '../../src/report/table.js';
import { renderHtml } from '../../src/report/html.js';
import { plainStyle } from '../../src/report/style.js';
import { outputChoices, commonSettings } from '../../src/cli/settings.js';
import type { CliDeps } from '../../src/cli/main.js';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { analyze } from '../../src/index.js';
import { mention } from '../helpers/make-mention.js';

const TWCS = `${ROOT}fixtures/input/twcs-sample.csv`;
const NOW = ['--now', '2026-11-23T09:00:00Z'];
const BRAND = 'AcmeCloudHelp';

/** An earlier report: this run's shape, its mentions left out, each brand's figures set to the week's values. */
function earlier(base: Report, generatedAt: string, week: { mentions: number; rate: number; median: number; negative: number; substantive?: number }): string {
  const edit = (b: BrandSummary): BrandSummary => {
    const response: Record<string, unknown> = { ...b.response, rate: week.rate, medianMinutes: week.median, substantiveRate: week.substantive ?? null };
    // An older earshot had no substantive rate: the field is absent, not zero.
    if (week.substantive === undefined) delete response.substantiveRate;
    return { ...b, volume: { ...b.volume, total: week.mentions }, sentiment: { ...b.sentiment, negativeShare: week.negative }, response: response as BrandSummary['response'] };
  };
  // The mentions are junk on purpose: --history must skip them, never read them as mentions.
  return JSON.stringify({ ...base, generatedAt, comparison: undefined, summary: { overall: edit(base.summary.overall), brands: base.summary.brands.map(edit) }, mentions: [{ not: 'a mention' }, 42] }, null, 2);
}

let current: Report;
let dir: string;
beforeAll(async () => {
  const r = await runCli(['analyze', TWCS, ...NOW, '-f', 'json']);
  expect(r.code).toBe(0);
  current = JSON.parse(r.stdout) as Report;
  dir = mkdtempSync(join(tmpdir(), 'earshot-history-'));
  // Two in --out report folders, one a plain file; written out of date order, so order must come from generatedAt.
  mkdirSync(join(dir, '2026-11-09'));
  writeFileSync(join(dir, '2026-11-09', 'report.json'), earlier(current, '2026-11-09T09:00:00.000Z', { mentions: 12, rate: 0.6, median: 60, negative: 0.5, substantive: 0.3 }));
  mkdirSync(join(dir, '2026-11-02'));
  writeFileSync(join(dir, '2026-11-02', 'report.json'), earlier(current, '2026-11-02T09:00:00.000Z', { mentions: 10, rate: 0.5, median: 120, negative: 0.6 }));
  writeFileSync(join(dir, 'week-3.json'), earlier(current, '2026-11-16T09:00:00.000Z', { mentions: 14, rate: 0.7, median: 30, negative: 0.45, substantive: 0.25 }));
  writeFileSync(join(dir, 'broken.json'), '{"schemaVersion": 1, "summary": {');
  writeFileSync(join(dir, 'future.json'), JSON.stringify({ ...JSON.parse(earlier(current, '2026-11-20T09:00:00.000Z', { mentions: 99, rate: 1, median: 1, negative: 0 })), schemaVersion: 99 }));
  writeFileSync(join(dir, 'notes.txt'), 'not a report');
});

describe('--history', () => {
  it('adds trend values per brand to report.json, oldest first, this run last; bad files are named and skipped', async () => {
    const r = await runCli(['analyze', TWCS, ...NOW, '-f', 'json', '--history', dir]);
    expect(r.code).toBe(0);
    const t = (JSON.parse(r.stdout) as Report).trends!;
    expect(t.figures).toEqual(['mentions', 'response_rate', 'substantive_rate', 'median_reply_minutes', 'negative_share']);
    expect(t.reports).toEqual([
      { generatedAt: '2026-11-02T09:00:00.000Z', file: join('2026-11-02', 'report.json') },
      { generatedAt: '2026-11-09T09:00:00.000Z', file: join('2026-11-09', 'report.json') },
      { generatedAt: '2026-11-16T09:00:00.000Z', file: 'week-3.json' },
      { generatedAt: '2026-11-23T09:00:00.000Z' },
    ]);
    expect(t.brands.map((b) => b.brand)).toEqual([...current.summary.brands.map((b) => b.brand), '(all)']);
    const acme = Object.fromEntries(t.brands.find((b) => b.brand === BRAND)!.series.map((s) => [s.figure, s.values]));
    const now = current.summary.brands.find((b) => b.brand === BRAND)!;
    expect(acme.mentions).toEqual([10, 12, 14, now.volume.total]);
    expect(acme.response_rate).toEqual([0.5, 0.6, 0.7, now.response.rate]);
    // The oldest report predates the substantive rate: unknown, not 0.
    expect(acme.substantive_rate).toEqual([null, 0.3, 0.25, now.response.substantiveRate]);
    expect(acme.median_reply_minutes).toEqual([120, 60, 30, now.response.medianMinutes]);
    expect(acme.negative_share).toEqual([0.6, 0.5, 0.45, now.sentiment.negativeShare]);
    expect(r.stderr).toContain(`--history '${join(dir, 'broken.json')}' skipped: line 1: not an earshot report.json`);
    expect(r.stderr).toContain(`--history '${join(dir, 'future.json')}' skipped: schemaVersion 99 is newer than this earshot understands (1)`);
    expect(r.stderr).not.toContain('notes.txt');
  });

  it('prints plain numbers off a terminal, sparklines on one', async () => {
    const r = await runCli(['analyze', TWCS, ...NOW, '--history', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Trends over 4 reports (2026-11-02 to 2026-11-23, oldest first)');
    const now = current.summary.brands.find((b) => b.brand === BRAND)!;
    // One row per report, plain numbers: the first brand is AcmeCloudHelp.
    const block = r.stdout.slice(r.stdout.indexOf('Trends over'));
    expect(block).toContain('  AcmeCloudHelp\n    As of             Mentions  Rate  Substantive  Median reply  Negative\n    2026-11-02 09:00        10   50%            —            2h       60%\n    2026-11-09 09:00        12   60%          30%            1h       50%\n');
    expect(r.stdout).not.toMatch(/[▁▂▃▄▅▆▇█]/);
    for (const line of r.stdout.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    const json = JSON.parse((await runCli(['analyze', TWCS, ...NOW, '-f', 'json', '--history', dir])).stdout) as Report;
    const tty = renderTable(json, { style: plainStyle, width: 80, sparklines: true });
    expect(tty).toMatch(new RegExp(`Mentions +▁▃▅█  10 → ${now.volume.total}`));
    // Which one the CLI picks: a terminal on stdout, not a file or a pipe.
    const deps = (isTTY: boolean): CliDeps => ({ stdout: { isTTY, columns: 80 }, stderr: { isTTY: false }, env: {} }) as unknown as CliDeps;
    const choose = (isTTY: boolean, output?: string): boolean | undefined => {
      const o = { format: 'table', top: 10, rawCsv: false, ...(output ? { output } : {}) } as Parameters<typeof outputChoices>[0];
      return outputChoices(o, deps(isTTY), commonSettings({}, deps(isTTY), 'table')).sparklines;
    };
    expect([choose(true), choose(false), choose(true, 'out.txt')]).toEqual([true, false, false]);
  });

  it('writes trends.csv (one row per brand and report) and small multiples in the HTML', async () => {
    const out = mkdtempSync(join(tmpdir(), 'earshot-history-out-'));
    const r = await runCli(['analyze', TWCS, ...NOW, '--history', dir, '--out', out, '-f', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('summary.csv, trends.csv)');
    const rows = parse(readFileSync(join(out, 'trends.csv')), { columns: true }) as Record<string, string>[];
    // docs/csv.md lists the same columns in the same order.
    const doc = readFileSync(join(ROOT, 'docs', 'csv.md'), 'utf8');
    const listed = /\*\*trends\.csv\*\*[\s\S]*?this run last: `([^`]+)`/.exec(doc)?.[1]?.split(/[\s,]+/).filter(Boolean);
    expect(listed).toEqual(Object.keys(rows[0]!));
    expect(Object.keys(rows[0]!)).toEqual(['brand', 'generated_at', 'report', 'mentions', 'response_rate', 'substantive_rate', 'median_reply_minutes', 'negative_share']);
    expect(rows).toHaveLength(4 * (current.summary.brands.length + 1));
    const acme = rows.filter((x) => x.brand === BRAND);
    expect(acme.map((x) => [x.generated_at, x.report, x.mentions, x.substantive_rate])).toEqual([
      ['2026-11-02T09:00:00.000Z', join('2026-11-02', 'report.json'), '10', ''],
      ['2026-11-09T09:00:00.000Z', join('2026-11-09', 'report.json'), '12', '0.3'],
      ['2026-11-16T09:00:00.000Z', 'week-3.json', '14', '0.25'],
      ['2026-11-23T09:00:00.000Z', 'this run', String(current.summary.brands.find((b) => b.brand === BRAND)!.volume.total), String(current.summary.brands.find((b) => b.brand === BRAND)!.response.substantiveRate)],
    ]);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const section = /<section id="trends">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
    expect(section.match(/class="chart spark"/g)).toHaveLength(5 * (current.summary.brands.length + 1));
    expect(section).toContain('<div class="trend-brand" data-brand="AcmeCloudHelp">');
    // Without --history there is no trends.csv and no section.
    const plain = mkdtempSync(join(tmpdir(), 'earshot-history-plain-'));
    expect((await runCli(['analyze', TWCS, ...NOW, '--out', plain, '-f', 'json'])).code).toBe(0);
    expect(() => readFileSync(join(plain, 'trends.csv'))).toThrow();
    expect(readFileSync(join(plain, 'report.html'), 'utf8')).not.toContain('id="trends"');
  });

  it('a folder with no report, or none at all, is one warning and no trends', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'earshot-history-empty-'));
    const r = await runCli(['analyze', TWCS, ...NOW, '-f', 'json', '--history', empty]);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Report).trends).toBeUndefined();
    expect(r.stderr.trim().split('\n').filter((l) => l.includes('--history'))).toEqual([expect.stringContaining(`--history '${empty}' holds no earlier earshot report.json; reporting without trends.`)]);
    const missing = await runCli(['analyze', TWCS, ...NOW, '-f', 'json', '--history', join(empty, 'nope')]);
    expect(missing.code).toBe(0);
    expect(missing.stderr).toContain(`--history '${join(empty, 'nope')}' cannot be read`);
  });
});

describe('buildTrends', () => {
  const summary = (n: number): Report['summary'] => {
    const b = { brand: 'A', volume: { total: n }, response: { rate: null, substantiveRate: null, medianMinutes: null }, sentiment: { negativeShare: null } } as unknown as BrandSummary;
    return { overall: { ...b, brand: '(all)' }, brands: [b] };
  };
  it('keeps the last 12 reports, leaves out reports not earlier than this run and second copies, deterministically', () => {
    const earlierReports = Array.from({ length: 14 }, (_, i) => ({ file: `r${String(i).padStart(2, '0')}.json`, report: { generatedAt: new Date(Date.UTC(2026, 0, 1 + 7 * i)).toISOString(), summary: summary(i) } }));
    earlierReports.push({ file: 'copy.json', report: { ...earlierReports[13]!.report } });
    earlierReports.push({ file: 'later.json', report: { generatedAt: '2027-01-01T00:00:00.000Z', summary: summary(99) } });
    const now = { generatedAt: '2026-06-01T00:00:00.000Z', summary: summary(100) };
    const a = buildTrends(earlierReports, now);
    const b = buildTrends([...earlierReports].reverse(), now);
    expect(a).toEqual(b);
    expect(a.trends!.reports).toHaveLength(12);
    expect(a.trends!.brands[0]!.series[0]!.values).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 100]);
    // Ties go by file name: the first name is kept.
    expect(a.warnings).toEqual([
      "--history 'r13.json' has the same generatedAt as 'copy.json' (a copy?); left out of the trends.",
      "--history 'later.json' is as of 2027-01-01T00:00:00.000Z, not earlier than this run (2026-06-01T00:00:00.000Z); left out of the trends.",
    ]);
    expect(buildTrends([], now)).toEqual({ warnings: [] });
  });

  it('sparklines scale each series to its own range; gaps stay blank', () => {
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([5, null, 5])).toBe('▄ ▄');
    const t = buildTrends([{ file: 'a.json', report: { generatedAt: '2026-01-01T00:00:00.000Z', summary: summary(3) } }], { generatedAt: '2026-01-08T00:00:00.000Z', summary: summary(9) }).trends!;
    expect(trendTableLines(t, { sparklines: false, width: 80, timeZone: 'UTC' }).slice(1)).toEqual([
      '  As of             Mentions  Rate  Substantive  Median reply  Negative',
      '  2026-01-01 00:00         3     —            —             —         —',
      '  2026-01-08 00:00         9     —            —             —         —',
    ]);
    expect(trendTableLines(t, { sparklines: true, width: 80, timeZone: 'UTC' })[1]).toMatch(/^  Mentions +▁█  3 → 9$/);
  });

  it('brand names from the input are escaped in the HTML and neutralised in trends.csv', () => {
    const b = { brand: '<img src=x onerror=alert(1)>', volume: { total: 1 }, response: { rate: 0.5, substantiveRate: null, medianMinutes: 10 }, sentiment: { negativeShare: 0.1 } } as unknown as BrandSummary;
    const f = { ...b, brand: '=HYPERLINK("http://x")' } as BrandSummary;
    const t = buildTrends([{ file: 'a.json', report: { generatedAt: '2026-01-01T00:00:00.000Z', summary: { overall: b, brands: [b, f] } } }], { generatedAt: '2026-01-08T00:00:00.000Z', summary: { overall: { ...b, brand: '(all)' }, brands: [b, f] } }).trends!;
    const html = trendsHtmlSection(t, 'UTC');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(renderTrendsCsv(t)).toContain(`"'=HYPERLINK(""http://x"")"`);
  });

  it('the library takes history too: analyze(mentions, { history }) fills report.trends', async () => {
    const first = await analyze([mention('a', '2026-01-01T10:00:00Z', 'My parcel is late and nobody answers.', { brand: 'Acme' })], { brand: 'Acme', now: new Date('2026-01-02T00:00:00Z') });
    const second = await analyze([mention('a', '2026-01-08T10:00:00Z', 'My parcel is late and nobody answers.', { brand: 'Acme' }), mention('b', '2026-01-08T11:00:00Z', 'Still no parcel.', { brand: 'Acme' })], {
      brand: 'Acme',
      now: new Date('2026-01-09T00:00:00Z'),
      history: [{ file: 'week-1', report: first }],
    });
    expect(second.trends!.reports).toEqual([{ generatedAt: '2026-01-02T00:00:00.000Z', file: 'week-1' }, { generatedAt: '2026-01-09T00:00:00.000Z' }]);
    expect(second.trends!.brands[0]!.series[0]).toEqual({ figure: 'mentions', values: [1, 2] });
  });
});
