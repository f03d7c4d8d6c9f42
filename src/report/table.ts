/** Terminal renderer: the summary a consultant reads first, within 80 columns. */
import Table from 'cli-table3';
import { oneLine } from '../core/sanitize.js';
import { type AsOfFrom, type BrandSummary, type UnansweredItem, focusSummary, missingSourcesNote, type Report } from '../core/report.js';
import { localDateTime, minutesText, pct, truncate } from './format.js';
import { auditName, windowText } from './about.js';
import { changeCells } from './compare.js';
import { trendTableLines } from './history.js';
import type { Style } from './style.js';
import { labelOf, linesFor, REGISTRY, textOf, valuesOf, type FigureRegistry, type Shown, type Values } from './views.js';
import type { Tone } from './figures.js';
import { benchmarkLines, spikeExplanationLines, spikesToShow } from './explain-views.js';

/** What the header adds after the as-of time, by where the time came from. */
const AS_OF_NOTE: Record<AsOfFrom, string> = { given: '', clock: '', input: ' (newest in input)' };

/** Options for the table renderer. */
export interface TableOptions {
  /** Emphasis (the CLI's is built from chalk; plainStyle for none). */
  style: Style;
  /** Terminal width; the output never exceeds it (minimum 60). */
  width?: number;
  /** How many unanswered items to list. */
  top?: number;
  /** The figures and the views placing them; default the registry. */
  registry?: FigureRegistry;
  /** Where this run writes summary.csv (--out), for the note under a brand table too wide to show every figure. */
  summaryCsv?: string;
  /** Trends (--history) as sparklines, for a terminal; otherwise as numbers. */
  sparklines?: boolean;
}

const MAX_BRAND_COLUMNS = 4;
const LABEL_WIDTH = 24;
const COMPACT = { head: [] as string[], border: [] as string[] };
// No separator line between body rows: tables stay short enough to read at a glance.
const NO_MID = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

