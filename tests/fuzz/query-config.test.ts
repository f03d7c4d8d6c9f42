/**
 * The query parser and the config loader on random input. Queries: a Query that formats and parses back to itself,
 * or a UsageError "query: ... at character N" with N inside the text; matching never throws or crawls. Config:
 * random YAML (syntax garbage, damaged starter files, well-formed documents with wrong types and unknown keys) gives a
 * config or an EarshotError('config') whose every line names the file, and its line when it gives one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseConfigText } from '../../src/config/load.js';
import { starterConfig } from '../../src/config/starter.js';
import { EarshotError, UsageError } from '../../src/core/errors.js';
import { brandQuery, formatQuery, matchesQuery, parseQuery } from '../../src/core/query.js';
import { SOURCE_IDS } from '../faults/scenarios.js';
import { params, timed, withDeadline } from './fuzz-settings.js';

const QUERY_TOKENS = ['acme', 'cloud', 'Acme', 'ÉTÉ', '東京', 'a', '"', '"acme cloud"', '(', ')', ' OR ', ' AND ', ' | ', '-', ' -', 'OR', '#AcmeFail', '@acme', 'acme.io', ' ', '  ', '\t', '""', '-"x y"', '_', '1', '😀'];
const queryText = fc.oneof(
  fc.array(fc.constantFrom(...QUERY_TOKENS), { maxLength: 14 }).map((t) => t.join('')),
  fc.array(fc.constantFrom(...QUERY_TOKENS), { maxLength: 10 }).map((t) => t.join(' ')),
  fc.string({ maxLength: 30 }),
);

describe('query parser', () => {
  it('a query that round-trips through formatQuery, or a UsageError with a position inside the text', () => {
    let parsed = 0;
    fc.assert(
      fc.property(queryText, (text) => {
        let q;
        try {
          q = timed('parseQuery', () => parseQuery(text));
        } catch (err) {
          if (err instanceof Error && err.message.startsWith('hang:')) throw err;
          expect(err).toBeInstanceOf(UsageError);
          const message = (err as Error).message;
          expect(message).toMatch(/^query: /);
          const at = /at character (\d+)\.$/.exec(message);
          if (at) {
            const n = Number(at[1]);
            expect(n).toBeGreaterThanOrEqual(1);
            expect(n).toBeLessThanOrEqual(text.length + 1);
          }
          return;
        }
        parsed += 1;
        expect(parseQuery(formatQuery(q))).toEqual(q);
      }),
      params(),
    );
    expect(parsed).toBeGreaterThan(0);
  });

  it('matching random text never throws and stays fast (no catastrophic backtracking)', () => {
    const text = fc.oneof(fc.string({ maxLength: 200 }), fc.array(fc.constantFrom('acme', 'cloud', ' ', '#', '@', '.', 'x', 'é', '-', '\n'), { maxLength: 400 }).map((t) => t.join('')));
    fc.assert(
      fc.property(queryText, text, (qt, t) => {
        let q;
        try {
          q = parseQuery(qt);
        } catch {
          return;
        }
        expect(typeof timed('matchesQuery', () => matchesQuery(q, t), 500)).toBe('boolean');
      }),
      params(),
    );
  });

  it('brandQuery on random names, aliases and exclusions: a query or a UsageError quoting the bad value', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }), fc.array(fc.string({ maxLength: 10 }), { maxLength: 2 }), (brand, aliases, exclude) => {
        try {
          const q = brandQuery(brand, aliases, exclude);
          expect(matchesQuery(q, `${brand} ${aliases.join(' ')}`)).toBeTypeOf('boolean');
        } catch (err) {
          expect(err).toBeInstanceOf(UsageError);
          expect((err as Error).message).toMatch(/^query: /);
        }
      }),
      params(),
    );
  });
});

const FILE = 'fuzz/earshot.yml';
const STARTER = starterConfig();
const KEYS = ['brand', 'aliases', 'exclude', 'handles', 'sources', 'businessHours', 'timezone', 'since', 'until', 'limit', 'replyTarget', 'thresholds', 'output', 'brands', 'holidays', 'unknownKey'];
const value = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom('Mon-Fri 09:00-17:00', 'UTC', 'Mars/Base', '30d', '4h', 'table', 'json', -1, 0.5, 2, 500, [], {}, null, { all: ['acme'] }, { reddit: null, hn: { hitsPerPage: 4 } }, { responseRate: 'high' }),
);
const document = fc.dictionary(fc.constantFrom(...KEYS, ...SOURCE_IDS), value, { maxKeys: 8 }).map((d) => stringify(d));
const damagedStarter = fc.tuple(fc.nat(), fc.nat({ max: 40 }), fc.constantFrom('', ':', '- ', '  ', '\t', '"', "'", '{', '[', '&a', '*a', '!!binary', '\n', '?', '|', '>', '%YAML 1.2\n---\n', '\uFEFF')).map(([at, del, ins]) => {
  const i = at % (STARTER.length + 1);
  return STARTER.slice(0, i) + ins + STARTER.slice(i + del);
});
const yamlish = fc.array(fc.constantFrom('brand: x', 'limit: -3', 'sources:', '  reddit:', '  - a', 'a: &x [*x]', '? [a]', ': b', '---', '...', '"', "'", '{', '}', 'since: "3x"', 'timezone: Mars/Base', '\t', '  '), { maxLength: 12 }).map((l) => l.join('\n'));

async function checkConfig(text: string): Promise<void> {
  const lines = text.split(/\r\n|\r|\n/).length;
  try {
    await withDeadline('parseConfigText', () => parseConfigText(text, FILE, SOURCE_IDS));
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('hang:')) throw err;
    if (!(err instanceof EarshotError)) throw new Error(`threw ${(err as Error)?.name}: ${(err as Error)?.message}`);
    expect(err.code).toBe('config');
    const problems = err.message.startsWith('the config file has ') ? err.message.split('\n').slice(1) : [err.message];
    for (const p of problems) {
      const m = new RegExp(`^${FILE.replace(/[./]/g, '\\$&')}(?::(\\d+)(?::\\d+)?)?: .`, 's').exec(p);
      if (!m) throw new Error(`config problem does not name the file: ${p}`);
      if (m[1] !== undefined) expect(Number(m[1])).toBeLessThanOrEqual(lines + 1);
    }
  }
}

describe('config loader', () => {
  it('the starter config loads', async () => {
    await expect(parseConfigText(STARTER, FILE, SOURCE_IDS)).resolves.toBeDefined();
  });

  it('well-formed YAML with wrong types, unknown keys and odd values', async () => {
    await fc.assert(fc.asyncProperty(document, checkConfig), params(0.5));
  }, 60_000);

  it('the starter config with characters spliced in and cut out', async () => {
    await fc.assert(fc.asyncProperty(damagedStarter, checkConfig), params(0.5));
  }, 60_000);

  it('YAML-ish line soup and random text (aliases, anchors, tabs, document markers)', async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(yamlish, fc.string({ maxLength: 80 })), checkConfig), params(0.5));
  }, 60_000);
});
