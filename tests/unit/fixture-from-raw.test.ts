/**
 * fixture:from-raw on a recording written by hand (an older or edited manifest): what it keeps of URLs and headers,
 * how failures become status routes, and that no credential reaches any file it writes.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureFromRaw } from '../../scripts/lib/from-raw.js';
import { fileTree } from '../helpers/file-tree.js';

const work = mkdtempSync(join(tmpdir(), 'earshot-from-raw-unit-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const SECRET = 'sk_live_9f8e7d6c5b4a3210';
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

const page = JSON.stringify({
  hits: [
    { objectID: '48300001', author: 'night_shift_ned', created_at: '2026-11-21T23:10:00.000Z', created_at_i: 1795302600, title: 'Acme Cloud down again?', story_text: 'Anyone else? night_shift_ned here, 502s all night.', url: null, _tags: ['story', 'author_night_shift_ned', 'story_48300001'], num_comments: 1, points: 3 },
  ],
  nbHits: 1, page: 0, nbPages: 1, hitsPerPage: 20,
});

function recording(): string {
  const dir = mkdtempSync(join(work, 'rec-'));
  writeFileSync(join(dir, '00001-a.json'), page);
  const entries = [
    {
      seq: 1, method: 'GET', url: `https://hn.algolia.com/api/v1/search_by_date?query=acme+cloud&api_key=${SECRET}&page=0`,
      fetchedAt: '2026-11-23T09:00:01.000Z', status: 200, contentType: 'application/json; charset=ISO-8859-1',
      headers: { 'content-type': 'application/json; charset=ISO-8859-1', authorization: `Bearer ${SECRET}`, 'set-cookie': `sid=${SECRET}`, etag: '"abc"', 'last-modified': 'Mon, 23 Nov 2026 08:00:00 GMT', 'x-ratelimit-remaining': '9999', link: `<https://hn.algolia.com/api/v1/search_by_date?page=1&api_key=${SECRET}>; rel="next"` },
      sha256: sha(page), file: '00001-a.json', bytes: page.length,
    },
    {
      seq: 2, method: 'GET', url: 'https://hn.algolia.com/api/v1/items/48300001', fetchedAt: '2026-11-23T09:00:02.000Z', status: 429, headers: {},
      error: { code: 'rate-limited', message: 'hn.algolia.com answered 429', status: 429, retryable: true, body: `{"message":"Too many requests","status":429,"key":"${SECRET}"}` },
    },
    { seq: 3, method: 'GET', url: 'https://hn.algolia.com/api/v1/items/48300002', fetchedAt: '2026-11-23T09:00:03.000Z', status: 0, headers: {}, error: { code: 'network', message: 'connection reset', retryable: true } },
  ];
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ tool: 'earshot', version: '0.1.0', format: 1, startedAt: '2026-11-23T09:00:00.000Z', entries }));
  return dir;
}


describe('fixture:from-raw on a hand-made recording', () => {
  const root = join(work, 'fixtures');
  const result = fixtureFromRaw({ dir: recording(), source: 'hn', name: 'night', root });
  const files = fileTree(root);
  const routes = (JSON.parse(files['hn/night/routes.json']!) as { routes: Record<string, unknown>[] }).routes;

  it('copies no credential anywhere: URL values, headers, cookies, error bodies', () => {
    for (const [file, text] of Object.entries(files)) expect(text, file).not.toContain(SECRET);
    expect(routes[0]!['query']).toEqual({ query: 'acme cloud', page: '0' });
  });

  it('keeps only the type, paging and limit headers, and says the saved text is UTF-8', () => {
    expect(routes[0]!['headers']).toEqual({
      'content-type': 'application/json; charset=utf-8',
      'x-ratelimit-remaining': '9999',
      link: '<https://hn.algolia.com/api/v1/search_by_date?page=1&api_key=REDACTED>; rel="next"',
    });
  });

  it('turns a recorded failure into a route with its status and body, and leaves a network failure out', () => {
    expect(routes[1]).toEqual({ method: 'GET', path: '/api/v1/items/48300001', query: {}, status: 429, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: '{"message":"Too many requests","status":429,"key":"REDACTED"}' });
    expect(routes).toHaveLength(2);
    const provenance = files['hn/night/PROVENANCE.md']!;
    expect(provenance).toContain('| 2 | GET | 429 | https://hn.algolia.com/api/v1/items/48300001 |');
    expect(provenance).toContain('failure as recorded (rate-limited)');
    expect(provenance).toContain('| 3 | GET | network | https://hn.algolia.com/api/v1/items/48300002 | 2026-11-23T09:00:03.000Z | — | — | — | not served (no HTTP answer) |');
  });

  it('pseudonymises the author in the body, its tags and its text, and writes the golden pair from the parser', () => {
    expect([...result.pseudonyms]).toEqual([['night_shift_ned', 'user-1']]);
    const body = files['hn/night/001-search-by-date.json']!;
    expect(body).toContain('"author":"user-1"');
    expect(body).toContain('"author_user-1"');
    expect(body).toContain('Anyone else? user-1 here');
    const expected = JSON.parse(files['hn/golden/search/night-001.expected.json']!) as { mentions: { author: { handle?: string } }[] };
    expect(expected.mentions.map((m) => m.author.handle)).toEqual(['user-1']);
    expect(JSON.parse(files['hn/golden/search/night-001.context.json']!)).toEqual({ url: 'https://hn.algolia.com/api/v1/search_by_date?query=acme+cloud&api_key=REDACTED&page=0' });
    expect(files['hn/golden/search/night-001.json']).toBe(body);
    expect(Object.keys(files).sort()).toEqual([
      'hn/golden/search/night-001.context.json', 'hn/golden/search/night-001.expected.json', 'hn/golden/search/night-001.json',
      'hn/night/001-search-by-date.json', 'hn/night/PROVENANCE.md', 'hn/night/routes.json',
    ]);
  });
});

describe('fixture:from-raw with --option', () => {
  it('parses the golden cases with the scenario options and the given ones on top, and writes those into context.json', async () => {
    const { SOURCES } = await import('../../src/sources/index.js');
    const { goldenQuery, goldenText } = await import('../../scripts/lib/golden-case.js');
    const html = readFileSync(join(import.meta.dirname, '../../fixtures/sources/selectors/golden/page/reviews-page1.html'), 'utf8');
    const dir = mkdtempSync(join(work, 'rec-sel-'));
    writeFileSync(join(dir, '00001-b.html'), html);
    const entry = { seq: 1, method: 'GET', url: 'https://www.hostingverdict.example/reviews/acme-cloud', fetchedAt: '2026-11-23T09:00:01.000Z', status: 200, headers: { 'content-type': 'text/html' }, sha256: sha(html), file: '00001-b.html' };
    writeFileSync(join(dir, 'manifest.ndjson'), `${JSON.stringify(entry)}\n{"seq": 2, "torn`);
    const root = join(work, 'fixtures-sel');
    // Without the reply selector the company replies are not read: the option must reach the parse.
    fixtureFromRaw({ dir, source: 'selectors', name: 'noreply', root, options: { reply: '.no-such-reply' }, keep: ['Acme Cloud'] });
    const context = JSON.parse(readFileSync(join(root, 'selectors/golden/page/noreply-001.context.json'), 'utf8')) as { url: string; options: Record<string, unknown> };
    expect(context.options).toMatchObject({ item: 'article.review', reply: '.no-such-reply' });
    const source = SOURCES['selectors']!;
    const body = readFileSync(join(root, 'selectors/golden/page/noreply-001.html'), 'utf8');
    const expected = readFileSync(join(root, 'selectors/golden/page/noreply-001.expected.json'), 'utf8');
    expect(goldenText(source.parsers['page']!(body, { query: goldenQuery(source, context.options), url: context.url }))).toBe(expected);
    const mentions = (JSON.parse(expected) as { mentions: { kind: string; author: { name?: string } }[] }).mentions;
    expect(mentions.length).toBeGreaterThan(2);
    expect(mentions.some((m) => m.kind === 'comment')).toBe(false);
    // The reviewers are pseudonymised (the parser's authors are found though the markup has no author keys).
    for (const m of mentions) expect(m.author.name ?? 'Person 1', JSON.stringify(m.author)).toMatch(/^(?:Person \d+|user-\d+)$/);
  });
});
