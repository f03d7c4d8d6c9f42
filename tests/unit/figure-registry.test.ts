import { beforeAll, describe, expect, it } from 'vitest';
import type { BrandSummary, Report } from '../../src/core/report.js';
import { FIGURES, type Figure } from '../../src/report/figures.js';
import { REGISTRY, figureIn, type FigureRegistry } from '../../src/report/views.js';
import { renderTable } from '../../src/report/table.js';
import { renderHtml, headlineFigures } from '../../src/report/html.js';
import { renderSummaryCsv } from '../../src/report/summary-csv.js';
import { changeCells, compareReports } from '../../src/report/compare.js';
import { plainStyle } from '../../src/report/style.js';
import { sampleReport } from '../golden/sample.js';

// A metric the code has never heard of: one registry row, then its id placed in each view.
const THROWAWAY: Figure = { id: 'zz_throwaway', label: 'Throwaway figure', get: (b) => b.volume.customer * 1000, format: (v) => `${v} zz`, unit: 'count' };

function withThrowaway(base: FigureRegistry): FigureRegistry {
  const v = base.views;
  return {
    figures: [...base.figures, THROWAWAY],
    compared: [...base.compared, THROWAWAY.id],
    changeColumns: [...base.changeColumns, THROWAWAY.id],
    views: {
      tableHeadline: [...v.tableHeadline, { id: THROWAWAY.id }],
      tableBrands: [...v.tableBrands, { id: THROWAWAY.id }],
      tableRanked: [...v.tableRanked, { id: THROWAWAY.id }],
      htmlCards: [...v.htmlCards, { id: THROWAWAY.id }],
      htmlBrands: [...v.htmlBrands, { id: THROWAWAY.id }],
    },
  };
}

/** The report as a week earlier: two customer mentions fewer per brand. */
function earlier(report: Report): Report {
  const prev = structuredClone(report);
  for (const b of [...prev.summary.brands, prev.summary.overall] as BrandSummary[]) b.volume.customer -= 2;
  return prev;
}

describe('the figure registry', () => {
  let acme: Report;
  let twcs: Report;
  beforeAll(async () => {
    [acme, twcs] = await Promise.all([sampleReport('acme'), sampleReport('twcs')]);
  });

  it('places only figures it holds, in every view', () => {
    const ids = new Set(FIGURES.map((f) => f.id));
    for (const [view, lines] of Object.entries(REGISTRY.views)) for (const l of lines) expect(ids.has(l.id), `${view}: ${l.id}`).toBe(true);
    for (const id of [...REGISTRY.compared, ...REGISTRY.changeColumns]) expect(ids.has(id), id).toBe(true);
    expect(new Set(FIGURES.map((f) => f.id)).size).toBe(FIGURES.length);
  });

  it('shows a new figure from one row and its placement: table, HTML cards and columns, summary.csv and --compare', () => {
    const registry = withThrowaway(REGISTRY);
    const customers = acme.summary.brands[0]!.volume.customer;
    expect(customers).toBeGreaterThan(2);
    const value = customers * 1000;

    // The table's headline (one brand) and brands side by side (several).
    expect(renderTable(acme, { style: plainStyle, registry })).toMatch(new RegExp(`Throwaway figure[\\s│]+${value} zz`));
    const side = renderTable(twcs, { style: plainStyle, width: 120, registry }).split('\n').find((l) => l.includes('Throwaway figure'));
    expect(side?.match(/\d+ zz/g)).toHaveLength(Math.min(4, twcs.summary.brands.length));

    // The HTML headline cards (counts with thousands separators) and the competitor table's column.
    const card = headlineFigures(acme.summary.brands[0]!, registry).find((f) => f.key === 'zz-throwaway');
    expect(card).toMatchObject({ label: 'Throwaway figure', value: value.toLocaleString('en-US') });
    expect(renderHtml(acme, { registry })).toContain(`data-figure="zz-throwaway"><a class="label" href="#how-to-read">Throwaway figure</a><span class="value">${value.toLocaleString('en-US')}</span>`);
    expect(renderHtml(twcs, { registry })).toContain('<th class="n">Throwaway figure</th>');

    // --compare: the change is computed, shown, and becomes a summary.csv column.
    const comparison = compareReports(earlier(acme), acme.summary, registry);
    const ch = comparison.brands[0]!.changes.find((c) => c.figure === (THROWAWAY.id as never));
    expect(ch).toEqual({ figure: THROWAWAY.id, previous: value - 2000, current: value, change: 2000 });
    expect(changeCells(ch!, registry)).toEqual(['Throwaway figure', `${value - 2000} zz`, `${value} zz`, '+2000 zz']);
    const compared = { ...acme, comparison };
    expect(renderTable(compared, { style: plainStyle, registry })).toMatch(/Throwaway figure[\s│]+\d+ zz[\s│]+\d+ zz[\s│]+\+2000 zz/);
    expect(renderHtml(compared, { registry })).toContain('+2000 zz');

    const [header, row] = renderSummaryCsv(acme, comparison, registry).split('\n');
    const cols = header!.split(',');
    expect(cols).toContain('zz_throwaway');
    expect(cols.at(-1)).toBe('zz_throwaway_change');
    expect(row!.split(',')[cols.indexOf('zz_throwaway')]).toBe(String(value));
    expect(row!.split(',').at(-1)).toBe('2000');
  });

  it('leaves the default output without the throwaway figure', () => {
    expect(() => figureIn(REGISTRY, THROWAWAY.id)).toThrow(/Unknown figure/);
    expect(renderTable(acme, { style: plainStyle })).not.toContain('Throwaway');
    expect(renderSummaryCsv(acme, acme.comparison)).not.toContain('zz_');
  });
});
