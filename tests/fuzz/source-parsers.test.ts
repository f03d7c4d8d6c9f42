/**
 * Every source's exported parse functions on mutated fixture bodies (cut at random points, JSON keys deleted or
 * retyped, random bytes spliced in, random HTML/XML): each call returns a result or throws an EarshotError whose
 * message says what was expected. Any other exception (TypeError from a missing guard, a raw JSON.parse
 * SyntaxError) or a slow case fails the property with the shrunk input.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EarshotError, SourceError } from '../../src/core/errors.js';
import { parseResolveHandle, parseSession } from '../../src/sources/bluesky/parse.js';
import { discourseError, parseSearch as parseDiscourseSearch, readPosts } from '../../src/sources/discourse/parse.js';
import { githubError } from '../../src/sources/github/parse.js';
import { parseAccount } from '../../src/sources/mastodon/parse.js';
import { parseAccessToken } from '../../src/sources/reddit/parse.js';
import { readWrapper, stackExchangeError } from '../../src/sources/stackexchange/parse.js';
import { wordpressError } from '../../src/sources/wordpress/parse.js';
import { SOURCES } from '../../src/sources/index.js';
import { goldenCases } from '../helpers/golden.js';
import { ROOT } from '../helpers/run-cli.js';
import { clientError } from '../helpers/source-harness.js';
import { mutateJson, params, timed } from './fuzz-settings.js';


/** One parse entry point, the bodies it is fed, and the body shape (for shape-aware mutations). */
interface Parser {
  source: string;
  name: string;
  shape: 'json' | 'xml' | 'html' | 'batchexecute';
  bodies: string[];
  parse(body: string): unknown;
}

const SHAPES: Record<string, Parser['shape']> = { json: 'json', xml: 'xml', rss: 'xml', atom: 'xml', html: 'html', htm: 'html', txt: 'batchexecute' };

/** Every page parser of every registered source, fed its golden pages (the context of the first one). */
const PARSERS: Parser[] = Object.values(SOURCES).flatMap((source) =>
  Object.entries(source.parsers).map(([label, parse]) => {
    const cases = goldenCases(source).filter((c) => c.label === label);
    const ctx = cases[0]?.ctx;
    return {
      source: source.id,
      name: label,
      shape: SHAPES[cases[0]?.ext ?? 'json'] ?? 'json',
      bodies: cases.map((c) => c.body),
      parse: (b: string) => parse(b, ctx!),
    };
  }),
);

const fixture = (source: string, file: string): string => readFileSync(join(ROOT, 'fixtures/sources', source, file), 'utf8');

/** Readers of pages that carry no mentions (tokens, sessions, accounts, search refs): not page parsers, fuzzed too. */
const READERS: Parser[] = [
  { source: 'reddit', name: 'parseAccessToken', shape: 'json', bodies: [fixture('reddit', 'api-access-token.json')], parse: (b) => parseAccessToken(b) },
  { source: 'bluesky', name: 'parseSession', shape: 'json', bodies: [fixture('bluesky', 'createSession.json')], parse: (b) => parseSession(b) },
  { source: 'bluesky', name: 'parseResolveHandle', shape: 'json', bodies: [fixture('bluesky', 'resolveHandle-acmecloud.json')], parse: (b) => parseResolveHandle(b) },
  { source: 'mastodon', name: 'parseAccount', shape: 'json', bodies: [fixture('mastodon', 'account-lookup-acmecloud.json')], parse: (b) => parseAccount(b) },
  { source: 'discourse', name: 'parseSearch', shape: 'json', bodies: [fixture('discourse', 'search-page1.json')], parse: (b) => parseDiscourseSearch(b) },
  { source: 'discourse', name: 'readPosts', shape: 'json', bodies: [fixture('discourse', 't-5020-posts.json')], parse: (b) => readPosts(b, 5020) },
  { source: 'stackexchange', name: 'readWrapper', shape: 'json', bodies: [fixture('stackexchange', 'answers-page1.json'), fixture('stackexchange', 'question-comments-page1.json')], parse: (b) => readWrapper(b, '/answers') },
];

const MARKUP = ['<', '>', '</', '/>', '<!--', '-->', '<![CDATA[', ']]>', '&amp;', '&#0;', '&#x110000;', '&bogus;', '"', "'", '=', '\u0000', '\uFFFD', '\u202E'];
const HTML_BITS = [
  '<script id="__NEXT_DATA__" type="application/json">',
  '</script>',
  '{"props":{"pageProps":{"reviews":[',
  '<article class="review" data-review-id="r1">',
  '</article>',
  '<div class="review-body">',
  '<time datetime="2026-11-20T10:00:00Z">',
  '<a class="next" href="?page=2">',
  '<span class="stars" aria-label="Rated 9 out of 5">',
  '<entry>',
  '</entry>',
  '<feed xmlns="http://www.w3.org/2005/Atom">',
  '<rss><channel><item>',
  ')]}\'\n',
  '[["wrb.fr","UsvDTd","[[]]"]]',
  ...MARKUP,
];

