/** HTML → plain text for blog comments and review pages (WordPress, Blogger, selectors). */
import * as cheerio from 'cheerio';
import { htmlToText } from '../rss/html-text.js';

/**
 * Reduces a blog or review HTML fragment to plain text. Whitespace inside text is collapsed (WordPress writes
 * `<br />\n`, which must stay one line break), paragraphs become blank lines, and smiley/emoji images
 * (`img.wp-smiley`, `img.emoji`, alt text of a few characters) become their alt text so sentiment still sees them.
 */
export function blogText(html: string | null | undefined): string {
  if (html === null || html === undefined || html.trim() === '') return '';
  if (!/<img\b/i.test(html)) return htmlToText(html);
  const $ = cheerio.load(html, null, false);
  $('img').each((_, el) => {
    const alt = $(el).attr('alt') ?? '';
    const smiley = $(el).is('.wp-smiley, .emoji') || [...alt].length <= 4;
    $(el).replaceWith(smiley ? alt : '');
  });
  return htmlToText($.html());
}
