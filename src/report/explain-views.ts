/**
 * How the table and the HTML report show a spike's explanation and a brand's published benchmarks. Pure: strings
 * from the report's data, within the table's width (links aside, printed whole).
 */
import { oneLine } from '../core/sanitize.js';
import type { BenchmarkComparison, BrandSummary, Spike, SpikeExplanation } from '../core/report.js';
import { pct, truncate } from './format.js';
import { esc, escBreakable } from './html-svg.js';

/** The spikes a view lists, each with its brand's label and whether it is the first of its day (which shows the explanation). */
export function spikesToShow(brands: readonly BrandSummary[]): { label: string; spike: Spike; explain: boolean }[] {
  const multi = brands.length > 1;
  return brands.flatMap((b) =>
    b.spikes.map((spike, i) => ({
      label: multi ? `${b.brand}: ` : '',
      spike,
      // Both kinds of one day share one explanation: shown under the first.
      explain: spike.explanation !== undefined && b.spikes.findIndex((s) => s.date === spike.date) === i,
    })),
  );
}

/** The sentiment shift in words: "negative 96% vs 0% the 7 days before". */
function shiftText(e: SpikeExplanation): string {
  const s = e.sentiment;
  return `negative ${pct(s.negativeShare)} vs ${pct(s.baselineNegativeShare)} the 7 days before; positive ${pct(s.positiveShare)} vs ${pct(s.baselinePositiveShare)}`;
}

function termsText(e: SpikeExplanation): string {
  return e.terms.map((t) => `${t.term} (${t.count} vs ${t.baselineCount})`).join(', ');
}

function sourcesText(e: SpikeExplanation): string {
  return e.sources.map((s) => `${s.source} ${s.count} (7-day mean ${s.baselineDailyMean})`).join(', ');
}

/** The table's lines under a spike (indented, each within `width`). */
export function spikeExplanationLines(e: SpikeExplanation, width: number): string[] {
  const out: string[] = [];
  const line = (label: string, text: string): void => {
    if (text !== '') out.push(`    ${truncate(oneLine(`${label}: ${text}`), width - 4)}`);
  };
  // Counts are mentions with the word: the day's, then the 7 days before.
  line('terms, day vs week', e.terms.length > 0 ? termsText(e) : 'none stands out');
  line('sources', sourcesText(e));
  line('authors', e.authors.map((a) => `${a.author} ${a.count}`).join(', '));
  line('sentiment', shiftText(e));
  for (const x of e.examples) {
    out.push(`    ${truncate(oneLine(`e.g. ${x.source}${x.author !== undefined ? ` ${x.author}` : ''}: ${x.excerpt}`), width - 4)}`);
    // Links whole on their own line, as everywhere in the table, so they stay clickable.
    if (x.url !== undefined) out.push(`      ${oneLine(x.url)}`);
  }
  return out;
}

/** The HTML under a spike: terms, sources, authors, sentiment shift and linked examples. */
export function spikeExplanationHtml(e: SpikeExplanation, href: (url: string | undefined) => string | undefined): string {
  const rows: string[] = [];
  const row = (label: string, html: string): void => {
    if (html !== '') rows.push(`<tr><th scope="row">${esc(label)}</th><td>${html}</td></tr>`);
  };
  row('Distinctive terms', e.terms.length > 0 ? e.terms.map((t) => `<strong>${esc(oneLine(t.term))}</strong> ${t.count} vs ${t.baselineCount}`).join(', ') : 'none stands out');
  row('Sources', escBreakable(oneLine(sourcesText(e))));
  row('Authors', escBreakable(oneLine(e.authors.map((a) => `${a.author} ${a.count}`).join(', '))));
  row('Sentiment', esc(shiftText(e)));
  const examples = e.examples.map((x) => {
    const link = href(x.url);
    const who = `${escBreakable(oneLine(x.source))}${x.author !== undefined ? ` · ${escBreakable(oneLine(x.author))}` : ''}`;
    return `<li>${who}: ${escBreakable(oneLine(x.excerpt))}${link !== undefined ? ` <a href="${esc(link)}" rel="noopener noreferrer" target="_blank">link</a>` : ''}</li>`;
  });
  if (examples.length > 0) row('Examples', `<ul>${examples.join('')}</ul>`);
  return `<table class="data spike-explained"><tbody>${rows.join('')}</tbody></table>`;
}

/** The table's benchmark section for the brands shown (empty when none applies or --no-benchmarks). */
export function benchmarkLines(brands: readonly BrandSummary[], width: number): string[] {
  const multi = brands.length > 1;
  const out: string[] = [];
  for (const b of brands) {
    for (const c of b.benchmarks ?? []) out.push(...wrapped(`${mark(c)} ${multi ? `${b.brand}: ` : ''}${c.text}`, width));
  }
  return out;
}

/** A line wrapped at spaces to `width`, indented 2 and its continuations 4 (a word longer than a line is cut). */
function wrapped(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of oneLine(text).split(' ')) {
    const room = width - (lines.length === 0 ? 2 : 4);
    if (current !== '' && current.length + 1 + word.length > room) {
      lines.push(current);
      current = word;
    } else current = current === '' ? word : `${current} ${word}`;
  }
  if (current !== '') lines.push(current);
  return lines.map((l, i) => (i === 0 ? `  ${truncate(l, width - 2)}` : `    ${truncate(l, width - 4)}`));
}

/** ▲ better than the benchmark, ▼ worse, = level. */
function mark(c: BenchmarkComparison): string {
  return c.standing === 'better' ? '▲' : c.standing === 'worse' ? '▼' : '=';
}

/** The HTML benchmark table: the brand's figure against each applicable benchmark, with its source linked. */
export function benchmarksHtml(brands: readonly BrandSummary[], href: (url: string | undefined) => string | undefined): string {
  const multi = brands.length > 1;
  const rows = brands.flatMap((b) =>
    (b.benchmarks ?? []).map((c) => {
      const link = href(c.url);
      const source = `${escBreakable(oneLine(c.source))}, ${c.year}`;
      return `<tr class="${c.standing}">${multi ? `<td>${escBreakable(oneLine(b.brand))}</td>` : ''}<td>${esc(mark(c))} ${escBreakable(oneLine(c.text))}</td><td>${link !== undefined ? `<a href="${esc(link)}" rel="noopener noreferrer" target="_blank">${source}</a>` : source}</td></tr>`;
    }),
  );
  if (rows.length === 0) return '';
  return `<table class="data benchmarks"><thead><tr>${multi ? '<th>Brand</th>' : ''}<th>Against the published figure</th><th>Source</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<p class="muted">Published figures measured other brands, channels and years, each its own way (private messages, surveys of what consumers expect): a yardstick, not a target. Method and sample of each: earshot's documentation (benchmarks).</p>`;
}
