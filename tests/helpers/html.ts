/** Reading parts of a rendered HTML report in tests. */

/** The markup of the element with this id, tags included (first match; elements of that tag are not nested here). */
export function byId(html: string, id: string): string {
  const start = html.indexOf(` id="${id}"`);
  if (start < 0) throw new Error(`no element #${id}`);
  const open = html.lastIndexOf('<', start);
  const tag = /^<(\w+)/.exec(html.slice(open))![1]!;
  const end = html.indexOf(`</${tag}>`, start);
  return html.slice(open, end + tag.length + 3);
}
