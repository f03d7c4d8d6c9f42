/**
 * A linear pre-pass that bounds how deep an HTML document nests before cheerio parses it. parse5's tree builder
 * looks down its stack of open elements on every start tag, so parsing costs depth × tags: 200,000 nested `<div>`s
 * took 234 s of blocking CPU on one review page. Tags below `MAX_HTML_DEPTH` are cut out (start and end tag; the text
 * between them stays), the way Blink's parser caps its tree at 512 levels. The nesting is
 * estimated with HTML's commonest implied end tags; where the estimate is off it errs deep, which only flattens more.
 */

/** Open elements kept at most; deeper tags are dropped (Blink's parser stops nesting at the same depth). */
export const MAX_HTML_DEPTH = 512;

/** What the pre-pass did: the HTML to parse and whether tags below the cap were dropped. */
export interface DepthBounded {
  html: string;
  /** True when the document nested deeper than the cap and was flattened. */
  flattened: boolean;
}

/** Elements that never have content (and `html`/`head`/`body`, which the parser merges rather than nests). */
const NO_NEST = new Set([
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr',
  'html', 'head', 'body', 'frame', 'basefont', 'bgsound', 'image',
]);
/** Elements whose content is text up to their own end tag (a `<div>` inside a script is not a tag). */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript']);
/** Raw-text elements whose content is never prose. */
const SCRIPT = new Set(['script', 'style', 'noscript']);
/** Start tags that close an open `<p>`. */
const CLOSES_P = new Set([
  'address', 'article', 'aside', 'blockquote', 'center', 'details', 'dialog', 'dir', 'div', 'dl', 'fieldset', 'figcaption',
  'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr', 'listing', 'main', 'menu', 'nav',
  'ol', 'p', 'pre', 'search', 'section', 'summary', 'table', 'ul', 'li', 'dd', 'dt',
]);
/** Start tags that close an open element of the named kinds (the implied end tags lists and tables rely on). */
const CLOSES: Record<string, readonly string[]> = {
  li: ['li'],
  dd: ['dd', 'dt'],
  dt: ['dd', 'dt'],
  option: ['option'],
  optgroup: ['option', 'optgroup'],
  tr: ['tr', 'td', 'th'],
  td: ['td', 'th'],
  th: ['td', 'th'],
  thead: ['tr', 'td', 'th', 'thead', 'tbody', 'tfoot'],
  tbody: ['tr', 'td', 'th', 'thead', 'tbody', 'tfoot'],
  tfoot: ['tr', 'td', 'th', 'thead', 'tbody', 'tfoot'],
  rb: ['rb', 'rt', 'rp', 'rtc'],
  rt: ['rb', 'rt', 'rp'],
  rp: ['rb', 'rt', 'rp'],
};
/** Elements an implied end tag is not looked beyond, unless they are what it closes (`<li>` in an inner list closes only the inner one's). */
const SCOPE = new Set(['table', 'ul', 'ol', 'dl', 'select', 'ruby', 'button', 'td', 'th', 'li']);
/** How far down the open elements an implied end tag is looked for: a constant, so the pass stays linear. */
const IMPLIED_REACH = 6;

interface Open {
  name: string;
  /** Past the cap: its start tag was cut out, so its end tag is too. */
  dropped: boolean;
}

/** Reads a tag name starting at `i` (lower-cased) and the index after it. */
function tagName(html: string, i: number): { name: string; end: number } {
  let end = i;
  while (end < html.length && !/[\s/>]/.test(html[end]!)) end += 1;
  return { name: html.slice(i, end).toLowerCase(), end };
}

/** The index after the `>` that ends the tag whose attributes start at `i`, and whether it ended in `/>`; -1 at EOF. */
function tagEnd(html: string, i: number): { end: number; selfClosing: boolean } {
  let j = i;
  while (j < html.length) {
    const ch = html[j]!;
    if (ch === '>') return { end: j + 1, selfClosing: html[j - 1] === '/' };
    if (ch === '=') {
      j += 1;
      while (j < html.length && /\s/.test(html[j]!)) j += 1;
      const quote = html[j];
      if (quote === '"' || quote === "'") {
        const close = html.indexOf(quote, j + 1);
        // An unclosed quote runs to the end of the input: the parser drops the tag, and nothing after it is a tag.
        if (close < 0) return { end: -1, selfClosing: false };
        j = close + 1;
        continue;
      }
      continue;
    }
    j += 1;
  }
  return { end: -1, selfClosing: false };
}

