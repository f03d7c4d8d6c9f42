import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mergeSettings } from '../../../src/config/merge.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CONFIG_FILE_NAMES, findConfigFile, loadConfig, parseConfigText } from '../../../src/config/load.js';
import { EarshotError } from '../../../src/core/errors.js';

async function configError(text: string, file = 'earshot.yml'): Promise<string> {
  try {
    await parseConfigText(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(EarshotError);
    expect((e as EarshotError).code).toBe('config');
    return (e as Error).message;
  }
  throw new Error('expected the config to be refused');
}

describe('parseConfigText', () => {
  it('reads a full config', async () => {
    const { config, warnings } = await parseConfigText(
      [
        'brand: Acme Bank',
        'aliases: [acmebank]',
        'query: \'"acme bank" OR acmebank\'',
        'exclude: ["acme anvil"]',
        'handles: { all: ["@acmebank"], reddit: [acmebank_help] }',
        'competitors:',
        '  - name: Globex',
        '    aliases: [globexbank]',
        'sources:',
        '  reddit:',
        '    subreddits: [banking]',
        '    rateLimit: { requestsPerMinute: 10, concurrency: 1 }',
        '  hn:',
        '  github: { enabled: false, repos: [acme/cli], perPage: 3 }',
        'businessHours: Mon-Fri 09:00-17:00',
        'timezone: Europe/Berlin',
        'holidays: [2026-12-25]',
        'since: 30d',
        'until: 2026-11-30',
        'limit: 200',
        'thresholds: { responseRate: 0.8, medianReply: 4h, negativeShare: 0.25 }',
        'replyTarget: 1h',
        'output: { dir: reports, format: json }',
      ].join('\n'),
      'earshot.yml',
    );
    expect(warnings).toEqual([]);
    expect(config.brand).toBe('Acme Bank');
    expect(config.holidays).toEqual(['2026-12-25']); // YAML 1.2: dates stay strings
    expect(config.until).toBe('2026-11-30');
    expect(config.sources?.hn).toEqual({}); // `hn:` alone means "use hn with its defaults"
    expect(config.sources?.github).toEqual({ enabled: false, repos: ['acme/cli'], perPage: 3 });
    expect(config.thresholds).toEqual({ responseRate: 0.8, medianReply: '4h', negativeShare: 0.25 });
  });

  it("names the path, what was found and what was expected, with the line (the brief's example)", async () => {
    const msg = await configError('brand: Acme\nsources:\n  reddit:\n    subreddits: acme\n');
    expect(msg).toBe('earshot.yml:4: sources.reddit.subreddits: found a string ("acme"), expected a list of strings.');
  });

  it('lists several problems, one per line, in file order', async () => {
    const msg = await configError(
      ['brand: Acme', 'holidays: [2026-02-30, 2026-12-25]', 'thresholds:', '  responseRate: 1.5', 'timezone: Europe/Berln', 'limit: many'].join('\n'),
    );
    const lines = msg.split('\n');
    expect(lines[0]).toBe('the config file has 4 problems:');
    expect(lines.slice(1)).toEqual([
      'earshot.yml:2: holidays[0]: found a string ("2026-02-30"), expected a date written YYYY-MM-DD.',
      'earshot.yml:4: thresholds.responseRate: found a number (1.5), expected a share from 0 to 1, e.g. 0.8.',
      'earshot.yml:5: timezone: found a string ("Europe/Berln"), expected an IANA time zone such as Europe/Berlin or America/New_York.',
      'earshot.yml:6: limit: found a string ("many"), expected a whole number of mentions per source, at least 1.',
    ]);
  });

  it('checks values a type cannot: time zone, dates, durations, hours, queries, URLs', async () => {
    const msg = await configError(
      [
        'brand: Acme',
        'query: \'acme "cloud\'',
        'sources:',
        '  rss: { feeds: ["feed.xml"], baseUrl: "not a url" }',
        'businessHours: Mon-Fry 09:00-17:00',
        'timezone: Europe/Berln',
        'holidays: [2026-02-30]',
        'since: yesterday',
        'thresholds: { medianReply: "4" }',
        'replyTarget: soon',
      ].join('\n'),
    );
    const lines = msg.split('\n').slice(1);
    expect(lines).toEqual([
      'earshot.yml:2: query: unclosed quote at character 6.',
      'earshot.yml:4: sources.rss.baseUrl: found a string ("not a url"), expected an http(s) URL such as http://127.0.0.1:8080.',
      'earshot.yml:4: sources.rss.feeds[0]: found a string ("feed.xml"), expected an absolute http(s) feed URL.',
      expect.stringMatching(/^earshot\.yml:5: businessHours: found a string \("Mon-Fry 09:00-17:00"\), expected opening hours such as .*\.$/),
      'earshot.yml:6: timezone: found a string ("Europe/Berln"), expected an IANA time zone such as Europe/Berlin or America/New_York.',
      'earshot.yml:7: holidays[0]: found a string ("2026-02-30"), expected a date written YYYY-MM-DD.',
      'earshot.yml:8: since: found a string ("yesterday"), expected a time bound such as 30d, 12h, 2026-11-01 or 2026-11-01T09:00:00Z.',
      'earshot.yml:9: thresholds.medianReply: found a string ("4"), expected a duration such as 45m, 4h, 1h30m or 2d.',
      'earshot.yml:10: replyTarget: found a string ("soon"), expected a duration such as 45m, 4h, 1h30m or 2d.',
    ]);
  });

  it('suggests a key for a typo and lists the valid ones', async () => {
    expect(await configError('brand: Acme\nbusinesHours: 24/7\n')).toBe(
      'earshot.yml:2: businesHours: unknown key (did you mean businessHours?); expected one of brand, aliases, query, exclude, handles, competitors, sources, businessHours, timezone, holidays, since, until, limit, sourceBudget, thresholds, replyTarget, triage, canned, benchmarks, output, history.',
    );
    expect(await configError('brand: Acme\nthresholds: { medianReplt: 4h }\n')).toMatch(/thresholds\.medianReplt: unknown key \(did you mean medianReply\?\)/);
  });

  it('refuses unknown source ids under sources and handles, listing the valid ones', async () => {
    const msg = await configError('brand: Acme\nsources:\n  redit: {}\nhandles:\n  twitter: [acme]\n');
    expect(msg).toContain('earshot.yml:3: sources.redit: unknown source "redit" (did you mean reddit?); valid ids: reddit, hn, rss,');
    expect(msg).toContain('earshot.yml:5: handles.twitter: unknown source "twitter"; valid ids: all, reddit, hn,');
  });

  it('wants names with letters or digits, since they become query terms', async () => {
    const msg = await configError('brand: "!!!"\naliases: [ok, "--"]\ncompetitors:\n  - name: "   "\n');
    expect(msg.split('\n').slice(1)).toEqual([
      'earshot.yml:1: brand: found a string ("!!!"), expected the brand name with letters or digits.',
      'earshot.yml:2: aliases[1]: found a string ("--"), expected a name with letters or digits.',
      'earshot.yml:4: competitors[0].name: found a string ("   "), expected the competitor name with letters or digits.',
    ]);
  });

  it('requires brand, and a mapping at the top', async () => {
    expect(await configError('aliases: [x]\n')).toBe('earshot.yml:1: brand: missing; it is required.');
    expect(await configError('')).toBe('earshot.yml: the file is empty; it needs at least a brand, e.g. brand: Acme Cloud.');
    expect(await configError('- brand: x\n')).toMatch(/^earshot\.yml:1: found a list, expected a mapping of settings/);
    expect(await configError('brand: Acme\ncompetitors:\n  - aliases: [globex]\n')).toBe('earshot.yml:3: competitors[0].name: missing; it is required.');
  });

  it('names line and column of a YAML syntax error', async () => {
    expect(await configError('brand: Acme\nbrand: Other\n')).toBe('earshot.yml:2:1: YAML syntax error: Map keys must be unique.');
    expect(await configError('brand: Acme\naliases: [a, b\n')).toMatch(/^earshot\.yml:\d+:\d+: YAML syntax error: /m);
  });

  it('refuses alias bombs', async () => {
    const bomb = ['brand: x', 'a: &a [1,1,1,1,1,1,1,1,1,1]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]'].join('\n');
    expect(await configError(bomb)).toMatch(/^earshot\.yml: .*alias/i);
  });

  it('deep nesting is a config error naming the line, not "YAML syntax error: Maximum call stack size exceeded"', async () => {
    const deepFlow = `brand: Acme\nsources:\n  hn: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    const deepBlock = `brand: Acme\nexclude:\n${Array.from({ length: 40 }, (_, i) => `${' '.repeat(i + 1)}- `).join('\n')}x\n`;
    const advice = 'lists and mappings are nested more than 32 levels deep here; earshot.yml needs only a few, so look for brackets that are never closed or indentation that keeps growing.';
    expect(await configError(deepFlow)).toBe(`earshot.yml:3: ${advice}`);
    // The top-level mapping is the first level and the list on line 3 the second, so the 33rd starts on line 34.
    expect(await configError(deepBlock)).toBe(`earshot.yml:34: ${advice}`);
    // Five levels, as deep as a real config goes, still load.
    const real = 'brand: Acme\ncompetitors:\n  - name: Globex\n    handles:\n      reddit: [globex]\n';
    expect((await parseConfigText(real, 'earshot.yml', ['reddit'])).config.competitors?.[0]?.handles).toEqual({ reddit: ['globex'] });
  });

  it('a list or mapping used as a key is a config error naming the line, and yaml prints no warning of its own', async () => {
    const warned = vi.spyOn(process, 'emitWarning');
    try {
      expect(await configError('brand: Acme\n? [a, b]\n: 1\n')).toBe(
        'earshot.yml:2: a key is a list; keys in earshot.yml are plain names such as brand or sources (write the value after the colon).',
      );
      expect(await configError('brand: Acme\nsources:\n  {hn: 1}: {}\n')).toBe(
        'earshot.yml:3: a key is a mapping; keys in earshot.yml are plain names such as brand or sources (write the value after the colon).',
      );
      // Node's "Keys with collection values will be stringified" warning would reach stderr.
      expect(warned).not.toHaveBeenCalled();
    } finally {
      warned.mockRestore();
    }
  });

  it('refuses an option the source does not declare, suggesting the near miss', async () => {
    expect(await configError('brand: Acme\nsources:\n  reddit:\n    subredits: [x]\n')).toMatch(/^earshot\.yml:4: sources\.reddit\.subredits: unknown key \(did you mean subreddits\?\); expected one of enabled, baseUrl, rateLimit, subreddits/);
    expect(await configError('brand: Acme\nsources:\n  hn:\n    flair: y\n')).toMatch(/sources\.hn\.flair: unknown key; expected one of enabled, baseUrl, rateLimit, hitsPerPage/);
  });
});

describe('findConfigFile / loadConfig', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'earshot-config-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds nothing in an empty folder', async () => {
    expect(await findConfigFile({ cwd: dir })).toBeUndefined();
    expect(await loadConfig({ cwd: dir, env: {} })).toBeUndefined();
  });

  it('discovers earshot.yml, earshot.yaml and .earshot.yml in that order and warns about the ignored ones', async () => {
    await writeFile(join(dir, '.earshot.yml'), 'brand: Hidden\n');
    expect((await loadConfig({ cwd: dir }))?.config.brand).toBe('Hidden');
    await writeFile(join(dir, 'earshot.yaml'), 'brand: Yaml\n');
    expect((await loadConfig({ cwd: dir }))?.config.brand).toBe('Yaml');
    await writeFile(join(dir, 'earshot.yml'), 'brand: Yml\n');
    const loaded = await loadConfig({ cwd: dir });
    expect(loaded?.config.brand).toBe('Yml');
    expect(loaded?.path).toBe('earshot.yml');
    expect(loaded?.warnings).toEqual(['earshot.yml is used; earshot.yaml and .earshot.yml in the same folder are ignored.']);
    expect(CONFIG_FILE_NAMES).toEqual(['earshot.yml', 'earshot.yaml', '.earshot.yml']);
  });

  it('uses --config, then EARSHOT_CONFIG, over discovery; a missing explicit file is an error', async () => {
    await writeFile(join(dir, 'earshot.yml'), 'brand: Found\n');
    await writeFile(join(dir, 'other.yml'), 'brand: Other\n');
    await writeFile(join(dir, 'env.yml'), 'brand: Env\n');
    expect((await loadConfig({ cwd: dir, path: 'other.yml', env: { EARSHOT_CONFIG: 'env.yml' } }))?.config.brand).toBe('Other');
    expect((await loadConfig({ cwd: dir, env: { EARSHOT_CONFIG: 'env.yml' } }))?.config.brand).toBe('Env');
    expect((await loadConfig({ cwd: dir, env: { EARSHOT_CONFIG: '' } }))?.config.brand).toBe('Found');
    await expect(loadConfig({ cwd: dir, path: 'missing.yml' })).rejects.toThrow('--config missing.yml: no such file (run earshot init --config missing.yml to create one).');
    await expect(loadConfig({ cwd: dir, env: { EARSHOT_CONFIG: 'gone.yml' } })).rejects.toThrow(/^EARSHOT_CONFIG gone\.yml: no such file/);
  });

  it('names the file as given in errors', async () => {
    await writeFile(join(dir, 'bad.yml'), 'brand: [x]\n');
    await expect(loadConfig({ cwd: dir, path: 'bad.yml' })).rejects.toThrow('bad.yml:1: brand: found a list, expected the brand name (a string).');
  });
});

describe('docs/config.md', () => {
  it('its example loads without problems and gives the query it claims', async () => {
    const doc = await readFile(new URL('../../../docs/config.md', import.meta.url), 'utf8');
    const example = /## Example\n\n```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    const { config, warnings } = await parseConfigText(example!, 'earshot.yml');
    expect(warnings).toEqual([]);
    const merged = mergeSettings({ source: 'reddit,hn' }, { source: 'default' }, config, {});
    expect(merged.query).toBe('"Acme Bank" OR acmebank -"acme anvil"');
    expect(merged.source).toBe('reddit,hn,rss');
  });
});

describe('keys with invisible characters', () => {
  it('are shown quoted and escaped, so the message does not read "exclude: unknown key (did you mean exclude?)"', async () => {
    const err = await parseConfigText('brand: Acme\n\uFEFFexclude: [anvil]\n', 'earshot.yml', ['hn']).catch((e: Error) => e);
    expect(String((err as Error).message)).toMatch(/"\\uFEFFexclude": unknown key \(did you mean exclude\?\)/);
  });
});
