import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { brandQuery, formatQuery, matchesQuery, parseQuery, queryTerms, type Query } from '../../src/core/query.js';
import { UsageError } from '../../src/core/errors.js';

function parseError(text: string): string {
  try {
    parseQuery(text);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be refused`);
}

const t = (text: string, phrase = false): Query => ({ type: 'term', text, phrase });
const not = (query: Query): Query => ({ type: 'not', query });

describe('parseQuery', () => {
  it("reads the issue's example: OR binds tighter than AND, so the exclusion applies to both names", () => {
    expect(parseQuery('"acme bank" OR acmebank -"acme anvil"')).toEqual({
      type: 'and',
      items: [{ type: 'or', items: [t('acme bank', true), t('acmebank')] }, not(t('acme anvil', true))],
    });
  });

  it('reads implicit and explicit AND, | for OR, exclusions and parentheses', () => {
    expect(parseQuery('acme cloud')).toEqual({ type: 'and', items: [t('acme'), t('cloud')] });
    expect(parseQuery('acme AND cloud')).toEqual(parseQuery('acme cloud'));
    expect(parseQuery('acme|acmebank')).toEqual({ type: 'or', items: [t('acme'), t('acmebank')] });
    expect(parseQuery('(acme bank) OR acmebank')).toEqual({ type: 'or', items: [{ type: 'and', items: [t('acme'), t('bank')] }, t('acmebank')] });
    expect(parseQuery('acme -(anvil OR coyote)')).toEqual({ type: 'and', items: [t('acme'), not({ type: 'or', items: [t('anvil'), t('coyote')] })] });
    expect(parseQuery('acme (cloud (status page))')).toEqual({ type: 'and', items: [t('acme'), t('cloud'), t('status'), t('page')] });
  });

  it('keeps lowercase or, hyphenated words and collapses phrase spaces', () => {
    expect(parseQuery('this or that')).toEqual({ type: 'and', items: [t('this'), t('or'), t('that')] });
    expect(parseQuery('acme-cloud')).toEqual(t('acme-cloud'));
    expect(parseQuery('"  acme \n cloud "')).toEqual(t('acme cloud', true));
    expect(parseQuery('"OR"')).toEqual(t('OR', true));
  });

  it('names the problem and its 1-based position', () => {
    expect(parseError('acme "cloud status')).toBe('query: unclosed quote at character 6.');
    expect(parseError('"acme bank" OR acmeban"k')).toBe('query: unclosed quote at character 23.');
    expect(parseError('')).toMatch(/^query: the query is empty/);
    expect(parseError('   ')).toMatch(/^query: the query is empty/);
    expect(parseError('acme ""')).toBe('query: empty phrase "" at character 6.');
    expect(parseError('(acme bank')).toBe("query: unclosed '(' at character 1.");
    expect(parseError('acme bank)')).toBe("query: unmatched ')' at character 10.");
    expect(parseError('acme ()')).toBe('query: empty parentheses at character 6.');
    expect(parseError('OR acme')).toBe("query: 'OR' needs something before it at character 1.");
    expect(parseError('acme OR')).toBe("query: 'OR' needs something after it at character 6.");
    expect(parseError('acme - anvil')).toMatch(/^query: '-' must be followed by .* at character 6\.$/);
    expect(parseError('acme --anvil')).toBe("query: double '-' at character 6.");
    expect(parseError('-anvil')).toMatch(/^query: only exclusions/);
    expect(parseError('acme OR -anvil')).toBe('query: an exclusion cannot be one side of OR; put it outside the alternatives at character 9.');
    expect(parseError('acme && cloud')).toBe("query: '&&' has no letters or digits to match at character 6.");
    expect(parseError('acme AND')).toBe("query: 'AND' needs something after it at character 6.");
    expect(parseError(`${'('.repeat(40)}acme${')'.repeat(40)}`)).toMatch(/nested parentheses at character 33/);
  });

  it('never throws anything but a UsageError, on any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', ' ', '"', '(', ')', '-', '|', 'OR', 'AND', 'é', '&') }), (s) => {
        try {
          parseQuery(s);
        } catch (e) {
          expect(e).toBeInstanceOf(UsageError);
          expect((e as Error).message).toMatch(/^query: /);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('matchesQuery', () => {
  const q = parseQuery('"acme bank" OR acmebank -"acme anvil"');

  it("applies the issue's example", () => {
    expect(matchesQuery(q, 'Opened an account at Acme Bank today')).toBe(true);
    expect(matchesQuery(q, 'thanks @AcmeBank for nothing')).toBe(true);
    expect(matchesQuery(q, 'acme-bank.com is down')).toBe(true);
    expect(matchesQuery(q, 'ACME BANK and its ACME ANVIL promo')).toBe(false);
    expect(matchesQuery(q, 'acmebank, not acme anvils')).toBe(true); // "anvils" is not the word "anvil"
    expect(matchesQuery(q, 'the acme banking app')).toBe(false);
    expect(matchesQuery(q, 'a bank called acme')).toBe(false);
  });

  it('matches a phrase glued in handles, hashtags and domains, but a single word only as a whole word', () => {
    const phrase = parseQuery('"acme cloud"');
    for (const text of ['acme cloud', 'Acme, cloud!', 'acmecloud', '#AcmeCloud', '@acme_cloud', 'acme-cloud', 'see acmecloud.com/status']) {
      expect(matchesQuery(phrase, text), text).toBe(true);
    }
    for (const text of ['acmeclouds', 'acme the cloud', 'cloud acme', 'acme']) expect(matchesQuery(phrase, text), text).toBe(false);
    const word = parseQuery('acme');
    expect(matchesQuery(word, "Acme's support")).toBe(true);
    expect(matchesQuery(word, '#acme')).toBe(true);
    expect(matchesQuery(word, 'acmecloud')).toBe(false);
    expect(matchesQuery(word, 'pacmen')).toBe(false);
    // Glued forms across a space are not the word: `cargo` is not "car go".
    expect(matchesQuery(parseQuery('cargo'), 'let the car go')).toBe(false);
    expect(matchesQuery(parseQuery('acmecloud'), 'acme-cloud')).toBe(true);
  });

  it('lets a term of 4+ letters start a handle or hashtag, and nothing else', () => {
    const word = parseQuery('acme');
    expect(matchesQuery(word, 'thanks @AcmeSupport')).toBe(true);
    expect(matchesQuery(word, 'again #acmefail')).toBe(true);
    expect(matchesQuery(word, 'acmesupport is slow')).toBe(false);
    expect(matchesQuery(word, '@theacmeteam')).toBe(false);
    expect(matchesQuery(parseQuery('"virgin america"'), '@VirginAmericaHelp hi')).toBe(true);
    expect(matchesQuery(parseQuery('hp'), '@hpotter')).toBe(false);
    expect(matchesQuery(parseQuery('hp'), '@HP help')).toBe(true);
    expect(matchesQuery(parseQuery('acme -"acme anvil"'), '@AcmeSupport #AcmeAnvilDeals')).toBe(false);
  });

  it('is Unicode-aware: accents, ß, full-width letters and unspaced scripts', () => {
    expect(matchesQuery(parseQuery('nestle'), 'Nestlé recalls')).toBe(true);
    expect(matchesQuery(parseQuery('Nestlé'), 'nestle recalls')).toBe(true);
    expect(matchesQuery(parseQuery('strasse'), 'STRAßE')).toBe(true);
    expect(matchesQuery(parseQuery('acme'), 'ＡＣＭＥ rocks')).toBe(true);
    expect(matchesQuery(parseQuery('亚马逊'), '我喜欢亚马逊的服务')).toBe(true);
    expect(matchesQuery(parseQuery('ソニー'), 'ソニーの新製品')).toBe(true);
    expect(matchesQuery(parseQuery('москва'), 'Я люблю Москва-Сити')).toBe(true);
    expect(matchesQuery(parseQuery('москва'), 'Москвариум')).toBe(false);
  });

  it('evaluates AND, OR, NOT and groups', () => {
    const g = parseQuery('acme (outage OR down) -resolved');
    expect(matchesQuery(g, 'acme is down again')).toBe(true);
    expect(matchesQuery(g, 'acme outage')).toBe(true);
    expect(matchesQuery(g, 'acme outage resolved')).toBe(false);
    expect(matchesQuery(g, 'acme is great')).toBe(false);
    expect(matchesQuery(g, 'everything is down')).toBe(false);
  });
});

// Random queries in normal form: ANDs and ORs flattened, at least one item looked for, no exclusion as an OR side.
const wordArb = fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9'.&_-]{0,7}$/).filter((s) => s !== 'OR' && s !== 'AND');
const phraseArb = fc
  .array(fc.stringMatching(/^[a-zA-Zà-ÿ0-9()|-]{1,6}$/), { minLength: 1, maxLength: 3 })
  .map((ws) => ws.join(' '))
  .filter((s) => /[\p{L}\p{N}]/u.test(s));
const termArb: fc.Arbitrary<Query> = fc.oneof(wordArb.map((w) => t(w)), phraseArb.map((p) => t(p, true)));
const { query: queryArb } = fc.letrec<{ query: Query; or: Query; and: Query; unary: Query; positive: Query }>((tie) => ({
  positive: fc.oneof({ depthSize: 'small', withCrossShrink: true }, termArb, tie('or'), tie('and')),
  unary: fc.oneof(tie('positive'), tie('positive').map(not)),
  or: fc
    .array(fc.oneof({ depthSize: 'small' }, termArb, tie('and')), { minLength: 2, maxLength: 3 })
    .map((items) => ({ type: 'or', items }) as Query),
  and: fc
    .tuple(fc.oneof({ depthSize: 'small' }, termArb, tie('or')), fc.array(tie('unary'), { minLength: 1, maxLength: 3 }))
    .map(([first, rest]) => ({ type: 'and', items: [first, ...rest].flatMap((q) => (q.type === 'and' ? q.items : [q])) }) as Query),
  query: tie('positive'),
}));

describe('properties', () => {
  it('parse(format(q)) gives q back', () => {
    fc.assert(
      fc.property(queryArb, (q) => {
        expect(parseQuery(formatQuery(q))).toEqual(q);
      }),
      { numRuns: 1000 },
    );
  });

  it('format(parse(s)) is a fixed point for any text that parses', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', ' ', '"', '(', ')', '-', '|', 'OR ', 'AND ', 'é') }), (s) => {
        let q: Query;
        try {
          q = parseQuery(s);
        } catch {
          return;
        }
        expect(parseQuery(formatQuery(q))).toEqual(q);
      }),
      { numRuns: 2000 },
    );
  });

  const textArb = fc.array(fc.oneof(wordArb, fc.constantFrom('acme', 'Bank', 'ACME', 'Ünïcode', 'straße', ' ', '#', '@', '-', ', ')), { maxLength: 20 }).map((a) => a.join(' '));

  it('matching ignores the case of the text and of the query', () => {
    fc.assert(
      fc.property(queryArb, textArb, fc.boolean(), (q, text, upperQuery) => {
        const expected = matchesQuery(q, text);
        expect(matchesQuery(q, text.toUpperCase())).toBe(expected);
        expect(matchesQuery(q, text.toLowerCase())).toBe(expected);
        // Recase every term of the query (keywords stay as they are).
        const recase = (n: Query): Query =>
          n.type === 'term'
            ? { ...n, text: upperQuery ? n.text.toUpperCase() : n.text.toLowerCase() }
            : n.type === 'not'
              ? { type: 'not', query: recase(n.query) }
              : { type: n.type, items: n.items.map(recase) };
        expect(matchesQuery(recase(q), text)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('an excluded phrase present in the text always rejects', () => {
    fc.assert(
      fc.property(queryArb, phraseArb, textArb, textArb, (q, phrase, before, after) => {
        const withExclusion = parseQuery(`(${formatQuery(q)}) -"${phrase}"`);
        expect(matchesQuery(withExclusion, `${before} ${phrase} ${after}`)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('a text that is exactly an included term matches that term', () => {
    fc.assert(
      fc.property(termArb, (q) => {
        expect(matchesQuery(q, (q as { text: string }).text)).toBe(true);
      }),
    );
  });
});

describe('queryTerms, brandQuery', () => {
  it('splits terms to look for from terms to leave out', () => {
    expect(queryTerms(parseQuery('"acme bank" OR acmebank -"acme anvil"'))).toEqual({ include: ['acme bank', 'acmebank'], exclude: ['acme anvil'] });
    expect(queryTerms(parseQuery('acme -(anvil -rocket)'))).toEqual({ include: ['acme', 'rocket'], exclude: ['anvil'] });
  });

  it('builds the default brand query that formats as the issue example', () => {
    const q = brandQuery('acme bank', ['acmebank', 'Acme Bank'], ['acme anvil']);
    expect(formatQuery(q)).toBe('"acme bank" OR acmebank -"acme anvil"');
    expect(parseQuery(formatQuery(q))).toEqual(q);
    expect(formatQuery(brandQuery('Acme'))).toBe('Acme');
    expect(formatQuery(brandQuery('OR'))).toBe('"OR"');
    expect(() => brandQuery('&&')).toThrow(UsageError);
  });
});