/** Renders the report as terminal text. */
export function renderTable(report: Report, options: TableOptions): string {
  const c = styler(options.style);
  const registry = options.registry ?? REGISTRY;
  const width = Math.max(60, Math.min(options.width ?? 80, 120));
  const tz = report.settings.timeZone;
  const out: string[] = [];
  const o = focusSummary(report);
  const brands = report.summary.brands;
  const title = auditName(report);
  // A file of many companies is named by the file: the count says what it holds.
  const many = report.settings.brands.length === 0 && brands.length > 3 && title !== `${brands.length} brands` ? ` · ${brands.length} brands` : '';

  out.push(c.bold(truncate(`earshot · ${title}${many}`, width)));
  out.push(c.dim(truncate(`Window: ${windowText(report)}`, width)));
  out.push(c.dim(truncate(`As of ${localDateTime(report.generatedAt, tz)} ${tz}${AS_OF_NOTE[report.settings.asOfFrom ?? 'given']}`, width)));
  out.push(c.dim(truncate(`Business hours: ${report.settings.businessHours}`, width)));
  out.push('');

  if (brands.length > 1) {
    const ranked = byCustomerMentions(brands);
    const failed = failedBrands(report);
    if (fitsSideBySide(ranked, width, failed)) {
      out.push(c.bold('Brands side by side'));
      out.push(sideBySide(ranked, registry, c, width, failed));
    } else {
      out.push(c.bold(`Brands, most mentioned first (${brands.length})`));
      out.push(rankedRows(ranked, registry, c, width, failed));
    }
    out.push(...brandNotes(options.summaryCsv, width).map((l) => c.dim(l)));
  } else {
    out.push(c.bold('Headline'));
    out.push(headline(o, registry, c, width, missingSourcesNote(report.coverage)));
  }
  out.push('');

  const spikes = spikesToShow(brands.length > 0 ? brands : [o]);
  if (spikes.length > 0) {
    out.push(c.bold(c.yellow('Alerts')));
    for (const sp of spikes) {
      out.push(c.yellow(`  ! ${truncate(oneLine(`${sp.label}${sp.spike.message}`), width - 4)}`));
      if (sp.explain) out.push(...spikeExplanationLines(sp.spike.explanation!, width));
    }
    out.push('');
  }

  if (report.comparison) out.push(...comparisonLines(report, registry, c, width), '');
  if (report.trends) {
    const [head, ...rest] = trendTableLines(report.trends, { sparklines: options.sparklines === true, width, timeZone: tz, registry });
    out.push(c.bold(head!), ...rest, '');
  }

  const bench = benchmarkLines([o], width);
  if (bench.length > 0) out.push(c.bold('Against published benchmarks') + c.dim('  (▲ better, ▼ worse; sources: docs/benchmarks.md)'), ...bench, '');

  if (o.volume.bySource.length > 0) {
    out.push(c.bold('By source'));
    const t = new Table({ head: ['Source', 'Mentions', 'Negative', 'Need reply', 'Answered', 'Rate'], style: COMPACT, chars: NO_MID, colAligns: ['left', 'right', 'right', 'right', 'right', 'right'] });
    for (const s of o.volume.bySource) {
      const unseen = s.needingReply === 0 && s.unobservable > 0;
      t.push([oneLine(s.source), s.count, s.negative, unseen ? `(${s.unobservable})` : s.needingReply, unseen ? '—' : s.answered, unseen ? c.dim('n/a') : rateCell(s.rate, c)]);
    }
    out.push(t.toString());
    if (o.volume.bySource.some((s) => s.needingReply === 0 && s.unobservable > 0)) out.push(c.dim('n/a: the source does not show brand replies; (n) complaints and questions left out of response figures.'));
    out.push('');
  }

  if (o.volume.byDay.length > 1) {
    out.push(c.bold('Volume by day') + c.dim('  (▓ negative customer mentions, ░ the rest)'));
    out.push(...dailyBars(o, c, width));
    out.push('');
  }

  if (o.byReach.some((r) => r.tier !== 'unknown')) {
    out.push(c.bold('By author reach') + c.dim('  (followers; do loud customers get answered first?)'));
    const t = new Table({ head: ['Followers', 'Need reply', 'Answered', 'Rate', 'Median reply'], style: COMPACT, chars: NO_MID, colAligns: ['left', 'right', 'right', 'right', 'right'] });
    for (const r of o.byReach) t.push([r.tier, r.needingReply, r.answered, rateCell(r.rate, c), minutesText(r.medianMinutes)]);
    out.push(t.toString(), '');
  }

  if (o.response.templates.length > 0) {
    out.push(c.bold('Reply templates') + c.dim('  (near-identical brand replies; names, numbers and links masked)'));
    for (const t of o.response.templates.slice(0, 5)) {
      const kind = t.deflects ? c.yellow('deflects') : 'carries content';
      out.push(truncate(`  ${t.count}× · ${kind} · ${localDateTime(t.firstUsedAt, tz)} – ${localDateTime(t.lastUsedAt, tz)}`, width + (t.deflects ? c.yellow('x').length - 1 : 0)));
      out.push(`    ${truncate(oneLine(t.text), width - 4)}`);
      if (t.examples[0] !== undefined) out.push(`    ${c.cyan(oneLine(t.examples[0]))}`);
    }
    out.push('');
  }

  const queue = o.unanswered.slice(0, options.top ?? 10);
  out.push(c.bold(`Unanswered, furthest past its reply deadline first (${o.response.unanswered} in all${o.response.followUpsUnanswered > 0 ? `, ${o.response.followUpsUnanswered} came back after a reply` : ''})`));
  // With nothing needing a reply there is nothing to have answered: saying "every one got a reply" would praise an outage.
  if (o.response.needingReply === 0) out.push(c.dim('  none: no complaint or question was observed.'));
  else if (queue.length === 0) out.push(c.dim('  none: every complaint and question got a public reply.'));
  else out.push(unansweredList(queue, c, width, tz));

  if (report.coverage.length > 0) {
    out.push('');
    out.push(c.bold('Sources') + c.dim('  (fetched before duplicates, the query filter and the time window)'));
    const t = new Table({ head: ['Source', 'Status', 'Fetched', 'Note'], style: COMPACT, chars: NO_MID, colWidths: [14, 9, 10, Math.max(10, width - 14 - 9 - 10 - 5)], wordWrap: true });
    for (const s of report.coverage) {
      const status = s.status === 'ok' ? c.green(s.status) : s.status === 'failed' ? c.red(s.status) : c.yellow(s.status);
      t.push([oneLine(`${s.source}${s.brand ? ` (${s.brand})` : ''}`), status, s.mentions, oneLine(s.error?.message ?? s.warnings[0] ?? '')]);
    }
    out.push(t.toString());
  }
  return `${out.join('\n')}\n`;
}

