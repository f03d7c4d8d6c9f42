import { describe, expect, it } from 'vitest';
import { boundHtmlDepth, MAX_HTML_DEPTH } from '../../../src/sources/shared/html-depth.js';
import { htmlToText } from '../../../src/sources/shared/html-text.js';

describe('boundHtmlDepth', () => {
  it('hands back a page within the cap untouched, counting implied end tags (<li>, <p>, <td>) as HTML does', () => {
    const items = '<li>item'.repeat(2000);
    const html = `<html><body><ul>${items}</ul>${'<p>para'.repeat(2000)}<table>${'<tr><td>a<td>b'.repeat(1000)}</table><br><img src=x></body></html>`;
    const out = boundHtmlDepth(html);
    expect(out.flattened).toBe(false);
    expect(out.html === html).toBe(true);
    expect(boundHtmlDepth('<ul><li>a<ul><li>b<li>c</ul><li>d</ul><table><tr><td><table><tr><td>x<tr><td>y</table><td>z<tr><td>w</table>', 6).flattened).toBe(false);
  });

  it('cuts the start and end tags below the cap and keeps their text in order', () => {
    expect(boundHtmlDepth('<div><div><div><b a="x>y">deep</b></div>tail</div></div>after', 2)).toEqual({
      html: '<div><div>deeptail</div></div>after',
      flattened: true,
    });
  });

  it('does not read tags inside scripts, comments or quoted attributes, and drops a script below the cap whole', () => {
    expect(boundHtmlDepth('<div><script>"<div><div><div>"</script><!-- <div><div> --><a title="<div><div>">x</a></div>', 2).flattened).toBe(false);
    expect(boundHtmlDepth('<div><script>var a = 1;</script><textarea>typed</textarea></div>', 1)).toEqual({ html: '<div>typed</div>', flattened: true });
  });

  it('stays linear on hostile input: 200,000 nested tags, unmatched end tags and an unclosed quote', () => {
    const n = 200_000;
    const hostile = `${'<div>'.repeat(n)}${'</span>'.repeat(n)}x${'</div>'.repeat(n)}<a href="never closed ${'<div>'.repeat(n)}`;
    const started = Date.now();
    const out = boundHtmlDepth(hostile);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(out.flattened).toBe(true);
    // What follows the unclosed quote is inside an attribute value, never tags, so it is left as it is.
    const [tags, attribute] = out.html.split('<a href=');
    expect(tags!.split('<div>').length - 1).toBe(MAX_HTML_DEPTH);
    expect(tags!.split('</div>').length - 1).toBe(MAX_HTML_DEPTH);
    expect(attribute!.length).toBe(`"never closed ${'<div>'.repeat(n)}`.length);
  });

  it('lets htmlToText read 200,000 nested tags in seconds and report the flattening', () => {
    let deep = 0;
    const started = Date.now();
    const text = htmlToText(`<p>before</p>${'<div>'.repeat(200_000)}inside${'</div>'.repeat(200_000)}<p>after</p>`, () => {
      deep += 1;
    });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(text).toBe('before\n\ninside\n\nafter');
    expect(deep).toBe(1);
    expect(htmlToText('<p>shallow</p>', () => (deep += 1))).toBe('shallow');
    expect(deep).toBe(1);
  });
});