/**
 * Cuts the tags nested deeper than `maxDepth` out of `html` in one pass (their text stays, in order), so the parse
 * that follows costs at most `maxDepth` per tag. Returns the input itself when it is shallow enough.
 */
export function boundHtmlDepth(html: string, maxDepth: number = MAX_HTML_DEPTH): DepthBounded {
  const stack: Open[] = [];
  /** Open elements by name, so an end tag with no open element of its name is skipped without a look down the stack. */
  const openCount = new Map<string, number>();
  let foreign = 0;
  const cuts: [number, number][] = [];
  const pop = (): Open => {
    const top = stack.pop()!;
    openCount.set(top.name, (openCount.get(top.name) ?? 1) - 1);
    if (top.name === 'svg' || top.name === 'math') foreign -= 1;
    return top;
  };
  /**
   * Closes the outermost open element named in `names` above the nearest scope boundary, if it is within reach (an
   * implied end tag: `<tr>` after `<td>` closes both the cell and its row).
   */
  const closeImplied = (names: readonly string[]): void => {
    let at = -1;
    for (let k = stack.length - 1; k >= Math.max(0, stack.length - IMPLIED_REACH); k -= 1) {
      const name = stack[k]!.name;
      if (names.includes(name)) at = k;
      else if (SCOPE.has(name)) break;
    }
    if (at >= 0) while (stack.length > at) pop();
  };
  let i = 0;
  for (;;) {
    const lt = html.indexOf('<', i);
    if (lt < 0 || lt + 1 >= html.length) break;
    const next = html[lt + 1]!;
    if (html.startsWith('<!--', lt)) {
      const close = html.indexOf('-->', lt + 4);
      if (close < 0) break;
      i = close + 3;
      continue;
    }
    if (next === '!' || next === '?') {
      const close = html.indexOf('>', lt + 2);
      if (close < 0) break;
      i = close + 1;
      continue;
    }
    const closing = next === '/';
    const nameStart = closing ? lt + 2 : lt + 1;
    if (!/[a-z]/i.test(html[nameStart] ?? '')) {
      i = lt + 1;
      continue;
    }
    const { name, end: nameEnd } = tagName(html, nameStart);
    const { end, selfClosing } = tagEnd(html, nameEnd);
    if (end < 0) break;
    i = end;
    if (closing) {
      if ((openCount.get(name) ?? 0) === 0) continue;
      // Amortised linear: every element popped here was pushed once.
      let top = pop();
      while (top.name !== name) top = pop();
      if (top.dropped) cuts.push([lt, end]);
      continue;
    }
    if (name === 'plaintext') break;
    if (NO_NEST.has(name) || (selfClosing && foreign > 0)) continue;
    if (CLOSES_P.has(name)) closeImplied(['p']);
    const implied = CLOSES[name];
    if (implied !== undefined) closeImplied(implied);
    const dropped = stack.length >= maxDepth;
    if (RAW_TEXT.has(name)) {
      // Its content is text: skip to its end tag (a dropped one loses both tags, its text stays).
      const re = new RegExp(`</${name}[\\s/>]`, 'ig');
      re.lastIndex = end;
      const m = re.exec(html);
      if (m === null) break;
      const { end: closeEnd } = tagEnd(html, m.index + 2 + name.length);
      if (closeEnd < 0) break;
      // Past the cap a script or style goes whole (its content is not prose); other raw text keeps its text.
      if (dropped && SCRIPT.has(name)) cuts.push([lt, closeEnd]);
      else if (dropped) cuts.push([lt, end], [m.index, closeEnd]);
      i = closeEnd;
      continue;
    }
    if (dropped) cuts.push([lt, end]);
    stack.push({ name, dropped });
    openCount.set(name, (openCount.get(name) ?? 0) + 1);
    if (name === 'svg' || name === 'math') foreign += 1;
  }
  if (cuts.length === 0) return { html, flattened: false };
  const parts: string[] = [];
  let from = 0;
  for (const [start, stop] of cuts) {
    parts.push(html.slice(from, start));
    from = stop;
  }
  parts.push(html.slice(from));
  return { html: parts.join(''), flattened: true };
}
