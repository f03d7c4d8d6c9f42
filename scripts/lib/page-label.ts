/**
 * Which page parser of a source reads a recorded URL (the golden label), from the paths each source's fetch part
 * requests. A source missing here gets no golden pairs from `fixture:from-raw` until its row is added.
 */

/** Path (and query) patterns to parser labels, per source id; the first matching row wins. */
const LABELS: Readonly<Record<string, readonly (readonly [RegExp, string])[]>> = {
  appstore: [
    [/\/customerreviews\/.*\/json$/, 'feed'],
    [/\/customerreviews\/.*\/xml$/, 'xml'],
  ],
  blogger: [
    [/\/feeds\/(?:\d+\/)?\d+\/comments\//, 'comments'],
    [/\/feeds\/(?:\d+\/)?posts\//, 'posts'],
  ],
  bluesky: [
    [/\/xrpc\/app\.bsky\.feed\.searchPosts$/, 'searchPosts'],
    [/\/xrpc\/app\.bsky\.feed\.getAuthorFeed$/, 'getAuthorFeed'],
    [/\/xrpc\/app\.bsky\.feed\.getPostThread$/, 'getPostThread'],
  ],
  discourse: [[/\/t\/\d+(?:\.json|\/posts\.json)$/, 'topic']],
  github: [
    [/\/search\/issues$/, 'search-issues'],
    [/\/issues\/\d+\/comments$/, 'issue-comments'],
  ],
  googleplay: [[/\/batchexecute$/, 'reviews']],
  hn: [
    [/\/api\/v1\/search(?:_by_date)?$/, 'search'],
    [/\/api\/v1\/items\/\d+$/, 'item'],
  ],
  mastodon: [
    [/\/api\/v1\/statuses\/[^/]+\/context$/, 'context'],
    [/\/api\/v2\/search$/, 'search'],
    [/\/api\/v1\/(?:timelines\/|accounts\/[^/]+\/statuses$)/, 'statuses'],
  ],
  reddit: [
    [/\.rss$/, 'search-atom'],
    [/\/api\/morechildren(?:\.json)?$/, 'morechildren'],
    [/\/comments\/[a-z0-9]+(?:\/[^/]*)?(?:\.json)?$/, 'thread'],
    [/\/search(?:\.json)?$/, 'listing'],
  ],
  rss: [[/./, 'feed']],
  selectors: [[/./, 'page']],
  stackexchange: [
    [/\/search(?:\/advanced)?$/, 'search'],
    [/\/questions\/[\d;]+\/answers$/, 'answers'],
  ],
  trustpilot: [[/\/review\/[^/]+$/, 'review-page']],
  wordpress: [
    [/\/wp\/v2\/posts$/, 'posts'],
    [/\/wp\/v2\/comments$/, 'comments'],
  ],
};

/**
 * The parser label for a recorded URL of `source`, or undefined when none of its parsers reads that page (a login,
 * a handle lookup, a comments page the source reads through another parser). WordPress's plain-permalink form
 * names the route in `rest_route`, so that parameter counts as the path.
 */
export function pageLabel(source: string, url: string): string | undefined {
  let path: string;
  try {
    const parsed = new URL(url);
    path = parsed.searchParams.get('rest_route') ?? parsed.pathname;
  } catch {
    return undefined;
  }
  return LABELS[source]?.find(([pattern]) => pattern.test(path))?.[1];
}
