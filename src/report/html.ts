/** HTML renderer: one self-contained, script-free file with static SVG charts that opens without network. */
import { PROJECT_URL } from '../core/version.js';
import { oneLine, stripControl } from '../core/sanitize.js';
import { localDay } from '../core/local-day.js';
import { type BrandSummary, type UnansweredItem, focusSummary, type Report } from '../core/report.js';
import { localDateTime, minutesText, pct } from './format.js';
import { auditName, windowText } from './about.js';
import { columns, esc, escBreakable, horizontalBars, stackedColumns, type Bar, type StackedColumn } from './html-svg.js';
import { changeCells } from './compare.js';
import { trendsHtmlSection } from './history.js';
import { benchmarksHtml, spikeExplanationHtml, spikesToShow } from './explain-views.js';
import { figureIn, labelOf, linesFor, REGISTRY, textOf, valuesOf, type FigureRegistry, type Values } from './views.js';

/** Options for the HTML renderer. */
export interface HtmlOptions {
  /** Document title; default `earshot report · <the audit's name>` (see auditName). */
  title?: string;
  /** How many unanswered items to list; default all the report holds. */
  top?: number;
  /** The figures and the views placing them; default the registry. */
  registry?: FigureRegistry;
}

/**
 * The page's Content-Security-Policy: nothing may load or run. Charts are static SVG and styles are inline,
 * so even markup that slipped past escaping could neither execute nor phone home.
 */
