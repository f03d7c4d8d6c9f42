/** CSV renderers for the report folder: summary.csv, daily.csv and unanswered.csv (columns in docs/csv.md). */
import { stringify } from 'csv-stringify/sync';
import { neutraliseFormula } from '../core/sanitize.js';
import type { BrandSummary, Comparison, Report } from '../core/report.js';
import { REGISTRY, type FigureRegistry } from './views.js';

type Cell = string | number | boolean | null | undefined;

/** One summary.csv column: a name and how to read it from a brand's figures. */
interface SummaryColumn {
  name: string;
  get: (b: BrandSummary) => Cell;
}

/** summary.csv's columns: the brand's name, every registered figure, its spikes. */
function summaryColumns(registry: FigureRegistry): SummaryColumn[] {
  return [
    { name: 'brand', get: (b) => b.brand },
    ...registry.figures.filter((f) => !f.afterSpikes).map((f) => ({ name: f.id, get: f.get })),
    { name: 'spikes', get: (b) => b.spikes.map((s) => `${s.date} ${s.kind}`).join('; ') },
    ...registry.figures.filter((f) => f.afterSpikes).map((f) => ({ name: f.id, get: f.get })),
  ];
}

const CSV = { header: true, record_delimiter: '\n' } as const;

function cell(v: Cell): string | number {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return typeof v === 'number' ? v : neutraliseFormula(v);
}

function brandsOf(report: Report): BrandSummary[] {
  const { overall, brands } = report.summary;
  return brands.length > 1 ? [...brands, overall] : brands.length === 1 ? brands : [overall];
}

/** summary.csv's header: the registry's columns, then one `<figure>_change` per change column with --compare. */
export function summaryCsvHeader(compared: boolean, registry: FigureRegistry = REGISTRY): string[] {
  return [...summaryColumns(registry).map((c) => c.name), ...(compared ? registry.changeColumns.map((d) => `${d}_change`) : [])];
}

/** summary.csv: one row per brand with every headline figure (and deltas with --compare). */
export function renderSummaryCsv(report: Report, comparison?: Comparison, registry: FigureRegistry = REGISTRY): string {
  const columns = summaryColumns(registry);
  const changed = registry.changeColumns;
  const header = summaryCsvHeader(comparison !== undefined, registry);
  const rows = brandsOf(report).map((b) => {
    const base = columns.map((c) => cell(c.get(b)));
    if (!comparison) return base;
    const deltas = comparison.brands.find((x) => x.brand === b.brand)?.changes;
    return [...base, ...changed.map((d) => cell(deltas?.find((x) => x.figure === d)?.change))];
  });
  return stringify(rows, { ...CSV, columns: header });
}

/** daily.csv: one row per brand and day (days in the report's time zone). */
export function renderDailyCsv(report: Report): string {
  const rows = brandsOf(report).flatMap((b) => b.volume.byDay.map((d) => [cell(b.brand), d.date, d.count, d.positive, d.negative]));
  return stringify(rows, { ...CSV, columns: ['brand', 'date', 'mentions', 'positive', 'negative'] });
}

/** unanswered.csv: every brand's unanswered queue, furthest past its deadline first (then most severe), with links. */
export function renderUnansweredCsv(report: Report, options: { rawCsv?: boolean } = {}): string {
  const text = (v: string | undefined): string => (v === undefined ? '' : options.rawCsv ? v : neutraliseFormula(v));
  const brands = report.summary.brands.length > 0 ? report.summary.brands : [report.summary.overall];
  const rows = brands.flatMap((b) =>
    // Every text column: an input file sets `source` (and the others) to whatever it likes.
    b.unanswered.map((u, i) => [
      text(b.brand), i + 1, text(u.id), text(u.source), text(u.createdAt), u.openMinutes, u.severity, text(u.intent), text(u.sentiment), text(u.author), text(u.url), text(u.excerpt),
      u.cameBack ? 'true' : 'false', u.sinceBrandMinutes ?? '', u.deadlineMinutes, u.overdueMinutes,
    ]),
  );
  return stringify(rows, {
    ...CSV,
    columns: ['brand', 'rank', 'id', 'source', 'created_at', 'open_minutes', 'severity', 'intent', 'sentiment', 'author', 'url', 'excerpt', 'came_back', 'since_brand_minutes', 'deadline_minutes', 'overdue_minutes'],
  });
}