function comparisonLines(report: Report, registry: FigureRegistry, c: Styler, width: number): string[] {
  const cmp = report.comparison!;
  const lines = [c.bold(`Change since ${localDateTime(cmp.previousGeneratedAt, report.settings.timeZone)}`)];
  for (const b of cmp.brands) {
    if (cmp.brands.length > 1) lines.push(c.dim(truncate(oneLine(b.brand), width)));
    const t = new Table({ head: ['', 'Before', 'Now', 'Change'], style: COMPACT, chars: NO_MID, colAligns: ['left', 'right', 'right', 'right'] });
    for (const ch of b.changes) t.push(changeCells(ch, registry));
    lines.push(t.toString());
  }
  return lines;
}

function headline(o: BrandSummary, registry: FigureRegistry, c: Styler, width: number, missing: string | undefined): string {
  const t = new Table({ style: COMPACT, chars: NO_MID, colWidths: [30, Math.max(20, width - 33)], wordWrap: true });
  const v = values(registry, o, c);
  for (const line of linesFor(registry.views.tableHeadline, o)) t.push([labelOf(registry, line, o), textOf(line, o, v)]);
  if (o.response.needingReply > 0) return t.toString();
  // The rate is undefined (0 of 0); say so, and say when failed sources may be why.
  const note = `No complaints or questions were observed, so the response rate is undefined${missing ? `; ${missing}` : ''}.`;
  return `${t.toString()}\n${wrapText(note, width).map((l) => c.dim(l)).join('\n')}`;
}

/** Words wrapped to `width` columns. */
function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    if (current !== '' && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else current = current === '' ? word : `${current} ${word}`;
  }
  if (current !== '') lines.push(current);
  return lines;
}

/** Brands whose every source failed or was skipped: their columns say so rather than showing a quiet row of zeros. */
function failedBrands(report: Report): Set<string> {
  const rows = new Map<string, boolean>();
  for (const cov of report.coverage) {
    if (cov.brand === undefined) continue;
    const failed = cov.status === 'failed' || cov.status === 'skipped';
    rows.set(cov.brand, (rows.get(cov.brand) ?? true) && failed);
  }
  return new Set([...rows].filter(([, failed]) => failed).map(([brand]) => brand));
}

/** Brands by customer mentions, the count share of voice divides (ties by name, so the order is stable). */
function byCustomerMentions(brands: readonly BrandSummary[]): BrandSummary[] {
  return [...brands].sort((a, b) => b.volume.customer - a.volume.customer || (a.brand < b.brand ? -1 : a.brand > b.brand ? 1 : 0));
}

/** A brand column's width side by side, for `n` brands in `width` columns. */
function sideColumn(n: number, width: number): number {
  return Math.max(10, Math.floor((width - LABEL_WIDTH - 2 - 3 * n) / n));
}

/** Whether the brands fit as columns with every name whole (a "(failed)" mark included). */
function fitsSideBySide(brands: readonly BrandSummary[], width: number, failed: ReadonlySet<string>): boolean {
  if (brands.length > MAX_BRAND_COLUMNS) return false;
  const col = sideColumn(brands.length, width);
  return brands.every((b) => [...oneLine(b.brand)].length + (failed.has(b.brand) ? 9 : 0) <= col - 2);
}