export const HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** An href for an untrusted URL: the normalised URL when it is http(s), otherwise undefined (never linked). */
export function safeHref(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const cleaned = stripControl(url).trim();
  if (!/^https?:\/\//i.test(cleaned)) return undefined;
  try {
    const u = new URL(cleaned);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** JSON that is safe inside a `<script type="application/json">` block: no `<`, `>`, `&`, line separators, bidi or zero-width characters survive literally. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    // Line separators end a JS string literal in older engines; bidi and zero-width characters would hide in "view source".
    .replace(/[\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Renders the report as one HTML document (pure: the same report gives the same bytes). */
export function renderHtml(report: Report, options: HtmlOptions = {}): string {
  const tz = report.settings.timeZone;
  const o = focusSummary(report);
  const brands = report.summary.brands;
  const heading = auditName(report);
  const title = options.title !== undefined ? oneLine(options.title) : `earshot report · ${heading}`;
  const multi = brands.length > 1;
  const queue = o.unanswered.slice(0, options.top ?? o.unanswered.length);
  const registry = options.registry ?? REGISTRY;

  const body = [
    header(report, heading, tz),
    alertsSection(report),
    headline(o, multi, registry),
    changesSection(report, tz, registry),
    ...(report.trends ? [trendsHtmlSection(report.trends, tz, registry)] : []),
    benchmarksSection(multi ? brands : [o]),
    volumeSection(report, tz),
    replyTimeSection(o),
    offHoursSection(o),
    reachSection(o),
    templatesSection(o, tz),
    unansweredSection(queue, o.response.unanswered, o.response.needingReply, tz, multi),
    multi ? competitorsSection(brands, registry) : '',
    sourcesSection(report),
    howToRead(report.trends !== undefined),
    runDetails(report, tz),
    footer(report, tz),
  ].join('\n');

  const data = {
    schemaVersion: report.schemaVersion,
    tool: report.tool,
    generatedAt: report.generatedAt,
    settings: report.settings,
    coverage: report.coverage,
    summary: report.summary,
  };

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(HTML_CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="earshot ${esc(report.tool.version)}">
<title>${esc(title)}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
<script type="application/json" id="earshot-data">${jsonForScript(data)}</script>
</body>
</html>
`;
}

// ---------------------------------------------------------------------------------------------
// Sections

function header(report: Report, heading: string, tz: string): string {
  const s = report.settings;
  const rows: [string, string][] = [
    ['Window', esc(windowText(report))],
    ['As of', `${esc(localDateTime(report.generatedAt, tz))} ${esc(tz)}`],
    ['Business hours', esc(oneLine(s.businessHours))],
    ['Time zone', esc(tz)],
  ];
  if (s.brandHandles.length > 0) rows.push(['Brand handles', esc(s.brandHandles.map(oneLine).join(', '))]);
  if (report.coverage.length > 0) {
    // Status only: what each source returned and what the report counts are in Sources below, with their meaning.
    const items = report.coverage.map((c) => `<li class="${statusClass(c.status)}">${esc(oneLine(c.source))}: ${esc(c.status)}</li>`);
    rows.push(['Sources', `<ul class="inline">${items.join('')}</ul>`]);
    const failed = report.coverage.filter((c) => c.status === 'failed');
    if (failed.length > 0) rows.push(['Failed', `<span class="bad">${esc(failed.map((c) => oneLine(c.source)).join(', '))}</span> (see Sources below; figures leave them out)`]);
  }
  // Many companies in one file: the heading names the file, the count says what it holds.
  const count = s.brands.length === 0 && report.summary.brands.length > 3 && heading !== `${report.summary.brands.length} brands` ? ` · ${num(report.summary.brands.length)} brands` : '';
  return `<header id="top">
<p class="kicker">earshot · brand mention audit${esc(count)}</p>
<h1>${esc(heading)}</h1>
<dl class="meta">${rows.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${v}</dd></div>`).join('')}</dl>
</header>`;
}

function statusClass(status: string): string {
  return status === 'ok' ? 'ok' : status === 'failed' ? 'bad' : 'warn';
}

/** One headline figure as shown on a card. */
export interface HeadlineFigure {
  key: string;
  label: string;
  value: string;
  note: string;
  def: string;
  tone?: 'good' | 'warn' | 'bad';
}

/** Headline figures, keyed so tests and readers can find each one. */
export function headlineFigures(o: BrandSummary, registry: FigureRegistry = REGISTRY): HeadlineFigure[] {
  const v = values(registry, o);
  return linesFor(registry.views.htmlCards, o).map((card) => {
    const f = figureIn(registry, card.id);
    const value = f.get(o);
    const tone = card.tone ? card.tone(o) : value === null || value === undefined ? undefined : f.tone?.(value);
    return {
      key: card.key ?? card.id.replace(/_/g, '-'),
      label: labelOf(registry, card, o),
      value: textOf(card, o, v),
      note: card.note ? card.note(o, v) : '',
      def: card.def ?? 'how-to-read',
      ...(tone ? { tone } : {}),
    };
  });
}

function values(registry: FigureRegistry, b: BrandSummary): Values {
  // Emphasis is the card's, not the text's: a card's tone colours its border.
  return valuesOf(registry, b, { count: num, em: (_tone, text) => text });
}

function headline(o: BrandSummary, multi: boolean, registry: FigureRegistry): string {
  const cards = headlineFigures(o, registry).map(
    (f) =>
      `<div class="card${f.tone ? ` ${f.tone}` : ''}" data-figure="${esc(f.key)}"><a class="label" href="#${esc(f.def)}">${esc(f.label)}</a><span class="value">${esc(f.value)}</span><span class="note">${esc(f.note)}</span></div>`,
  );
  const empty = o.volume.total === 0 ? '<p class="empty">No mentions in this report: every figure is empty.</p>' : o.response.needingReply === 0 ? '<p class="empty">No complaint or question needed a reply.</p>' : '';
  return `<section id="headline">
<h2>Headline${multi ? ` <small>(${o.brand === '(all)' ? 'all brands together' : esc(oneLine(o.brand))}; see Competitors for each)</small>` : ''}</h2>
${empty}<div class="cards">${cards.join('')}</div>
</section>`;
}

function volumeSection(report: Report, tz: string): string {
  const o = report.summary.overall;
  const days = o.volume.byDay;
  if (days.length === 0) return section('volume', 'Volume and sentiment over time', '<p class="empty">No mentions to chart.</p>');
  const brandDays = brandPostsByDay(report, tz);
  // Month-day labels read faster; a window across New Year needs the year to stay unambiguous.
  const sameYear = days[0]?.date.slice(0, 4) === days[days.length - 1]?.date.slice(0, 4);
  const cols: StackedColumn[] = days.map((d) => {
    const b = brandDays?.get(d.date) ?? { broadcasts: 0, replies: 0 };
    const other = Math.max(0, d.count - d.positive - d.negative - (brandDays ? b.broadcasts + b.replies : 0));
    const title = brandDays
      ? `${d.date}: ${d.count} mentions (${d.negative} negative, ${other} neutral or unscored, ${d.positive} positive; brand: ${b.replies} replies, ${b.broadcasts} broadcasts)`
      : `${d.date}: ${d.count} mentions (${d.negative} negative, ${d.positive} positive, ${other} other)`;
    const segments = [
      { value: d.negative, cls: 'neg' },
      { value: other, cls: 'neu' },
      { value: d.positive, cls: 'pos' },
    ];
    if (brandDays) segments.push({ value: b.replies, cls: 'brand' }, { value: b.broadcasts, cls: 'bcast' });
    return { label: sameYear ? d.date.slice(5) : d.date, title, segments };
  });
  const legend = [
    ['neg', 'negative (customers)'],
    ['neu', brandDays ? 'neutral or unscored (customers)' : 'neutral, unscored and brand posts'],
    ['pos', 'positive (customers)'],
    ...(brandDays ? [['brand', 'brand replies'], ['bcast', 'brand broadcasts']] : []),
  ];
  const chart = stackedColumns(cols, { ariaLabel: `Mentions per day from ${days[0]?.date} to ${days[days.length - 1]?.date}, stacked by sentiment`, id: 'chart-volume' });
  return section(
    'volume',
    'Volume and sentiment over time',
    `<p class="explain">Mentions per calendar day in ${esc(tz)}. Hover a bar for its counts.</p>
<figure>${chart}<figcaption>${legendHtml(legend)}</figcaption></figure>
${bySourceTable(o)}`,
  );
}

/** Brand replies and broadcasts per local day, only when the report carries every mention (so the split is exact). */
function brandPostsByDay(report: Report, tz: string): Map<string, { broadcasts: number; replies: number }> | undefined {
  if (report.mentions.length === 0 || report.mentions.length !== report.summary.overall.volume.total) return undefined;
  const dayOf = localDay(tz);
  const out = new Map<string, { broadcasts: number; replies: number }>();
  for (const m of report.mentions) {
    if (!m.fromBrand) continue;
    const day = dayOf(Date.parse(m.createdAt));
    const v = out.get(day) ?? { broadcasts: 0, replies: 0 };
    if (m.parentId === undefined) v.broadcasts += 1;
    else v.replies += 1;
    out.set(day, v);
  }
  return out;
}

function bySourceTable(o: BrandSummary): string {
  if (o.volume.bySource.length === 0) return '';
  const rows = o.volume.bySource.map((s) => {
    // A source that cannot show brand replies has no response figures, only a count of what was left out.
    const unseen = s.needingReply === 0 && s.unobservable > 0;
    const need = unseen ? `(${num(s.unobservable)})` : num(s.needingReply);
    return `<tr><td>${escBreakable(oneLine(s.source))}</td><td class="n">${num(s.count)}</td><td class="n">${num(s.negative)}</td><td class="n">${need}</td><td class="n">${unseen ? '—' : num(s.answered)}</td><td class="n">${unseen ? 'n/a' : esc(pct(s.rate))}</td></tr>`;
  });
  const note = o.volume.bySource.some((s) => s.needingReply === 0 && s.unobservable > 0)
    ? '<p class="note">n/a: the source does not show brand replies (the App Store feed has no developer responses); (n) complaints and questions are left out of response figures.</p>'
    : '';
  return `<table class="data" id="by-source"><caption>By source</caption><thead><tr><th>Source</th><th class="n">Mentions</th><th class="n">Negative</th><th class="n">Need reply</th><th class="n">Answered</th><th class="n">Rate</th></tr></thead><tbody>${rows.join('')}</tbody></table>${note}`;
}

function replyTimeSection(o: BrandSummary): string {
  const dist = o.response.distribution;
  if (o.response.answered === 0 || dist.length === 0) return section('reply-times', 'Time to first reply', '<p class="empty">No answered mentions, so no reply times to show.</p>');
  const bars: Bar[] = dist.map((d) => ({ label: d.label, value: d.count, text: num(d.count), cls: 'reply', title: `${d.label}: ${d.count} answered mention${d.count === 1 ? '' : 's'}` }));
  const chart = columns(bars, { ariaLabel: 'Answered mentions by calendar time to first brand reply', id: 'chart-reply-times' });
  return section(
    'reply-times',
    'Time to first reply',
    `<p class="explain">Answered mentions by calendar time to the first brand reply. Median ${esc(minutesText(o.response.medianMinutes))}, p90 ${esc(minutesText(o.response.p90Minutes))}; in business hours median ${esc(minutesText(o.response.medianBusinessMinutes))}, p90 ${esc(minutesText(o.response.p90BusinessMinutes))}. <a href="#def-first-reply">How it is measured</a>.</p>
<figure>${chart}</figure>`,
  );
}

function offHoursSection(o: BrandSummary): string {
  const ih = o.offHours.inHours;
  const oh = o.offHours.offHours;
  if (ih.needingReply + oh.needingReply === 0) return section('off-hours', 'In hours vs off hours', '<p class="empty">Nothing needed a reply, so there is no off-hours gap to show.</p>');
  const rate = horizontalBars(
    [
      { label: 'In hours', value: ih.rate ?? 0, text: pct(ih.rate), cls: 'in', title: `In hours: ${pct(ih.rate)} (${ih.answered}/${ih.needingReply})` },
      { label: 'Off hours', value: oh.rate ?? 0, text: pct(oh.rate), cls: 'off', title: `Off hours: ${pct(oh.rate)} (${oh.answered}/${oh.needingReply})` },
    ],
    { ariaLabel: 'Response rate in hours and off hours', max: 1, id: 'chart-off-hours-rate' },
  );
  const median = horizontalBars(
    [
      { label: 'In hours', value: ih.medianMinutes ?? 0, text: minutesText(ih.medianMinutes), cls: 'in' },
      { label: 'Off hours', value: oh.medianMinutes ?? 0, text: minutesText(oh.medianMinutes), cls: 'off' },
    ],
    { ariaLabel: 'Median calendar minutes to first reply in hours and off hours', id: 'chart-off-hours-median' },
  );
  return section(
    'off-hours',
    'In hours vs off hours',
    `<p class="explain">${num(ih.needingReply)} mention${ih.needingReply === 1 ? '' : 's'} needing a reply arrived in business hours, ${num(oh.needingReply)} off hours. <a href="#def-off-hours">Definition</a>.</p>
<div class="pair"><figure><figcaption>Response rate</figcaption>${rate}</figure><figure><figcaption>Median first reply (calendar)</figcaption>${median}</figure></div>`,
  );
}

function unansweredSection(items: UnansweredItem[], total: number, needing: number, tz: string, multi: boolean): string {
  const headingText = `Unanswered, furthest past its reply deadline first (${num(total)} in all${items.length < total ? `, ${num(items.length)} listed` : ''})`;
  if (items.length === 0) {
    const why = total > 0 ? 'None listed.' : needing === 0 ? 'Nothing needed a reply.' : 'None: every complaint and question got a public reply.';
    return section('unanswered', headingText, `<p class="empty">${why}</p>`);
  }
  const rows = items.map((it, i) => {
    const href = safeHref(it.url);
    const link = href !== undefined ? `<a href="${esc(href)}" rel="noopener noreferrer" target="_blank">${escBreakable(clip(href, 80))}</a>` : `<span class="muted">${it.url === undefined ? '(no link: the source gave none)' : '(link not shown: not a web address)'}</span>`;
    const who = `${escBreakable(oneLine(it.source))}${it.author !== undefined ? `<br>${escBreakable(clip(oneLine(it.author), 40))}` : ''}<br><span class="muted nowrap">${esc(localDateTime(it.createdAt, tz))}</span>`;
    const kind = `<span class="muted">${esc(it.intent)} · </span><span class="${it.sentiment === 'negative' ? 'bad' : 'muted'}">${esc(it.sentiment)}</span>`;
    const open = `${esc(minutesText(it.openMinutes))}${it.cameBack ? `<br><span class="warn">came back</span><br><span class="muted">brand silent ${esc(minutesText(it.sinceBrandMinutes ?? 0))}</span>` : ''}`;
    return `<tr><td class="n">${i + 1}</td><td class="n nowrap">${open}</td><td class="n">${esc(it.severity.toFixed(1))}</td>${multi ? `<td>${escBreakable(oneLine(it.brand ?? ''))}</td>` : ''}<td>${who}</td><td class="excerpt">${escBreakable(oneLine(it.excerpt))}<br>${kind} · ${link}</td></tr>`;
  });
  return section(
    'unanswered',
    headingText,
    `<p class="explain">Complaints and questions with no public brand reply, open for the time shown at the report's time, and customers who <a href="#def-follow-ups">came back</a> after a reply and heard nothing since. <a href="#def-severity">How severity is ranked</a>.</p>
<table class="data queue"><thead><tr><th class="n">#</th><th class="n">Open</th><th class="n">Severity</th>${multi ? '<th>Brand</th>' : ''}<th>Where, who, when (${esc(tz)})</th><th>What</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
  );
}

/** Every figure per brand, one row each, so many brands still fit. */
function competitorsSection(brands: BrandSummary[], registry: FigureRegistry): string {
  const cols = registry.views.htmlBrands;
  const first = brands[0]!;
  const cell = (line: (typeof cols)[number], b: BrandSummary): string => (linesFor([line], b).length > 0 ? textOf(line, b, values(registry, b)) : '—');
  const head = `<tr><th>Brand</th>${cols.map((line) => `<th class="n">${esc(labelOf(registry, line, first))}</th>`).join('')}</tr>`;
  const rows = brands.map((b) => `<tr data-brand="${esc(oneLine(b.brand))}"><th scope="row">${escBreakable(oneLine(b.brand))}</th>${cols.map((line) => `<td class="n">${esc(cell(line, b))}</td>`).join('')}</tr>`);
  const rate = horizontalBars(
    brands.map((b) => ({ label: oneLine(b.brand), value: b.response.rate ?? 0, text: pct(b.response.rate), cls: 'in', title: `${oneLine(b.brand)}: ${pct(b.response.rate)} (${b.response.answered}/${b.response.needingReply})` })),
    { ariaLabel: 'Response rate per brand', max: 1, id: 'chart-brands-rate' },
  );
  const median = horizontalBars(
    brands.map((b) => ({ label: oneLine(b.brand), value: b.response.medianMinutes ?? 0, text: minutesText(b.response.medianMinutes), cls: 'reply' })),
    { ariaLabel: 'Median calendar minutes to first reply per brand', id: 'chart-brands-median' },
  );
  return section(
    'competitors',
    'Competitors side by side',
    `<p class="explain">Customer mentions are the posts by people other than the brand (its own posts are left out); share of voice is each brand’s share of all the brands’ customer mentions, the same count. <a href="#def-mentions">Definition</a>.</p>
<div class="pair"><figure><figcaption>Response rate</figcaption>${rate}</figure><figure><figcaption>Median first reply (calendar)</figcaption>${median}</figure></div>
<div class="scroll"><table class="data brands"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></div>`,
  );
}

function sourcesSection(report: Report): string {
  if (report.coverage.length === 0) return '';
  const rows = report.coverage.map((c) => {
    const counted = inWindow(report, c.source, c.brand);
    return `<tr><td>${escBreakable(oneLine(`${c.source}${c.brand !== undefined ? ` (${c.brand})` : ''}`))}</td><td class="${statusClass(c.status)}">${esc(c.status)}</td><td class="n">${num(c.mentions)}</td><td class="n">${num(counted)}</td></tr>`;
  });
  return section(
    'sources',
    'Sources',
    `<p class="explain">Fetched: what each source returned, before duplicates, the query filter and the time window were applied. In window: the mentions this report counts, as in “By source” above. The run’s own notes are under Run details at the end.</p>
<table class="data" id="sources-table"><thead><tr><th>Source</th><th>Status</th><th class="n">Fetched</th><th class="n">In window</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
  );
}

/** How many of a source's mentions the report counts (for one brand when coverage is per brand). */
function inWindow(report: Report, source: string, brand: string | undefined): number {
  const summary = (brand !== undefined ? report.summary.brands.find((b) => b.brand === brand) : undefined) ?? report.summary.overall;
  return summary.volume.bySource.find((s) => s.source === source)?.count ?? 0;
}

const MAX_NOTES = 20;

/**
 * What the person who ran the audit needs and the client does not: versions, the input, queries, thresholds in flag
 * and config terms, each source's errors and warnings (which name environment variables and local addresses), and
 * where the definitions live. Collapsed, at the end.
 */
function runDetails(report: Report, tz: string): string {
  const s = report.settings;
  const facts: [string, string][] = [
    ['Tool', `${esc(oneLine(report.tool.name))} ${esc(oneLine(report.tool.version))}`],
    ['Report format', `schemaVersion ${esc(report.schemaVersion)}`],
    ['Generated at', `${esc(report.generatedAt)} (${esc(localDateTime(report.generatedAt, tz))} ${esc(tz)})`],
  ];
  if (s.input !== undefined) facts.push(['Input', esc(oneLine(s.input))]);
  for (const [brand, query] of Object.entries(s.queries ?? {})) facts.push([`Query (${oneLine(brand)})`, esc(oneLine(query))]);
  if (s.replyTargetMinutes !== undefined) facts.push(['Reply target', esc(minutesText(s.replyTargetMinutes))]);
  const parts = [`<dl class="meta">${facts.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${v}</dd></div>`).join('')}</dl>`];
  const checks = [...(report.breaches ?? []).map((b) => `Breached: ${b}`), ...(report.notEvaluated ?? []).map((n) => `Not evaluated: ${n}`)];
  if (checks.length > 0) parts.push(`<h3>Thresholds</h3><ul>${checks.map((l) => `<li>${escBreakable(oneLine(l))}</li>`).join('')}</ul>`);
  if (report.coverage.length > 0) {
    const rows = report.coverage.map((c) => {
      const notes = [...(c.error ? [`${c.error.code}: ${c.error.message}`] : []), ...c.warnings].map((n) => escBreakable(oneLine(n)));
      return `<tr><td>${escBreakable(oneLine(`${c.source}${c.brand !== undefined ? ` (${c.brand})` : ''}`))}</td><td class="${statusClass(c.status)}">${esc(c.status)}</td><td>${notes.join('<br>')}</td></tr>`;
    });
    parts.push(`<table class="data" id="source-notes"><caption>Sources: errors and warnings</caption><thead><tr><th>Source</th><th>Status</th><th>Notes</th></tr></thead><tbody>${rows.join('')}</tbody></table>`);
  }
  if (report.warnings.length > 0) {
    const items = report.warnings.slice(0, MAX_NOTES).map((w) => `<li>${escBreakable(oneLine(w))}</li>`);
    const more = report.warnings.length > MAX_NOTES ? `<p class="muted">+${report.warnings.length - MAX_NOTES} more in the JSON report.</p>` : '';
    parts.push(`<h3>Notes from the run</h3><ul id="notes">${items.join('')}</ul>${more}`);
  }
  parts.push(`<p class="muted">Full definitions: docs/metrics.md in the earshot repository, ${esc(PROJECT_URL)}.</p>`);
  return `<details id="run-details">
<summary>Run details (for whoever ran the audit)</summary>
${parts.join('\n')}
</details>`;
}

/** Short definitions from docs/metrics.md, anchored so every headline label links to its own. */
const DEFINITIONS: [string, string, string][] = [
  ['def-mentions', 'Mentions and share of voice', 'Mentions count every post found that names the brand, its own posts included; customer mentions leave the brand’s own out. Share of voice is a brand’s customer mentions ÷ all audited brands’ customer mentions: the same count, so the competitor table shows customer mentions beside it.'],
  ['def-brand', 'Brand posts', 'A mention is the brand’s when its source says so or its author matches a brand handle. Brand posts never need a reply and are left out of sentiment shares.'],
  ['def-needs-reply', 'Needs a reply', 'A customer mention whose intent is a complaint or a question (reviews rated 1–2 are complaints). Praise and other mentions need no reply.'],
  ['def-response-rate', 'Response rate', 'Answered ÷ needing a reply, by when the mention was posted. A Friday complaint answered on Monday counts as answered.'],
  ['def-first-reply', 'Time to first reply', 'The earliest brand post that descends from the mention (a reply, or a reply to a reply). Calendar time is the customer’s view; business time counts only open hours, and a message that arrives off hours starts its clock at the next opening. Median and p90 interpolate between closest ranks.'],
  ['def-off-hours', 'Off-hours gap', 'Mentions needing a reply split by whether they were posted inside business hours (nights, weekends and holidays are off hours); response rate and median calendar reply time for each side.'],
  ['def-unanswered', 'Unanswered', 'Mentions needing a reply that got no public brand reply; they are never dropped and are shown as open for N minutes at the report’s time.'],
  ['def-deflection', 'Deflections', 'A short first reply that only redirects to a private channel (“DM us”, “email us”). Share = deflections ÷ answered.'],
  ['def-substantive', 'Substantive response rate', 'Mentions needing a reply whose first brand reply was neither canned nor only a deflection, ÷ mentions needing a reply. The response rate counts every answer; this one counts answers written for the customer.'],
  ['def-canned', 'Canned replies', 'Brand replies grouped by near-identity once names, handles, numbers, order and ticket ids, signatures, links and emoji are masked; a group used at least canned.minUses times (twice unless set; never once) is a template. Share = answered mentions whose first reply came from a template ÷ answered.'],
  ['def-follow-ups', 'Came back, no answer', 'A customer who wrote again in the thread after the brand replied to them, and got no brand word since (thanks and praise excepted). Listed in the unanswered queue, marked “came back”.'],
  ['def-resolution', 'Resolved in public', 'Of the answered mentions, the share whose customer later wrote in the thread that it was fixed (“that fixed it”, “all sorted”, “works now”) or not (“still broken”, “no one got back to me”); the customer’s latest message with such words decides, “not fixed” words winning within one message. No later word, or none of these words: unknown.'],
  ['def-trends', 'Trends', 'With --history: the mentions, response rate, substantive rate, median first reply and negative share of each earlier report.json in the folder and of this run, ordered by their as-of time, at most the last 12 reports. Brands are matched by name; a gap is a report without that brand or figure.'],
  ['def-broadcast', 'Broadcasts vs replies', 'Broadcasts are brand posts that start a thread (launches, promotions); replies answer something. “Broadcasts while complaints waited” counts broadcasts published while at least one complaint of the same brand was unanswered.'],
  ['def-sentiment', 'Sentiment shares', 'Positive and negative are shares of the brand’s customer mentions that were scored; unscored (non-English text) is the share of all its customer mentions that could not be scored. Days are calendar days in the report’s time zone.'],
  ['def-severity', 'Severity', 'Ranks the unanswered queue: 2 × negativity + 1 for a complaint + log10(1 + reach) + log10(1 + hours open). Ties go to the oldest.'],
];

function howToRead(trends: boolean): string {
  // Trends are defined only where they are shown (--history).
  const items = DEFINITIONS.filter(([id]) => trends || id !== 'def-trends').map(([id, term, text]) => `<div id="${id}"><dt>${esc(term)}</dt><dd>${esc(text)}</dd></div>`);
  return section(
    'how-to-read',
    'How to read this',
    `<dl class="defs">${items.join('')}</dl>
<p class="muted">Each figure is defined in full in earshot’s documentation (metrics); Run details below says where.</p>`,
  );
}

function footer(report: Report, tz: string): string {
  return `<footer>Generated by ${esc(oneLine(report.tool.name))} on ${esc(localDateTime(report.generatedAt, tz))} ${esc(tz)} · no network, no scripts: this file is self-contained.</footer>`;
}

/**
 * A breach sentence without the operator's words: "(--fail-under-response-rate or thresholds.responseRate; 4 of 9
 * answered)" becomes "(4 of 9 answered)". The whole sentence stays in Run details.
 */
function clientSentence(breach: string): string {
  return breach.replace(/ \((?:--[a-z-]+ or thresholds\.[A-Za-z]+)(?:; ([^)]*))?\)/g, (_m, rest: string | undefined) => (rest ? ` (${rest})` : ''));
}

/** Spikes and threshold breaches, first thing on the page. */
function alertsSection(report: Report): string {
  const brands = report.summary.brands.length > 0 ? report.summary.brands : [report.summary.overall];
  const lines = [
    ...(report.breaches ?? []).map((b) => `<li>${esc(oneLine(`Threshold breached: ${clientSentence(b)}`))}</li>`),
    ...spikesToShow(brands).map((sp) => `<li>${esc(oneLine(`${sp.label}${sp.spike.message}`))}${sp.explain ? spikeExplanationHtml(sp.spike.explanation!, safeHref) : ''}</li>`),
  ];
  if (lines.length === 0) return '';
  return section('alerts', 'Alerts', `<ul class="alerts">${lines.join('')}</ul>`);
}

/** With --compare: each headline figure before, now, and the change. */
function changesSection(report: Report, tz: string, registry: FigureRegistry): string {
  const cmp = report.comparison;
  if (!cmp) return '';
  const tables = cmp.brands.map((b) => {
    const rows = b.changes.map((ch) => {
      const [label, before, now, delta] = changeCells(ch, registry);
      return `<tr><td>${esc(label)}</td><td class="n">${esc(before)}</td><td class="n">${esc(now)}</td><td class="n">${esc(delta)}</td></tr>`;
    });
    return `<table class="data changes"><caption>${escBreakable(oneLine(b.brand))}</caption><thead><tr><th></th><th class="n">Before</th><th class="n">Now</th><th class="n">Change</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  });
  return section('changes', `Change since ${localDateTime(cmp.previousGeneratedAt, tz)}`, tables.join('\n'));
}

/** The brand's figures against published benchmarks (absent with --no-benchmarks or when none applies). */
function benchmarksSection(brands: readonly BrandSummary[]): string {
  const inner = benchmarksHtml(brands, safeHref);
  return inner === '' ? '' : section('benchmarks', 'Against published benchmarks', inner);
}

/** Response by author reach, and the share answered within the reply target. */
function reachSection(o: BrandSummary): string {
  const parts: string[] = [];
  const t = o.response.withinTarget;
  if (t) parts.push(`<p>Answered within ${esc(minutesText(t.targetMinutes))}: <strong>${esc(pct(t.calendarShare))}</strong> of mentions needing a reply (business hours: ${esc(pct(t.businessShare))}).</p>`);
  if (o.byReach.some((r) => r.tier !== 'unknown')) {
    const rows = o.byReach.map((r) => `<tr><td>${esc(r.tier)}</td><td class="n">${num(r.needingReply)}</td><td class="n">${num(r.answered)}</td><td class="n">${esc(pct(r.rate))}</td><td class="n">${esc(minutesText(r.medianMinutes))}</td></tr>`);
    parts.push(`<table class="data" id="by-reach"><caption>By author reach (followers): do loud customers get answered first?</caption><thead><tr><th>Followers</th><th class="n">Need reply</th><th class="n">Answered</th><th class="n">Rate</th><th class="n">Median reply</th></tr></thead><tbody>${rows.join('')}</tbody></table>`);
  }
  // The heading names only what is shown: no target was set, no target in the heading.
  const heading = t && parts.length > 1 ? 'Reply target and reach' : t ? 'Reply target' : 'Replies by author reach';
  return parts.length > 0 ? section('reach', heading, parts.join('\n')) : '';
}

/** The brand's reply templates: masked text, uses, first and last use, whether it deflects, example links. */
function templatesSection(o: BrandSummary, tz: string): string {
  const list = o.response.templates;
  if (list.length === 0) return '';
  const rows = list.map((t) => {
    const links = t.examples
      .map((u) => safeHref(u))
      .filter((h): h is string => h !== undefined)
      .map((h, i) => `<a href="${esc(h)}" rel="noopener noreferrer" target="_blank">use ${i + 1}</a>`)
      .join(' · ');
    return `<tr><td class="n">${num(t.count)}</td><td>${t.deflects ? '<span class="warn">deflects</span>' : 'carries content'}</td><td class="excerpt">${escBreakable(oneLine(t.text))}${links ? `<br>${links}` : ''}</td><td class="nowrap muted">${esc(localDateTime(t.firstUsedAt, tz))}<br>${esc(localDateTime(t.lastUsedAt, tz))}</td></tr>`;
  });
  return section(
    'templates',
    `Reply templates (${num(list.length)})`,
    `<p class="explain">Brand replies that are near-identical once names, handles, numbers, ids, signatures, links and emoji are masked (shown as &lt;name&gt;, @user, #, &lt;url&gt;, &lt;sig&gt;). ${esc(pct(o.response.cannedShare))} of answered mentions got one of these first. <a href="#def-canned">Definition</a>.</p>
<table class="data templates"><thead><tr><th class="n">Uses</th><th>Kind</th><th>Template</th><th>First / last use (${esc(tz)})</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
  );
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function section(id: string, heading: string, inner: string): string {
  return `<section id="${id}">\n<h2>${esc(heading)}</h2>\n${inner}\n</section>`;
}

function legendHtml(items: string[][]): string {
  return `<ul class="legend">${items.map(([cls, text]) => `<li><span class="sw ${esc(cls ?? '')}"></span>${esc(text ?? '')}</li>`).join('')}</ul>`;
}

function num(n: number): string {
  return n.toLocaleString('en-US');
}

function clip(text: string, n: number): string {
  const chars = [...text];
  return chars.length <= n ? text : `${chars.slice(0, n - 1).join('')}…`;
}

// Print keeps colours (they carry meaning) and avoids splitting a chart or card across pages.
const STYLE = `
:root{--fg:#1d2330;--muted:#5d6675;--line:#dfe3ea;--bg:#fff;--card:#f6f7f9;--neg:#c8423b;--neu:#b9c0ca;--pos:#2f8f5b;--brand:#3b6fb6;--bcast:#e39b2d;--in:#3b6fb6;--off:#8a5cb8;--reply:#3b8ea5}
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1100px;margin:0 auto;padding:24px 28px 40px}
h1{font-size:28px;margin:2px 0 12px;overflow-wrap:anywhere}
h2{font-size:19px;margin:0 0 10px;border-bottom:2px solid var(--line);padding-bottom:4px}
h2 small{font-size:13px;font-weight:normal;color:var(--muted)}
section{margin:28px 0;break-inside:avoid-page}
.kicker{margin:0;color:var(--muted);text-transform:uppercase;letter-spacing:.08em;font-size:12px}
.meta{display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:6px 18px;margin:0}
.meta div{min-width:0}.meta dt{font-size:12px;color:var(--muted)}.meta dd{margin:0;overflow-wrap:anywhere}
ul.inline{list-style:none;margin:0;padding:0}ul.inline li{display:inline}ul.inline li+li::before{content:" · ";color:var(--muted)}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:10px}
.card{background:var(--card);border-radius:8px;padding:10px 12px;border-left:4px solid var(--line);break-inside:avoid}
.card.good{border-left-color:var(--pos)}.card.warn{border-left-color:var(--bcast)}.card.bad{border-left-color:var(--neg)}
.card .label{display:block;font-size:13px;color:var(--muted);text-decoration:none}
.card .label:hover{text-decoration:underline}
.card .value{display:block;font-size:24px;font-weight:600;margin:2px 0}
.alerts li{color:#8a4b00;font-weight:600}
.alerts .spike-explained{color:#222;font-weight:400;margin:.3em 0 .6em}
.benchmarks tr.worse td:first-child{color:#a11}
.benchmarks tr.better td:first-child{color:#176b2c}
.card .note{display:block;font-size:12px;color:var(--muted)}
figure{margin:8px 0;break-inside:avoid}
figcaption{font-size:13px;color:var(--muted)}
svg.chart{max-width:100%;height:auto;display:block}
svg.chart.stacked{width:100%}
svg.chart text{font-size:12px;fill:var(--fg)}
svg.chart .tick{fill:var(--muted);font-size:11px}
svg.chart .grid{stroke:var(--line);stroke-width:1}
svg.chart .track{fill:var(--card)}
.neg{fill:var(--neg)}.neu{fill:var(--neu)}.pos{fill:var(--pos)}.brand{fill:var(--brand)}.bcast{fill:var(--bcast)}.in{fill:var(--in)}.off{fill:var(--off)}.reply{fill:var(--reply)}
.pair{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:16px}
.trends{display:flex;flex-wrap:wrap;gap:12px}.trends figure.trend{margin:0}.trends .muted{font-size:11px;color:var(--muted)}svg.chart.spark{color:var(--fg)}svg.chart.spark circle{fill:currentColor}
.legend{list-style:none;padding:0;margin:4px 0;display:flex;flex-wrap:wrap;gap:4px 16px}
.sw{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.sw.neg{background:var(--neg)}.sw.neu{background:var(--neu)}.sw.pos{background:var(--pos)}.sw.brand{background:var(--brand)}.sw.bcast{background:var(--bcast)}
table.data{border-collapse:collapse;width:100%;font-size:13.5px;margin:10px 0}
table.data caption{text-align:left;font-weight:600;padding:4px 0}
table.data th,table.data td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top;overflow-wrap:break-word}
table.brands{font-size:12.5px}table.brands th,table.brands td{padding:5px 6px}table.brands td{white-space:nowrap}
table.data thead th{font-size:12px;color:var(--muted);font-weight:600}
table.data tr{break-inside:avoid}
.n{text-align:right !important;font-variant-numeric:tabular-nums}
.nowrap{white-space:nowrap}
.excerpt{min-width:14em;max-width:560px}
.excerpt a{color:var(--brand)}
.excerpt .muted,.excerpt .bad,.excerpt a{font-size:12px}
.scroll{overflow-x:auto}
.muted{color:var(--muted)}.bad{color:var(--neg)}.warn{color:#9a6100}.ok{color:var(--pos)}
.empty{color:var(--muted);font-style:italic}
.explain{color:var(--muted);font-size:13.5px;margin:0 0 6px}
.defs{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:8px 20px}
.defs dt{font-weight:600}.defs dd{margin:0;font-size:13.5px;color:var(--muted)}
.defs div:target{background:#fff6db}
details#run-details{margin:28px 0;font-size:13.5px;color:var(--muted)}details#run-details summary{cursor:pointer;font-weight:600}details#run-details h3{font-size:14px;margin:14px 0 4px}
footer{margin-top:36px;padding-top:10px;border-top:1px solid var(--line);font-size:12px;color:var(--muted)}
@media print{main{max-width:none;padding:0}details#run-details{display:none}body{font-size:11pt}.card .value{font-size:18pt}a{color:inherit}.scroll{overflow:visible}}
`;
