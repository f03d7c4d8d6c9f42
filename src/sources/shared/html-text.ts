/**
 * HTML → plain text for every source that receives HTML. Two reductions live here because sources need them to
 * differ: `htmlToText` walks the DOM (feeds, Hacker News, blogs, review pages: `<pre>` keeps its spacing, list items
 * break before themselves) and `forumHtmlToText` pads blocks (Discourse `cooked`, Stack Exchange `body`: quotes
 * dropped, emoji images read as their alt text). Reddit and Mastodon keep their own reductions next to their parsers
 * (one newline between blocks; `<p>`-only status HTML).
 */
import * as cheerio from './cheerio.js';
import { boundHtmlDepth, MAX_HTML_DEPTH } from './html-depth.js';

/** The slice of a parsed DOM node this walker reads (domhandler's shape, kept local to avoid a direct dependency). */
interface DomNode {
  type: string;
  data?: string;
  name?: string;
  children?: DomNode[];
}

/** Elements that start a new paragraph (blank line) in the plain text. */
const PARAGRAPH = new Set([
  'p', 'div', 'blockquote', 'pre', 'ul', 'ol', 'table', 'section', 'article', 'figure',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'footer', 'aside', 'hr',
]);
/** Elements that start a new line. */
const LINE = new Set(['br', 'li', 'tr', 'dt', 'dd', 'figcaption']);
/** Placeholders for breaks while walking; resolved once the whole text is known. */
const LINE_MARK = '\u0001';
const PARA_MARK = '\u0002';
/** Elements whose content is never prose. */
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'head']);

/** Called when a fragment nested deeper than `MAX_HTML_DEPTH` and was read flattened, so the caller can name the item. */
export type OnDeepHtml = () => void;

/** The warning a source gives for an item whose HTML was flattened: `label` names the item (its URL or id). */
export function deepHtmlWarning(source: string, label: string): string {
  return `${source}: ${label} nests its HTML more than ${MAX_HTML_DEPTH} tags deep; the tags below that depth were dropped and their text kept.`;
}

/**
 * Reduces an HTML fragment to plain text: entities decoded, tags dropped, paragraph breaks kept as a blank
 * line and `<br>`/list items as a newline, runs of spaces collapsed (except inside `<pre>`). A fragment nested
 * deeper than `MAX_HTML_DEPTH` is flattened first (parsing it whole costs depth × tags) and `onDeep` is called.
 */