/** A mutated body for a parser: shape-aware where it helps, otherwise blind byte-level damage. */
function bodies(p: Parser): fc.Arbitrary<string> {
  const base = fc.constantFrom(...p.bodies);
  const cut = fc.tuple(base, fc.nat()).map(([b, n]) => b.slice(0, n % (b.length + 1)));
  const splice = fc
    .tuple(base, fc.nat(), fc.nat({ max: 64 }), fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom(...MARKUP), fc.string({ unit: 'binary', maxLength: 20 })))
    .map(([b, at, del, ins]) => {
      const i = at % (b.length + 1);
      return b.slice(0, i) + ins + b.slice(i + del);
    });
  const markup = fc.array(fc.oneof(fc.constantFrom(...HTML_BITS), fc.string({ maxLength: 12 })), { maxLength: 30 }).map((xs) => xs.join(''));
  const noise = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom('', ' ', 'null', '[]', '{}', '0', '"x"', 'true', '<html></html>', '<?xml version="1.0"?>'));
  const arbitraries: fc.Arbitrary<string>[] = [cut, splice, markup, noise];
  if (p.shape === 'json') {
    const docs = p.bodies.map((b) => JSON.parse(b) as unknown);
    arbitraries.push(
      fc
        .tuple(fc.constantFrom(...docs), fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), fc.array(fc.jsonValue({ maxDepth: 2 }), { minLength: 1, maxLength: 3 }))
        .map(([doc, choices, reps]) => JSON.stringify(mutateJson(doc, choices, reps))),
      // Several mutations in a row reach deeper combinations (a retyped array inside a deleted key's sibling...).
      fc
        .tuple(fc.constantFrom(...docs), fc.array(fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), { minLength: 2, maxLength: 5 }), fc.array(fc.jsonValue({ maxDepth: 1 }), { minLength: 1, maxLength: 3 }))
        .map(([doc, steps, reps]) => JSON.stringify(steps.reduce<unknown>((d, choices) => mutateJson(d, choices, reps), doc))),
    );
  }
  return fc.oneof(...arbitraries);
}

// Messages written for users say what they wanted; library messages ("Unexpected token", "Cannot read") do not.
const NAMES_EXPECTATION = /expect|not (a|an|valid|JSON)|missing|has no|no [a-z_"<]|unreadable|invalid|could not|cannot be read|does not|layout|matched nothing|blocked|wall|challenge|cut off|truncated|unterminated|empty/i;
const LIBRARY_TEXT = /Unexpected token|Unexpected end of JSON|JSON at position|is not a function|Cannot read properties|undefined is not|is not iterable/;

describe('source parsers under mutated input', () => {
  it('covers a page parser of every registered source', () => {
    expect([...new Set(PARSERS.map((p) => p.source))]).toEqual(Object.keys(SOURCES));
    for (const p of PARSERS) expect(p.bodies.length, `${p.source}.${p.name} has no golden page`).toBeGreaterThan(0);
  });

  it('every parser accepts its own unmutated pages', () => {
    for (const p of [...PARSERS, ...READERS]) for (const b of p.bodies) expect(() => p.parse(b), `${p.source}.${p.name}`).not.toThrow();
  });

  it.each([...PARSERS, ...READERS].map((p) => [`${p.source}.${p.name}`, p] as const))('%s: a result or an EarshotError naming what was expected', (label, p) => {
    const heavy = p.shape === 'html' ? 0.3 : 1;
    fc.assert(
      fc.property(bodies(p), (body) => {
        try {
          timed(label, () => p.parse(body));
        } catch (err) {
          if (err instanceof Error && err.message.startsWith('hang:')) throw err;
          if (!(err instanceof EarshotError)) throw new Error(`${label} threw ${(err as Error)?.name}: ${(err as Error)?.message}`);
          if (!NAMES_EXPECTATION.test(err.message) || LIBRARY_TEXT.test(err.message)) throw new Error(`${label}: message does not say what was expected: ${err.message}`);
        }
      }),
      params(heavy),
    );
  }, 120_000);

  it('error builders (the client error for status + body + headers → SourceError) never throw on garbage', () => {
    const status = fc.oneof(fc.constantFrom(400, 401, 403, 404, 410, 422, 429, 500, 502, 503), fc.integer({ min: 100, max: 599 }));
    const body = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.constantFrom(
        fixture('github', 'error-rate-limit.json'),
        fixture('github', 'error-validation.json'),
        fixture('discourse', 'error-rate-limit.json'),
        fixture('wordpress', 'error-rest-disabled.json'),
        fixture('stackexchange', 'error-throttle.json'),
      ),
    );
    const headerValue = fc.oneof(fc.string({ maxLength: 20 }), fc.integer().map(String), fc.double().map(String), fc.constantFrom('0', '99999999999999999', '-1', 'NaN', '1e400'));
    const headers = fc.record({ 'x-ratelimit-remaining': headerValue, 'x-ratelimit-reset': headerValue, 'retry-after': headerValue }, { requiredKeys: [] });
    fc.assert(
      fc.property(status, body, headers, fc.boolean(), (st, b, h, token) => {
        let parsedBody: unknown = null;
        try {
          parsedBody = JSON.parse(b);
        } catch {
          // garbage stays garbage
        }
        const data = parsedBody !== null && typeof parsedBody === 'object' && !Array.isArray(parsedBody) ? (parsedBody as Record<string, unknown>) : {};
        // What the client throws for that answer (a plain error for a status it would not throw on).
        const thrown = (sourceId: string) =>
          clientError({ url: 'http://127.0.0.1:1/x', status: st, body: b, headers: h }, sourceId) ?? new SourceError('bad-response', 'an unexpected status', { status: st, body: b });
        for (const e of [githubError(thrown('github'), token), discourseError(thrown('discourse'), token), wordpressError(st, b), stackExchangeError(data as never, st)]) {
          expect(e).toBeInstanceOf(SourceError);
          expect(e.message.length).toBeGreaterThan(10);
        }
      }),
      params(),
    );
  });
});
