/** HTML fragment → plain text for forum/Q&A bodies (Discourse `cooked`, Stack Exchange `body`). */
import * as cheerio from 'cheerio';

/** Elements that end a paragraph: a blank line separates them in the text. */
const BLOCKS = 'p, div, pre, blockquote, h1, h2, h3, h4, h5, h6, table, ul, ol, hr';
/** Elements that end a line. */
const LINES = 'li, tr, dt, dd';

/**
 * Reduces an HTML fragment to plain text: entities decoded, paragraphs separated by a blank line,
 * `<br>` and list items on their own lines, emoji images replaced by their alt text.
 * Quoted blocks (`aside.quote`) are dropped because they repeat someone else's words and would
 * skew sentiment of the quoting post.
 */
export function htmlToText(html: string): string {
  if (html.trim() === '') return '';
  const $ = cheerio.load(html, null, false);
  $('aside.quote, script, style, .lightbox-wrapper .meta').remove();
  // Discourse and Stack Exchange render emoji as <img class="emoji" alt=":smile:"> or with the glyph as alt.
  $('img').each((_, el) => {
    const alt = $(el).attr('alt') ?? '';
    $(el).replaceWith(alt.length <= 40 ? alt : '');
  });
  $('br').replaceWith('\n');
  $(LINES).each((_, el) => {
    $(el).append('\n');
  });
  $(BLOCKS).each((_, el) => {
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
