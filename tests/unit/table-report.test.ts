import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/report.js';
import { minutesText, pct } from '../../src/report/format.js';
import { plainStyle } from '../../src/report/style.js';
import { renderTable } from '../../src/report/table.js';
import { analyse, twcsReport } from '../browser/build-report.js';
import { companyHandles, manyBrandsReport } from '../helpers/many-brands.js';
import { sampleReport } from '../golden/sample.js';

/** The brand table's body rows: the lines between its header and its bottom border that start with a name. */
function brandRows(text: string): string[][] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('Brands, most mentioned first'));
  const end = lines.findIndex((l, i) => i > start && l.startsWith('└'));
  return lines
    .slice(start + 4, end)
    .filter((l) => /^│ \S/.test(l))
    .map((l) => l.split('│').slice(1, -1).map((c) => c.trim()));
}

describe('renderTable with many brands (a Customer Support on Twitter file of 76 companies)', () => {
  let report: Report;
  let text: string;
  beforeAll(async () => {
    report = await manyBrandsReport(76);
    text = renderTable(report, { style: plainStyle, width: 80 });
  });

  it('shows every brand, one row each, within 80 columns', () => {
    expect(report.summary.brands).toHaveLength(76);
    for (const line of text.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(80);
    const rows = brandRows(text);
    expect(rows.map((r) => r[0]).sort()).toEqual(companyHandles(76).sort());
    expect(text).not.toMatch(/more brands/);
  });

  it('ranks the rows by customer mentions, the count share of voice is computed from, and says so', () => {
    const rows = brandRows(text);
    const counts = rows.map((r) => Number(r[1]));
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(counts[0]).toBeGreaterThan(counts.at(-1)!);
    for (const r of rows) {
      const b = report.summary.brands.find((x) => x.brand === r[0])!;
      expect(r.slice(1, 7)).toEqual([String(b.volume.customer), pct(b.shareOfVoice), String(b.response.needingReply), String(b.response.answered), pct(b.response.rate), minutesText(b.response.medianMinutes)]);
    }
    expect(text).toMatch(/│ Brand +│ Customer │ Share of │/);
    expect(text.replace(/\n/g, ' ')).toContain("Customer mentions leave out the brands' own posts; share of voice is each brand's share of all customer mentions.");
  });

  it('points to summary.csv, never to a per-mention format, and names the file when --out writes one', () => {
    expect(text).not.toContain('--format json or csv');
    expect(text).toMatch(/Every figure for every brand: summary\.csv in the folder that --out DIR writes/);
    const withOut = renderTable(report, { style: plainStyle, width: 80, summaryCsv: 'reports/2017-11-03/summary.csv' });
    expect(withOut).toContain('Every figure for every brand: reports/2017-11-03/summary.csv.');
  });

  it('names the audit in its title line, not 76 companies', () => {
    const first = text.split('\n')[0]!;
    expect(first).toBe('earshot · twcs.csv · 76 brands');
  });

  it('adds figure columns on a wider terminal and still fits it', () => {
    const wide = renderTable(report, { style: plainStyle, width: 120 });
    for (const line of wide.split('\n')) expect([...line].length).toBeLessThanOrEqual(120);
    expect(brandRows(wide)[0]!.length).toBeGreaterThan(brandRows(text)[0]!.length);
  });

  it('cuts a name with an ellipsis only when it alone is wider than its column', async () => {
    const long = 'Northwind Traders International Customer Care Team';
    const r = await manyBrandsReport(12);
    const renamed = structuredClone(r);
    const original = renamed.summary.brands[0]!.brand;
    renamed.summary.brands[0]!.brand = long;
    const rows = brandRows(renderTable(renamed, { style: plainStyle, width: 80 }));
    const cut = rows.find((row) => row[0]!.endsWith('…'));
    expect(cut).toBeDefined();
    expect(long.startsWith(cut![0]!.slice(0, -1))).toBe(true);
    expect(rows.filter((row) => row[0]!.endsWith('…'))).toHaveLength(1);
    for (const h of companyHandles(12).filter((x) => x !== original)) expect(rows.map((row) => row[0])).toContain(h);
  });
});

describe('renderTable with a few brands', () => {
  it('keeps them side by side, with customer mentions beside share of voice', async () => {
    const report = await twcsReport();
    const text = renderTable(report, { style: plainStyle, width: 80 });
    expect(text).toContain('Brands side by side');
    const row = text.split('\n').find((l) => l.startsWith('│ Customer mentions'))!;
    const cells = row.split('│').slice(2, -1).map((c) => c.trim());
    const brands = [...report.summary.brands].sort((a, b) => b.volume.customer - a.volume.customer || (a.brand < b.brand ? -1 : 1));
    expect(cells).toEqual(brands.map((b) => String(b.volume.customer)));
    expect(brands.some((b) => b.volume.customer !== b.volume.total)).toBe(true);
  });
});

describe('renderTable headline and volume', () => {
  it('says sentiment as shares only: positive, negative and unscored', async () => {
    const report = await sampleReport('acme');
    const b = report.summary.brands[0]!;
    expect(b.sentiment.unscored).toBeGreaterThan(0);
    const line = renderTable(report, { style: plainStyle }).split('\n').find((l) => l.includes('Sentiment (customers)'))!;
    const unscored = pct(b.sentiment.unscored / b.volume.customer);
    expect(line).toContain(`${pct(b.sentiment.positiveShare)} positive · ${pct(b.sentiment.negativeShare)} negative · ${unscored} unscored`);
  });

  it('labels the days with their year when the window spans New Year', async () => {
    const at = (iso: string, id: string) => ({ id, source: 'x', kind: 'post' as const, author: { handle: id }, fromBrand: false, text: 'where is my parcel?', createdAt: iso, engagement: {} });
    const report = await analyse([at('2016-12-30T12:00:00Z', 'a'), at('2016-12-31T12:00:00Z', 'b'), at('2017-01-01T12:00:00Z', 'c')]);
    const days = renderTable(report, { style: plainStyle }).split('\n').filter((l) => /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) /.test(l));
    expect(days.map((l) => l.split(/\s+/)[1])).toEqual(['2016-12-30', '2016-12-31', '2017-01-01']);
    for (const l of days) expect([...l].length).toBeLessThanOrEqual(80);
  });
});
