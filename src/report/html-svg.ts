/** Small static SVG chart builders for the HTML report: no script, no external resources, escaped text. */
import { stripControl } from '../core/sanitize.js';

/** Escapes text for HTML/SVG content and double-quoted attributes, after stripping control, bidi and zero-width characters. */
export function esc(value: string | number): string {
  return stripControl(String(value)).replace(/[&<>"'`]/g, (ch) => ENTITIES[ch] ?? ch);
}

/**
 * Like `esc`, and long unbroken runs (URLs, handles, pasted tokens) get `<wbr>` every 16 characters, so a table
 * column can wrap them without breaking ordinary words mid-way.
 */
export function escBreakable(value: string): string {
  return stripControl(value)
    .split(/(\s+)/)
    .map((run) => {
      const chars = [...run];
      if (chars.length <= 24) return esc(run);
      const chunks: string[] = [];
      for (let i = 0; i < chars.length; i += 16) chunks.push(esc(chars.slice(i, i + 16).join('')));
      return chunks.join('<wbr>');
    })
    .join('');
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** One segment of a stacked column. */
interface Segment {
  value: number;
  /** CSS class that colours the segment (e.g. `neg`, `neu`, `pos`). */
  cls: string;
}

/** One column of a stacked column chart (one data point, e.g. a day). */
export interface StackedColumn {
  label: string;
  /** Tooltip and accessible text for the whole column. */
  title: string;
  /** Drawn bottom to top. */
  segments: Segment[];
}

/** A single bar (one data point). */
export interface Bar {
  label: string;
  value: number;
  /** The value as a reader sees it, drawn next to the bar. */
  text: string;
  cls: string;
  title?: string;
}

const FONT = 12;

/**
 * Gridline values for counts from 0 to `max`: a step of 1, 2 or 5 times a power of ten giving at most five steps,
 * the last tick the first multiple of the step at or above `max` (27 → 0, 10, 20, 30; not an axis to 50).
 */
export function niceTicks(max: number): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const raw = max / 5;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, ([1, 2, 5, 10].map((m) => m * p).find((x) => x >= raw) ?? 10 * p));
  const top = Math.ceil(max / step) * step;
  return Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
}

/** The top of a scale for values up to `max`: its last gridline. */
function niceMax(max: number): number {
  return niceTicks(max).at(-1)!;
}

function fmt(n: number): string {
  // Coordinates to 0.1 px keep the markup short without visible rounding.
  return String(Math.round(n * 10) / 10);
}

/** Vertical stacked columns (e.g. mentions per day split by sentiment), with gridlines and sparse date labels. */
export function stackedColumns(cols: StackedColumn[], options: { ariaLabel: string; width?: number; height?: number; id?: string }): string {
  const width = options.width ?? 760;
  const height = options.height ?? 240;
  const left = 40;
  const right = 8;
  const top = 10;
  const bottom = 34;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const max = niceMax(Math.max(0, ...cols.map((c) => c.segments.reduce((s, x) => s + Math.max(0, x.value), 0))));
  const slot = cols.length > 0 ? plotW / cols.length : plotW;
  const barW = Math.max(1, slot * (cols.length > 60 ? 0.9 : 0.72));
  // Label at most ~12 columns so dates never overlap.
  const every = Math.max(1, Math.ceil(cols.length / 12));
  const parts: string[] = [svgOpen(width, height, options.ariaLabel, 'stacked', options.id)];
  parts.push(grid(max, left, top, plotW, plotH));
  cols.forEach((c, i) => {
    const x = left + i * slot + (slot - barW) / 2;
    let y = top + plotH;
    const total = c.segments.reduce((s, x) => s + Math.max(0, x.value), 0);
    parts.push(`<g class="bar" data-value="${esc(total)}"><title>${esc(c.title)}</title>`);
    for (const s of c.segments) {
      const h = (Math.max(0, s.value) / max) * plotH;
      y -= h;
      parts.push(`<rect class="mark ${esc(s.cls)}" x="${fmt(x)}" y="${fmt(y)}" width="${fmt(barW)}" height="${fmt(h)}" data-value="${esc(s.value)}"/>`);
    }
    parts.push('</g>');
    if (i % every === 0) {
      parts.push(`<text class="tick" x="${fmt(x + barW / 2)}" y="${fmt(top + plotH + FONT + 4)}" text-anchor="middle">${esc(c.label)}</text>`);
    }
  });
  parts.push('</svg>');
  return parts.join('');
}

/** Vertical columns with their value printed above (e.g. the reply-time distribution). */
export function columns(bars: Bar[], options: { ariaLabel: string; width?: number; height?: number; id?: string }): string {
  const width = options.width ?? 460;
  const height = options.height ?? 220;
  const left = 40;
  const right = 8;
  const top = 18;
  const bottom = 24;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const max = niceMax(Math.max(0, ...bars.map((b) => b.value)));
  const slot = bars.length > 0 ? plotW / bars.length : plotW;
  const barW = slot * 0.64;
  const parts: string[] = [svgOpen(width, height, options.ariaLabel, 'columns', options.id)];
  parts.push(grid(max, left, top, plotW, plotH));
  bars.forEach((b, i) => {
    const x = left + i * slot + (slot - barW) / 2;
    const h = (Math.max(0, b.value) / max) * plotH;
    const y = top + plotH - h;
    parts.push(`<g class="bar" data-value="${esc(b.value)}"><title>${esc(b.title ?? `${b.label}: ${b.text}`)}</title>`);
    parts.push(`<rect class="mark ${esc(b.cls)}" x="${fmt(x)}" y="${fmt(y)}" width="${fmt(barW)}" height="${fmt(h)}"/>`);
    parts.push(`<text class="val" x="${fmt(x + barW / 2)}" y="${fmt(y - 4)}" text-anchor="middle">${esc(b.text)}</text></g>`);
    parts.push(`<text class="tick" x="${fmt(x + barW / 2)}" y="${fmt(top + plotH + FONT + 4)}" text-anchor="middle">${esc(b.label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/** Horizontal bars with a label on the left and the value on the right (e.g. in hours vs off hours, brand vs brand). */
export function horizontalBars(bars: Bar[], options: { ariaLabel: string; width?: number; max?: number; id?: string }): string {
  const width = options.width ?? 360;
  const rowH = 26;
  const labelW = 110;
  const valueW = 64;
  const top = 4;
  const height = top * 2 + Math.max(1, bars.length) * rowH;
  const plotW = width - labelW - valueW;
  const max = options.max ?? niceMax(Math.max(0, ...bars.map((b) => b.value)));
  const parts: string[] = [svgOpen(width, height, options.ariaLabel, 'hbars', options.id)];
  bars.forEach((b, i) => {
    const y = top + i * rowH;
    const w = max > 0 ? (Math.max(0, Math.min(b.value, max)) / max) * plotW : 0;
    parts.push(`<g class="bar" data-value="${esc(b.value)}"><title>${esc(b.title ?? `${b.label}: ${b.text}`)}</title>`);
    parts.push(`<text class="lbl" x="${labelW - 6}" y="${fmt(y + rowH / 2 + 4)}" text-anchor="end">${esc(clip(b.label, 16))}</text>`);
    parts.push(`<rect class="track" x="${labelW}" y="${fmt(y + 5)}" width="${fmt(plotW)}" height="${rowH - 10}"/>`);
    parts.push(`<rect class="mark ${esc(b.cls)}" x="${labelW}" y="${fmt(y + 5)}" width="${fmt(w)}" height="${rowH - 10}"/>`);
    parts.push(`<text class="val" x="${fmt(labelW + plotW + 6)}" y="${fmt(y + rowH / 2 + 4)}">${esc(b.text)}</text></g>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

function svgOpen(width: number, height: number, label: string, kind: string, id: string | undefined): string {
  const idAttr = id !== undefined ? ` id="${esc(id)}"` : '';
  return `<svg${idAttr} class="chart ${kind}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(label)}">`;
}

function grid(max: number, left: number, top: number, plotW: number, plotH: number): string {
  const out: string[] = [];
  for (const v of niceTicks(max)) {
    const y = top + plotH - (v / max) * plotH;
    out.push(`<line class="grid" x1="${left}" x2="${fmt(left + plotW)}" y1="${fmt(y)}" y2="${fmt(y)}"/>`);
    out.push(`<text class="tick" x="${left - 5}" y="${fmt(y + 4)}" text-anchor="end">${esc(v)}</text>`);
  }
  return out.join('');
}

function clip(text: string, n: number): string {
  const chars = [...text];
  return chars.length <= n ? text : `${chars.slice(0, n - 1).join('')}…`;
}
