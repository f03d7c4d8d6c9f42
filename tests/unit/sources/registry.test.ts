/**
 * One loop over the registry: every source's metadata, option declarations and golden pairs (each page parser's
 * output on recorded pages, compared byte for byte with <case>.expected.json). A source added by
 * `npm run new-source` is covered here by name without editing this file.
 * Rewrite the expected files after a deliberate parser change with EARSHOT_WRITE_GOLDEN=1, then read the diff.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { unknownSourceOption } from '../../../src/sources/option-check.js';
import { SOURCES } from '../../../src/sources/index.js';
import { goldenCases, goldenLabels, goldenText } from '../../helpers/golden.js';

const WRITE = process.env['EARSHOT_WRITE_GOLDEN'] === '1';

describe.each(Object.keys(SOURCES))('source %s', (id) => {
  const source = SOURCES[id]!;

  it(`${id}: describes itself (id, title, needs, tokens, rate limit, scope, reply signal)`, () => {
    expect(source.id).toBe(id);
    expect(id).toMatch(/^[a-z][a-z0-9-]*$/);
    for (const text of [source.title, source.needs, source.brandReplySignal]) expect(text.trim().length, id).toBeGreaterThan(3);
    for (const env of source.tokenEnv) expect(env).toMatch(/^[A-Z][A-Z0-9_]*$/);
    expect(source.rateLimit.requestsPerMinute).toBeGreaterThan(0);
    expect(source.rateLimit.concurrency).toBeGreaterThanOrEqual(1);
    expect(['search', 'brand-owned']).toContain(source.scope);
    // A source that reads only the brand's own pages never filters by the query, and is not run for competitors.
    if (source.filterLocally === false) expect(source.scope).toBe('brand-owned');
  });

  it(`${id}: declares each option with a type, a description and a schema; other keys are refused with a hint`, () => {
    for (const [key, o] of Object.entries(source.options)) {
      expect(key).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
      expect(o.type.length, `${id}.${key}`).toBeGreaterThan(2);
      expect(o.description.length, `${id}.${key}`).toBeGreaterThan(5);
      expect(typeof v.safeParse(o.schema, undefined).success, `${id}.${key}`).toBe('boolean');
      expect(unknownSourceOption(id, key)).toBeUndefined();
      if (key.length > 3) expect(unknownSourceOption(id, `${key}x`)).toContain(`did you mean ${key}?`);
    }
    expect(unknownSourceOption(id, 'zzNoSuchOption')).toMatch(new RegExp(`^--source-option ${id}\\.zzNoSuchOption: ${id} has no option 'zzNoSuchOption'`));
  });

  it(`${id}: has golden pairs for exactly its page parsers`, () => {
    expect(Object.keys(source.parsers).length, `${id} has no page parser`).toBeGreaterThan(0);
    expect(goldenLabels(id)).toEqual(Object.keys(source.parsers).sort());
    for (const label of Object.keys(source.parsers)) expect(goldenCases(source).some((c) => c.label === label), `${id}/${label}`).toBe(true);
  });

  it.each(goldenCases(source).map((c) => [`${c.label}/${c.name}.${c.ext}`, c] as const))(`${id}: golden %s`, (_name, c) => {
    const parse = source.parsers[c.label];
    expect(parse, `no parser "${c.label}"`).toBeDefined();
    const actual = goldenText(parse!(c.body, c.ctx));
    if (WRITE) writeFileSync(c.expectedPath, actual);
    expect(existsSync(c.expectedPath), `${c.expectedPath} is missing (write it with EARSHOT_WRITE_GOLDEN=1 and read it)`).toBe(true);
    expect(actual).toBe(readFileSync(c.expectedPath, 'utf8'));
  });

  it.each(goldenCases(source).map((c) => [`${c.label}/${c.name}.${c.ext}`, c] as const))(`${id}: %s leaves no HTML entity in texts, titles or author names`, (_name, c) => {
    // Issue 15 item 5: entities left in text (Reddit's double-escaped autolinks) read as "&amp;" in every report.
    const entity = /&(?:amp|lt|gt|quot|apos|nbsp|#\d+|#x[0-9a-f]+);/i;
    for (const m of source.parsers[c.label]!(c.body, c.ctx).mentions) {
      for (const [field, value] of [['text', m.text], ['title', m.title], ['author.name', m.author.name], ['author.handle', m.author.handle]] as const) {
        expect(entity.test(value ?? ''), `${m.id} ${field}: ${value}`).toBe(false);
      }
    }
  });
});

describe('registry', () => {
  it('lists each source once, in the order earshot sources prints', () => {
    const ids = Object.values(SOURCES).map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.slice(0, 3)).toEqual(['reddit', 'hn', 'rss']);
  });
});
