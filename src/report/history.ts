/**
 * Trends across weeks (--history): the headline figures of earlier report.json files and this run, per brand, as
 * series the table (sparklines on a terminal, numbers otherwise), trends.csv and the HTML report's small multiples
 * show. Pure: the CLI reads the files (src/cli/history.ts) and hands over their reports.
 */
import { stringify } from 'csv-stringify/sync';
import type { BrandSummary, Report, Trends } from '../core/report.js';
import { neutraliseFormula, oneLine } from '../core/sanitize.js';
import { esc, escBreakable } from './html-svg.js';
import { localDateTime, truncate } from './format.js';
import { figureIn, REGISTRY, type FigureRegistry } from './views.js';

/** The figures a trend follows: volume, response rate, substantive rate, median first reply, negative share. */
const TREND_FIGURES = ['mentions', 'response_rate', 'substantive_rate', 'median_reply_minutes', 'negative_share'] as const;

/** At most this many reports in a trend, this run included. */
const TREND_REPORTS = 12;

/** An earlier report as read from the --history folder. */
export interface HistoryReport {
  /** Relative to the folder, as warnings and `trends.reports` name it. */
  file: string;
  report: Pick<Report, 'generatedAt' | 'summary'>;
}

/**
 * Trends over the earlier reports and this run: ordered by generatedAt (then file name), reports not earlier than
 * this run and second copies of one generatedAt left out (each with a warning), the last TREND_REPORTS kept.
 * Undefined when no earlier report is left.
 */
