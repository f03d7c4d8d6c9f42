/** Reddit HTML (Atom `<content type="html">`, JSON `body_html`/`selftext_html`) reduced to plain text. */
import * as cheerio from '../shared/cheerio.js';
import { boundHtmlDepth } from '../shared/html-depth.js';
import type { OnDeepHtml } from '../shared/html-text.js';

/** The slice of a domhandler node this walk reads; declared here so we need no direct domhandler import. */
interface DomNode {
  type: string;
  name?: string;
  data?: string;
  children?: DomNode[];
}

// Elements after which a reader sees a line break; everything else is inline.
const BLOCK_TAGS = new Set([
  'p', 'div', 'br', 'li', 'ul', 'ol', 'blockquote', 'pre', 'table', 'tr', 'hr',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
]);

/**
 * Plain text of Reddit HTML: entities decoded, inline whitespace collapsed, one newline between blocks
 * (paragraphs, list items, line breaks), leading/trailing space trimmed on every line. Unlike shared/html-text.ts,
 * which keeps a blank line between paragraphs, so Reddit texts read as they always have. HTML nested deeper than
 * MAX_HTML_DEPTH is flattened first (parsing it whole costs depth × tags) and `onDeep` is called.
 */
export function redditHtmlToText(html: string, onDeep?: OnDeepHtml): string {
  const bounded = boundHtmlDepth(html);
  if (bounded.flattened) onDeep?.();
  const $ = cheerio.load(bounded.html, null, false);
  const parts: string[] = [];
  // An explicit stack, not recursion: a comment nesting thousands of tags overflowed the call stack. A string on the
  // stack is a block's closing newline, pushed before its children so it comes out after them.
  const stack: (DomNode | string)[] = ($.root().contents().toArray() as unknown as DomNode[]).reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (typeof node === 'string') {
      parts.push(node);
      continue;
    }
    if (node.type === 'text') {
      parts.push((node.data ?? '').replace(/\s+/g, ' '));
      continue;
    }
    if (node.type === 'comment' || node.name === 'script' || node.name === 'style') continue;
    const block = node.name !== undefined && BLOCK_TAGS.has(node.name);
    if (block) {
      parts.push('\n');
      stack.push('\n');
    }
    const children = node.children ?? [];
    for (let k = children.length - 1; k >= 0; k -= 1) stack.push(children[k]!);
  }
  return parts
    .join('')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join('\n');
}

/**
 * Only the author's words from a Reddit feed entry's HTML: the `<div class="md">` body when there is one,
 * dropping Reddit's "submitted by /u/x [link] [comments]" trailer and link-post thumbnail tables.
 * Returns '' for a link post without a body.
 */
export function redditEntryText(html: string, onDeep?: OnDeepHtml): string {
  // Bounded before this first parse too: serialising a div.md back to HTML recursed as deep as the tags nest.
  const bounded = boundHtmlDepth(html);
  if (bounded.flattened) onDeep?.();
  const $ = cheerio.load(bounded.html, null, false);
  const md = $('div.md');
  if (md.length > 0) {
    return md
      .toArray()
      .map((el) => redditHtmlToText($.html(el)))
      .filter((t) => t !== '')
      .join('\n');
  }
  // Without the md wrapper (link posts, old Reddit's xhtml feeds) the text ends with the trailer: cut it off.
  return redditHtmlToText(bounded.html).replace(TRAILER, '').trim();
}

// "submitted by /u/x [link] [comments]"; old Reddit writes "submitted by /u/x to /r/y [link] [1143 comments]".
const TRAILER = /\s*submitted by\s+\/?u\/\S+(?:\s+to\s+\/?r\/\S+?)?\s*\[link\]\s*\[(?:\d[\d,]*\s+)?comments?\]\s*$/i;