function sideBySide(brands: BrandSummary[], registry: FigureRegistry, c: Styler, width: number, failed: ReadonlySet<string>): string {
  const col = sideColumn(brands.length, width);
  const head = (b: BrandSummary): string => (failed.has(b.brand) ? `${truncate(oneLine(b.brand), col - 11)} (failed)` : truncate(oneLine(b.brand), col - 2));
  const t = new Table({
    head: ['', ...brands.map(head)],
    style: COMPACT, chars: NO_MID,
    colWidths: [LABEL_WIDTH, ...brands.map(() => col)],
    colAligns: ['left', ...brands.map(() => 'right' as const)],
  });
  const first = brands[0]!;
  const v = brands.map((b) => values(registry, b, c));
  // A row a brand lacks (a `when` figure) shows as unknown in its column.
  for (const line of registry.views.tableBrands) t.push([labelOf(registry, line, first), ...brands.map((b, i) => (linesFor([line], b).length > 0 ? textOf(line, b, v[i]!) : '—'))]);
  return t.toString();
}

// Handles on Twitter run to 15 characters: the brand column keeps at least that before a figure column is dropped.
const MIN_NAME = 15;

/**
 * One row per brand, for more brands than fit side by side: the ranked view's figures left to right as far as the
 * width allows (the last ones dropped first), names whole unless one alone is wider than its column.
 */
function rankedRows(brands: BrandSummary[], registry: FigureRegistry, c: Styler, width: number, failed: ReadonlySet<string>): string {
  const first = brands[0]!;
  const lines = registry.views.tableRanked;
  const v = brands.map((b) => values(registry, b, c));
  const cell = (line: Shown, b: BrandSummary, i: number): string => (failed.has(b.brand) ? (line === lines[0] ? 'failed' : '—') : linesFor([line], b).length > 0 ? textOf(line, b, v[i]!) : '—');
  const cols = lines.map((line) => {
    const head = twoLines(labelOf(registry, line, first));
    const cells = brands.map((b, i) => cell(line, b, i));
    const w = Math.max(...head.split('\n').map((l) => l.length), ...cells.map((x) => visibleLength(x))) + 2;
    return { head, cells, w };
  });
  const longest = Math.max(...brands.map((b) => [...oneLine(b.brand)].length));
  const nameWanted = Math.max(5, longest) + 2;
  const used = (n: number): number => cols.slice(0, n).reduce((sum, col) => sum + col.w, 0) + n + 2;
  // At least the first three figures (count, share of voice, needing a reply) stay whatever the width.
  let n = cols.length;
  while (n > 3 && width - used(n) < Math.min(nameWanted, MIN_NAME + 2)) n -= 1;
  const nameWidth = Math.max(7, Math.min(nameWanted, width - used(n)));
  const shown = cols.slice(0, n);
  const t = new Table({
    head: ['Brand', ...shown.map((col) => col.head)],
    style: COMPACT, chars: NO_MID,
    colWidths: [nameWidth, ...shown.map((col) => col.w)],
    colAligns: ['left', ...shown.map(() => 'right' as const)],
  });
  brands.forEach((b, i) => t.push([truncate(oneLine(b.brand), nameWidth - 2), ...shown.map((col) => col.cells[i]!)]));
  return t.toString();
}

/** A column label on at most two lines, split at the space nearest its middle. */
function twoLines(label: string): string {
  const spaces = [...label.matchAll(/ /g)].map((m) => m.index);
  if (label.length <= 8 || spaces.length === 0) return label;
  const mid = label.length / 2;
  const at = spaces.reduce((best, i) => (Math.abs(i - mid) < Math.abs(best - mid) ? i : best));
  return `${label.slice(0, at)}\n${label.slice(at + 1)}`;
}

/** Characters a cell takes on screen (escape codes take none). */
function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return [...text.replace(/\u001b\[[0-9;]*m/g, '')].length;
}