export function buildTrends(
  earlier: readonly HistoryReport[],
  current: { generatedAt: string; summary: Report['summary'] },
  registry: FigureRegistry = REGISTRY,
): { trends?: Trends; warnings: string[] } {
  const warnings: string[] = [];
  const now = Date.parse(current.generatedAt);
  const sorted = [...earlier].sort((a, b) => Date.parse(a.report.generatedAt) - Date.parse(b.report.generatedAt) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const kept: HistoryReport[] = [];
  for (const h of sorted) {
    const at = Date.parse(h.report.generatedAt);
    if (!(at < now)) warnings.push(`--history '${h.file}' is as of ${h.report.generatedAt}, not earlier than this run (${current.generatedAt}); left out of the trends.`);
    else if (kept.length > 0 && Date.parse(kept[kept.length - 1]!.report.generatedAt) === at) warnings.push(`--history '${h.file}' has the same generatedAt as '${kept[kept.length - 1]!.file}' (a copy?); left out of the trends.`);
    else kept.push(h);
  }
  const last = kept.slice(-(TREND_REPORTS - 1));
  if (last.length === 0) return { warnings };
  const { brands, overall } = current.summary;
  const shown = [...brands, ...(brands.length > 1 ? [overall] : [])];
  if (shown.length === 0) shown.push(overall);
  const single = brands.length <= 1;
  const trends: Trends = {
    figures: [...TREND_FIGURES],
    reports: [...last.map((h) => ({ generatedAt: h.report.generatedAt, file: h.file })), { generatedAt: current.generatedAt }],
    brands: shown.map((b) => {
      // Matched by name, as --compare matches; a one-brand run follows the earlier run's one brand whatever its label.
      const points = [...last.map((h) => brandIn(h.report.summary, b.brand, single)), b];
      return {
        brand: b.brand,
        series: TREND_FIGURES.map((id) => {
          const { get } = figureIn(registry, id);
          return { figure: id, values: points.map((p) => (p === undefined ? null : (get(p) ?? null))) };
        }),
      };
    }),
  };
  return { trends, warnings };
}

function brandIn(summary: Report['summary'], name: string, single: boolean): BrandSummary | undefined {
  const all = [...(summary.brands ?? []), summary.overall];
  return all.find((b) => b?.brand === name) ?? (single ? (summary.brands?.[0] ?? summary.overall) : undefined);
}

const BLOCKS = '▁▂▃▄▅▆▇█';

/** A sparkline of `values` (▁ lowest to █ highest; a space where there is no value; ▄ throughout when all are equal). */
export function sparkline(values: readonly (number | null)[]): string {
  const known = values.filter((v): v is number => v !== null);
  const lo = Math.min(...known);
  const hi = Math.max(...known);
  return values
    .map((v) => {
      if (v === null) return ' ';
      if (hi === lo) return BLOCKS[3]!;
      return BLOCKS[Math.round(((v - lo) / (hi - lo)) * (BLOCKS.length - 1))]!;
    })
    .join('');
}

/** The table's short column heads for the figures a trend follows. */
const HEADS: Record<string, string> = { mentions: 'Mentions', response_rate: 'Rate', substantive_rate: 'Substantive', median_reply_minutes: 'Median reply', negative_share: 'Negative' };

/**
 * The table's trend lines. On a terminal: one line per figure, a sparkline and first → last. Otherwise (a file, a
 * pipe) every value as a plain number, one row per report, so a long series never runs past the width.
 */
export function trendTableLines(trends: Trends, options: { sparklines: boolean; width: number; timeZone: string; registry?: FigureRegistry }): string[] {
  const registry = options.registry ?? REGISTRY;
  const when = trends.reports.map((r) => localDateTime(r.generatedAt, options.timeZone));
  const out = [`Trends over ${trends.reports.length} reports (${when[0]!.slice(0, 10)} to ${when[when.length - 1]!.slice(0, 10)}, oldest first)`];
  const multi = trends.brands.length > 1;
  const indent = multi ? '    ' : '  ';
  for (const b of trends.brands) {
    if (multi) out.push(`  ${truncate(oneLine(b.brand), options.width - 2)}`);
    const shows = b.series.map((s) => {
      const f = figureIn(registry, s.figure);
      return { s, f, show: (v: number | null | undefined): string => (v === null || v === undefined ? '—' : f.format(v)) };
    });
    if (options.sparklines) {
      for (const { s, f, show } of shows) {
        const known = s.values.filter((v) => v !== null);
        const ends = known.length > 0 ? `${show(known[0])} → ${show(s.values[s.values.length - 1])}` : '—';
        out.push(truncate(`${indent}${f.label.padEnd(26)} ${sparkline(s.values)}  ${ends}`, options.width));
      }
      continue;
    }
    const heads = shows.map(({ s }) => HEADS[s.figure] ?? figureIn(registry, s.figure).label);
    const cells = when.map((_, i) => shows.map(({ s, show }) => show(s.values[i])));
    const widths = heads.map((h, j) => Math.max(h.length, ...cells.map((row) => row[j]!.length)));
    const dateWidth = Math.max(5, ...when.map((w) => w.length));
    const row = (first: string, rest: readonly string[]): string => truncate(`${indent}${first.padEnd(dateWidth)}${rest.map((c, j) => `  ${c.padStart(widths[j]!)}`).join('')}`, options.width);
    out.push(row('As of', heads));
    cells.forEach((c, i) => out.push(row(when[i]!, c)));
  }
  return out;
}

/** trends.csv: one row per brand and report, oldest first (columns in docs/csv.md). */
export function renderTrendsCsv(trends: Trends): string {
  const rows = trends.brands.flatMap((b) =>
    trends.reports.map((r, i) => [neutraliseFormula(b.brand), r.generatedAt, r.file === undefined ? 'this run' : neutraliseFormula(r.file), ...b.series.map((s) => s.values[i] ?? '')]),
  );
  return stringify(rows, { header: true, record_delimiter: '\n', columns: ['brand', 'generated_at', 'report', ...trends.figures] });
}

const CELL_W = 160;
const CELL_H = 48;

/** One small multiple: the series as a polyline with a dot per report, min and max marked, the last value as text. */
function smallMultiple(values: readonly (number | null)[], label: string, format: (v: number) => string, dates: readonly string[]): string {
  const known = values.map((v, i) => [i, v] as const).filter((p): p is readonly [number, number] => p[1] !== null);
  const lo = Math.min(...known.map((p) => p[1]));
  const hi = Math.max(...known.map((p) => p[1]));
  const pad = 6;
  const x = (i: number): number => Math.round((pad + (values.length <= 1 ? 0 : (i * (CELL_W - 2 * pad)) / (values.length - 1))) * 10) / 10;
  const y = (v: number): number => Math.round((hi === lo ? CELL_H / 2 : CELL_H - pad - ((v - lo) / (hi - lo)) * (CELL_H - 2 * pad)) * 10) / 10;
  const line = known.map(([i, v]) => `${x(i)},${y(v)}`).join(' ');
  const dots = known.map(([i, v]) => `<circle cx="${x(i)}" cy="${y(v)}" r="2"><title>${esc(`${dates[i] ?? ''}: ${format(v)}`)}</title></circle>`).join('');
  const lastValue = values[values.length - 1];
  const now = lastValue === null || lastValue === undefined ? '—' : format(lastValue);
  const range = known.length > 0 ? `${format(lo)} – ${format(hi)}` : 'no values';
  return `<figure class="trend"><figcaption>${esc(label)} <strong>${esc(now)}</strong></figcaption><svg class="chart spark" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${CELL_W} ${CELL_H}" width="${CELL_W}" height="${CELL_H}" role="img" aria-label="${esc(`${label}, ${values.length} reports: ${range}`)}">${known.length > 1 ? `<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="${line}"/>` : ''}${dots}</svg><span class="muted">${esc(range)}</span></figure>`;
}

/** The HTML report's trends section: per brand, one small chart per figure. */
export function trendsHtmlSection(trends: Trends, tz: string, registry: FigureRegistry = REGISTRY): string {
  const dates = trends.reports.map((r) => localDateTime(r.generatedAt, tz));
  const blocks = trends.brands.map((b) => {
    const charts = b.series.map((s) => {
      const f = figureIn(registry, s.figure);
      return smallMultiple(s.values, f.label, f.format, dates);
    });
    return `<div class="trend-brand" data-brand="${esc(oneLine(b.brand))}">${trends.brands.length > 1 ? `<h3>${escBreakable(oneLine(b.brand))}</h3>` : ''}<div class="trends">${charts.join('')}</div></div>`;
  });
  const inner = `<p class="explain">Each figure in the last ${trends.reports.length} reports, oldest first (${esc(dates[0] ?? '')} to ${esc(dates[dates.length - 1] ?? '')}), this run last; each chart is scaled to its own lowest and highest value. <a href="#def-trends">Definition</a>.</p>\n${blocks.join('\n')}`;
  return `<section id="trends">\n<h2>Trends</h2>\n${inner}\n</section>`;
}