export function htmlToText(html: string | null | undefined, onDeep?: OnDeepHtml): string {
  if (html === null || html === undefined || html === '') return '';
  const bounded = boundHtmlDepth(html);
  if (bounded.flattened) onDeep?.();
  const $ = cheerio.load(bounded.html, null, false);
  const out: string[] = [];
  // An explicit stack, not recursion: one feed item or comment nesting 5,000 tags overflowed the call stack and took
  // the whole source down with it. Each frame is a list of siblings and where the walk is in it.
  interface Frame {
    nodes: readonly DomNode[];
    next: number;
    inPre: boolean;
    /** A paragraph element's children: close the paragraph when they are done. */
    paragraph: boolean;
  }
  const stack: Frame[] = [{ nodes: $.root().contents().toArray() as unknown as DomNode[], next: 0, inPre: false, paragraph: false }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const node = frame.nodes[frame.next];
    if (node === undefined) {
      stack.pop();
      if (frame.paragraph) out.push(PARA_MARK);
      continue;
    }
    frame.next += 1;
    const { inPre } = frame;
    if (node.type === 'text') {
      const data = (node.data ?? '').replace(/[\u0001\u0002]/g, '');
      out.push(inPre ? data : data.replace(/[ \t\r\n\f\u00a0]+/g, ' '));
    } else if (node.type === 'tag' || node.type === 'script' || node.type === 'style') {
      const name = (node.name ?? '').toLowerCase();
      if (SKIP.has(name)) continue;
      if (name === 'br') {
        out.push(LINE_MARK);
        continue;
      }
      // Line elements only break before themselves, so consecutive list items stay on adjacent lines.
      const paragraph = PARAGRAPH.has(name);
      if (paragraph) out.push(PARA_MARK);
      else if (LINE.has(name)) out.push(LINE_MARK);
      stack.push({ nodes: node.children ?? [], next: 0, inPre: inPre || name === 'pre', paragraph });
    } else if (node.type === 'cdata') {
      stack.push({ nodes: node.children ?? [], next: 0, inPre, paragraph: false });
    }
  }
  // A run of break marks (and the spaces around them) becomes one blank line if it holds a paragraph break or
  // two line breaks (<br><br>), else one newline. Lines are then trimmed: feed and HN prose has no meaningful
  // indentation (code blocks lose theirs, which is harmless for sentiment and reading).
  return out
    .join('')
    .replace(/[ \t]*[\u0001\u0002][\s\u0001\u0002]*/g, (run) =>
      run.includes(PARA_MARK) || run.split(LINE_MARK).length > 2 ? '\n\n' : '\n',
    )
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Reduces a blog or review HTML fragment to plain text. Whitespace inside text is collapsed (WordPress writes
 * `<br />\n`, which must stay one line break), paragraphs become blank lines, and smiley/emoji images
 * (`img.wp-smiley`, `img.emoji`, alt text of a few characters) become their alt text so sentiment still sees them.
 */
export function blogText(html: string | null | undefined, onDeep?: OnDeepHtml): string {
  if (html === null || html === undefined || html.trim() === '') return '';
  if (!/<img\b/i.test(html)) return htmlToText(html, onDeep);
  const bounded = boundHtmlDepth(html);
  if (bounded.flattened) onDeep?.();
  const $ = cheerio.load(bounded.html, null, false);
  $('img').each((_, el) => {
    const alt = $(el).attr('alt') ?? '';
    const smiley = $(el).is('.wp-smiley, .emoji') || [...alt].length <= 4;
    $(el).replaceWith(smiley ? alt : '');
  });
  return htmlToText($.html());
}

// Forum bodies (Discourse, Stack Exchange).

/** Elements that end a paragraph: a blank line separates them in the text. */
const FORUM_BLOCKS = 'p, div, pre, blockquote, h1, h2, h3, h4, h5, h6, table, ul, ol, hr';
/** Elements that end a line. */
const FORUM_LINES = 'li, tr, dt, dd';

/**
 * Reduces an HTML fragment to plain text: entities decoded, paragraphs separated by a blank line,
 * `<br>` and list items on their own lines, emoji images replaced by their alt text.
 * Quoted blocks (`aside.quote`) are dropped because they repeat someone else's words and would
 * skew sentiment of the quoting post.
 */
export function forumHtmlToText(html: string, onDeep?: OnDeepHtml): string {
  if (html.trim() === '') return '';
  const bounded = boundHtmlDepth(html);
  if (bounded.flattened) onDeep?.();
  const $ = cheerio.load(bounded.html, null, false);
  $('aside.quote, script, style, .lightbox-wrapper .meta').remove();
  // Discourse and Stack Exchange render emoji as <img class="emoji" alt=":smile:"> or with the glyph as alt.
  $('img').each((_, el) => {
    const alt = $(el).attr('alt') ?? '';
    $(el).replaceWith(alt.length <= 40 ? alt : '');
  });
  $('br').replaceWith('\n');
  $(FORUM_LINES).each((_, el) => {
    $(el).append('\n');
  });
  $(FORUM_BLOCKS).each((_, el) => {
    $(el).prepend('\n\n').append('\n\n');
  });
  return normaliseWhitespace($.root().text());
}

/** Collapses runs of spaces, trims lines and keeps at most one blank line between paragraphs. */
export function normaliseWhitespace(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\t\f\v \u00a0]+/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Decodes HTML entities in a short plain string such as a title (`&quot;` → `"`, `&#39;` → `'`). */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return cheerio.load(`<t>${text.replace(/</g, '&lt;')}</t>`, null, false).root().text();
}