/** What the brand table counts, and where every figure of every brand is. */
function brandNotes(summaryCsv: string | undefined, width: number): string[] {
  const where = summaryCsv !== undefined ? `${oneLine(summaryCsv)}` : 'summary.csv in the folder that --out DIR writes (or --format json)';
  return [
    ...wrapText('Customer mentions leave out the brands\' own posts; share of voice is each brand\'s share of all customer mentions.', width),
    ...wrapText(`Every figure for every brand: ${where}.`, width),
  ];
}

const TONE_ROLE = { good: 'green', warn: 'yellow', bad: 'red' } as const satisfies Record<Tone, keyof Styler>;

function values(registry: FigureRegistry, b: BrandSummary, c: Styler): Values {
  return valuesOf(registry, b, { em: (tone, text) => c[TONE_ROLE[tone]](text) });
}

function unansweredList(items: UnansweredItem[], c: Styler, width: number, tz: string): string {
  // A list, not a table: links stay on one line so terminals keep them clickable.
  const lines: string[] = [];
  items.forEach((it, i) => {
    const n = `${String(i + 1).padStart(2)}.`;
    const who = [it.source, it.author].filter(Boolean).map((x) => oneLine(String(x))).join(' · ');
    const back = it.cameBack ? `${c.yellow('came back')} · brand silent ${minutesText(it.sinceBrandMinutes ?? 0)} · ` : '';
    lines.push(truncate(`${n} ${back}${c.bold(`open ${minutesText(it.openMinutes)}`)} · ${who} · ${it.intent}, ${it.sentiment}${deadlineText(it)} · ${localDateTime(it.createdAt, tz)}`, width + c.boldExtra + (it.cameBack ? c.yellow('x').length - 1 : 0)));
    lines.push(`    ${truncate(oneLine(it.excerpt), width - 4)}`);
    lines.push(`    ${c.cyan(it.url ? oneLine(it.url) : '(no link)')}`);
  });
  return lines.join('\n');
}

/** " · 2h past 1h deadline" or " · due in 3h"; "" for an item without a deadline (a report from before deadlines). */
function deadlineText(it: UnansweredItem): string {
  if (!(it.deadlineMinutes > 0)) return '';
  return it.overdueMinutes > 0 ? ` · ${minutesText(it.overdueMinutes)} past ${minutesText(it.deadlineMinutes)} deadline` : ` · due in ${minutesText(-it.overdueMinutes)}`;
}

function dailyBars(o: BrandSummary, c: Styler, width: number): string[] {
  const max = Math.max(...o.volume.byDay.map((d) => d.count), 1);
  const days = o.volume.byDay;
  // Month-day reads faster; days across New Year need their year to stay in order for the reader.
  const sameYear = days[0]?.date.slice(0, 4) === days[days.length - 1]?.date.slice(0, 4);
  const barWidth = Math.max(10, width - (sameYear ? 24 : 29));
  return o.volume.byDay.map((d) => {
    const n = Math.max(1, Math.round((d.count / max) * barWidth));
    const neg = Math.round((d.negative / Math.max(1, d.count)) * n);
    const weekday = new Date(`${d.date}T12:00:00Z`).toUTCString().slice(0, 3);
    return `${weekday} ${sameYear ? d.date.slice(5) : d.date} ${String(d.count).padStart(5)} ${c.red('▓'.repeat(neg))}${'░'.repeat(n - neg)}`;
  });
}

function rateCell(rate: number | null, c: Styler): string {
  if (rate === null) return '—';
  const text = pct(rate);
  return rate >= 0.8 ? c.green(text) : rate >= 0.5 ? c.yellow(text) : c.red(text);
}

/** The style as the few calls this renderer makes. */
interface Styler {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  cyan(text: string): string;
  /** Characters a bold wrap adds: truncation leaves room for them. */
  boldExtra: number;
}

function styler(style: Style): Styler {
  return {
    bold: (s) => style('heading', s),
    dim: (s) => style('muted', s),
    red: (s) => style('bad', s),
    yellow: (s) => style('warn', s),
    green: (s) => style('good', s),
    cyan: (s) => style('link', s),
    boldExtra: style('heading', 'x').length - 1,
  };
}
