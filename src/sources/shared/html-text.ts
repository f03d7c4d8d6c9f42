/** HTML fragment → plain text, shared by the feed and Hacker News parsers. */
import * as cheerio from 'cheerio';

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

/**
 * Reduces an HTML fragment to plain text: entities decoded, tags dropped, paragraph breaks kept as a blank
 * line and `<br>`/list items as a newline, runs of spaces collapsed (except inside `<pre>`).
 */
export function htmlToText(html: string | null | undefined): string {
  if (html === null || html === undefined || html === '') return '';
  const $ = cheerio.load(html, null, false);
  const out: string[] = [];
  const walk = (nodes: readonly DomNode[], inPre: boolean): void => {
    for (const node of nodes) {
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
        walk(node.children ?? [], inPre || name === 'pre');
        if (paragraph) out.push(PARA_MARK);
      } else if (node.type === 'cdata') {
        walk(node.children ?? [], inPre);
      }
    }
  };
  walk($.root().contents().toArray() as unknown as DomNode[], false);
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
